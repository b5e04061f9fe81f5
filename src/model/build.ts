/**
 * buildTopology: raw resources → normalized entities → resolved references → indexed links.
 * One pass to normalize, one to index identifiers, one to resolve, one to index links: linear in the
 * number of resources (Maps only, no per-pair scans).
 *
 * A reference resolves by its literal ID when the ID is known (the right identifier kind: a subnet's
 * `id` vs `ipv4SubnetId`, §3.1), else through the URNs the engine recorded in the referring
 * resource's propertyDependencies for that property, filtered to the expected kind.
 */
import { parseAddress } from "../net/addresses";
import { PropReader } from "./reader";
import { Normalizer, type IdKind, type NormalizeContext, type PendingRef, type PendingRefList } from "./normalize";
import { tokenInfo } from "./tokens";
import type { Backend, SubnetAcl, Topology } from "./topology";
import type {
    AclRule,
    DataFinding,
    Entity,
    EntityBase,
    Listener,
    LoadBalancer,
    Member,
    Monitor,
    NetworkAcl,
    Nic,
    Pool,
    RawResource,
    Ref,
    ResourceKind,
    SecurityGroup,
    SecurityGroupRule,
    Server,
    StandaloneNic,
    Subnet,
    Value,
} from "./types";

type Of<K extends Entity["kind"]> = Extract<Entity, { kind: K }>;

/** Replace an object's contents in place: entities already hold the object. */
function assignInPlace<T extends object>(target: T, value: T): void {
    for (const k of Object.keys(target)) delete (target as Record<string, unknown>)[k];
    Object.assign(target, value);
}

export function buildTopology(input: Iterable<RawResource>): Topology {
    const resources: RawResource[] = Array.isArray(input) ? input : [...input];
    const depsByUrn = new Map<string, Readonly<Record<string, readonly string[]>>>();
    const findings: DataFinding[] = [];
    const ctx: NormalizeContext = { refs: [], lists: [], legacyAcls: [] };
    const byUrn = new Map<string, Entity>();
    const byKind = new Map<string, Entity[]>();

    // 1. Normalize.
    for (const res of resources) {
        const info = typeof res?.type === "string" ? tokenInfo(res.type) : undefined;
        if (!info || typeof res.urn !== "string" || byUrn.has(res.urn)) continue;
        const reader = new PropReader(res.urn, res.type, typeof res.name === "string" ? res.name : res.urn, res.props, findings);
        const deps = res.propertyDependencies && typeof res.propertyDependencies === "object" ? res.propertyDependencies : {};
        depsByUrn.set(res.urn, deps);
        const entity = new Normalizer(reader, deps, ctx).entity(info);
        if (!entity) continue;
        byUrn.set(entity.urn, entity);
        const list = byKind.get(entity.kind) ?? [];
        list.push(entity);
        byKind.set(entity.kind, list);
    }
    const all = <K extends Entity["kind"]>(...kinds: K[]): Of<K>[] => kinds.flatMap((k) => (byKind.get(k) ?? []) as Of<K>[]);

    // 2. Index identifiers.
    const ids = new Map<IdKind, Map<string, Entity[]>>();
    const addId = (kind: IdKind, value: string | undefined, e: Entity) => {
        if (!value) return;
        let m = ids.get(kind);
        if (!m) ids.set(kind, (m = new Map()));
        const l = m.get(value);
        if (l) l.push(e);
        else m.set(value, [e]);
    };
    const readKnown = (e: Entity, key: string): string | undefined => {
        const r = new PropReader(e.urn, e.type, e.name, rawProps.get(e.urn), []);
        const v = r.at([key]);
        return v.state === "known" && typeof v.value === "string" && v.value !== "" ? v.value : undefined;
    };
    const rawProps = new Map<string, unknown>();
    for (const res of resources) if (res && byUrn.has(res.urn)) rawProps.set(res.urn, res.props);
    for (const e of byUrn.values()) {
        addId("id", e.id, e);
        if (e.kind === "subnet") {
            addId("ipv4SubnetId", e.ipv4SubnetId, e);
            addId("ipv6SubnetId", e.ipv6SubnetId, e);
        } else if (e.kind === "securityGroup" && e.groupName.state === "known") {
            addId("name", e.groupName.value, e);
        } else if (e.kind === "loadBalancer") {
            addId("portId", readKnown(e, e.family === "shared" ? "vipPortId" : "ipv4PortId"), e);
        } else if (e.kind === "port" || e.kind === "networkInterface") {
            addId("portId", e.id, e);
        } else if (e.kind === "eip") {
            addId("address", e.address, e);
        }
    }

    // 3. Resolve references.
    const kindMatches = (e: Entity | undefined, kinds: readonly ResourceKind[]): e is Entity => !!e && kinds.includes(e.kind);
    const candidatesOf = (deps: readonly string[], kinds: readonly ResourceKind[]): Entity[] => {
        const out: Entity[] = [];
        for (const urn of deps) {
            const e = byUrn.get(urn);
            if (kindMatches(e, kinds) && !out.includes(e)) out.push(e);
        }
        return out;
    };
    const byId = (value: string, idKinds: readonly IdKind[], kinds: readonly ResourceKind[]): Entity[] => {
        for (const k of idKinds) {
            const hit = (ids.get(k)?.get(value) ?? []).filter((e) => kinds.includes(e.kind));
            if (hit.length > 0) return hit;
        }
        return [];
    };
    const kindWords = (kinds: readonly ResourceKind[]) => kinds.join(" or ");

    const resolveOne = (path: string, value: Value<string>, deps: readonly string[], idKinds: readonly IdKind[], kinds: readonly ResourceKind[], from: EntityBase): Ref => {
        switch (value.state) {
            case "absent":
                return { state: "absent", path };
            case "invalid":
                return { state: "invalid", path, expected: value.expected };
            case "known": {
                const hit = byId(value.value, idKinds, kinds);
                if (hit.length === 1) return { state: "resolved", urn: hit[0].urn, via: "id", path };
                if (hit.length > 1) return { state: "unresolved", reason: `several ${kindWords(kinds)} resources carry that ID`, path };
                // The wrong identifier of a subnet (its id where the ipv4SubnetId belongs, or the reverse) is a
                // classic mistake (§3.1): say so, and follow it so the other checks still run.
                if (kinds.includes("subnet")) {
                    const other: IdKind[] = (["id", "ipv4SubnetId", "ipv6SubnetId"] as IdKind[]).filter((k) => !idKinds.includes(k));
                    const wrong = byId(value.value, other, kinds);
                    if (wrong.length === 1) {
                        findings.push({ urn: from.urn, type: from.type, name: from.name, property: path, expected: `the subnet's ${idKinds.join(" or ")} (this is its ${other.find((k) => ids.get(k)?.get(value.value)) ?? "other ID"})` });
                        return { state: "resolved", urn: wrong[0].urn, via: "id", path };
                    }
                }
                return { state: "external", id: value.value, path };
            }
            case "unknown": {
                const c = candidatesOf(deps, kinds);
                if (c.length === 1) return { state: "resolved", urn: c[0].urn, via: "dependency", path };
                if (c.length === 0) return { state: "unresolved", reason: `${path} is unknown at preview and does not come from a ${kindWords(kinds)} in this stack`, path };
                return { state: "unresolved", reason: `${path} is unknown at preview and comes from several ${kindWords(kinds)} resources`, path };
            }
        }
    };

    for (const p of ctx.refs) {
        assignInPlace(p.target.ref, resolveOne(p.path, p.value, p.deps, p.idKinds, p.kinds, p.from));
    }
    for (const l of ctx.lists) assignInPlace(l.target.refs, resolveList(l));

    function resolveList(l: PendingRefList): Value<Ref[]> {
        if (l.list.state !== "known") {
            if (l.list.state !== "unknown") return l.list;
            // The whole list is unknown: the dependencies, in their order, are the list.
            const c = candidatesOf(l.deps, l.kinds);
            if (c.length === 0) return { state: "unknown", path: l.path };
            return { state: "known", value: c.map((e) => ({ state: "resolved", urn: e.urn, via: "dependency", path: l.path }) as Ref) };
        }
        const elements = l.list.value;
        // Unknown elements take the dependency candidates not already named by a literal ID, in order.
        const literal = new Set<string>();
        const out: Ref[] = elements.map((v, i) => {
            if (v.state !== "known") return { state: "unresolved", reason: "pending", path: v.path };
            const r = resolveOne(`${l.path}[${i}]`, v, [], l.idKinds, l.kinds, l.from);
            if (r.state === "resolved") literal.add(r.urn);
            return r;
        });
        const unknownAt = elements.flatMap((v, i) => (v.state === "unknown" ? [i] : []));
        const remaining = candidatesOf(l.deps, l.kinds).filter((e) => !literal.has(e.urn));
        unknownAt.forEach((i, n) => {
            const path = `${l.path}[${i}]`;
            out[i] =
                unknownAt.length === remaining.length
                    ? { state: "resolved", urn: remaining[n].urn, via: "dependency", path }
                    : { state: "unresolved", reason: `${path} is unknown at preview and the dependencies of the list do not say which ${kindWords(l.kinds)} it is`, path };
        });
        elements.forEach((v, i) => {
            if (v.state === "absent") out[i] = { state: "absent", path: v.path };
            else if (v.state === "invalid") out[i] = { state: "invalid", path: v.path, expected: v.expected };
        });
        return { state: "known", value: out };
    }

    // Legacy ACLs: rules in list order from the referenced AclRule resources.
    for (const { acl, inbound, outbound } of ctx.legacyAcls) {
        acl.ingress = legacyRules(inbound.refs, "inboundRules");
        acl.egress = legacyRules(outbound.refs, "outboundRules");
    }
    function legacyRules(refs: Value<Ref[]>, path: string): Value<AclRule[]> {
        if (refs.state !== "known") return refs.state === "absent" ? { state: "known", value: [] } : { state: "unknown", path };
        const rules: AclRule[] = [];
        for (const r of refs.value) {
            const e = r.state === "resolved" ? byUrn.get(r.urn) : undefined;
            if (!e || e.kind !== "legacyAclRule") return { state: "unknown", path };
            rules.push(e.rule);
        }
        return { state: "known", value: rules };
    }

    // 4. Index links.
    const deref = <K extends Entity["kind"]>(ref: Ref | undefined, kind: K): Of<K> | undefined => {
        if (!ref || ref.state !== "resolved") return undefined;
        const e = byUrn.get(ref.urn);
        return e && e.kind === kind ? (e as Of<K>) : undefined;
    };
    const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => {
        const l = m.get(k);
        if (l) l.push(v);
        else m.set(k, [v]);
    };

    const listenersByPool = new Map<string, Listener[]>();
    for (const l of all("listener")) {
        const pool = deref(l.defaultPool, "pool");
        if (pool) push(listenersByPool, pool.urn, l);
    }
    for (const pol of all("l7policy")) {
        const pool = deref(pol.redirectPool, "pool");
        const listener = deref(pol.listener, "listener");
        if (pool && listener) push(listenersByPool, pool.urn, listener);
    }
    for (const p of all("pool")) {
        const l = deref(p.listener, "listener");
        if (l && !(listenersByPool.get(p.urn) ?? []).includes(l)) push(listenersByPool, p.urn, l);
    }
    const membersByPool = new Map<string, Member[]>();
    for (const m of all("member")) {
        const p = deref(m.pool, "pool");
        if (p) push(membersByPool, p.urn, m);
    }
    const monitorsByPool = new Map<string, Monitor[]>();
    for (const m of all("monitor")) {
        const p = deref(m.pool, "pool");
        if (p) push(monitorsByPool, p.urn, m);
    }
    const rulesByGroup = new Map<string, SecurityGroupRule[]>();
    for (const r of all("securityGroupRule")) {
        const g = deref(r.group, "securityGroup");
        if (g) push(rulesByGroup, g.urn, r);
    }

    // NICs: instance networks, interface attachments (to their instance), standalone ports / interfaces.
    interface NicHolder {
        nic: Nic;
        server?: Server;
        holder: Server | StandaloneNic;
    }
    const nics: NicHolder[] = [];
    const servers = all("instance");
    const standalone = all("port", "networkInterface", "interfaceAttach") as StandaloneNic[];
    for (const s of servers) for (const nic of s.nics) nics.push({ nic, server: s, holder: s });
    for (const n of standalone) nics.push({ nic: n.nic, server: deref(n.instance, "instance"), holder: n });
    const nicsOfServer = new Map<string, NicHolder[]>();
    for (const h of nics) if (h.server) push(nicsOfServer, h.server.urn, h);
    const nicsByIp = new Map<string, NicHolder[]>();
    const nicsBySubnet = new Map<string, NicHolder[]>();
    for (const h of nics) {
        if (h.nic.fixedIpV4.state === "known") push(nicsByIp, canonicalIp(h.nic.fixedIpV4.value), h);
        const s = deref(h.nic.subnet, "subnet");
        if (s) push(nicsBySubnet, s.urn, h);
    }

    const aclBySubnet = new Map<string, NetworkAcl>();
    const unresolvedAcls: NetworkAcl[] = [];
    for (const acl of all("networkAcl", "legacyAcl") as NetworkAcl[]) {
        if (acl.subnets.state !== "known" || acl.subnets.value.some((r) => r.state === "unresolved")) unresolvedAcls.push(acl);
        if (acl.subnets.state !== "known") continue;
        for (const r of acl.subnets.value) {
            const s = deref(r, "subnet");
            // A subnet can have one ACL (§10.6); a second association is reported, the first kept.
            if (s && aclBySubnet.has(s.urn)) findings.push({ urn: acl.urn, type: acl.type, name: acl.name, property: r.path, expected: "a subnet no other network ACL is associated with" });
            else if (s) aclBySubnet.set(s.urn, acl);
        }
    }

    const subnetsOfVpc = new Map<string, Subnet[]>();
    for (const s of all("subnet")) {
        const v = deref(s.vpc, "vpc");
        if (v) push(subnetsOfVpc, v.urn, s);
    }

    const topology: Topology = {
        byUrn,
        findings,
        loadBalancers: all("loadBalancer"),
        listeners: all("listener"),
        pools: all("pool"),
        members: all("member"),
        monitors: all("monitor"),
        vpcs: all("vpc"),
        subnets: all("subnet"),
        securityGroups: all("securityGroup"),
        securityGroupRules: all("securityGroupRule"),
        addressGroups: all("addressGroup"),
        networkAcls: all("networkAcl", "legacyAcl") as NetworkAcl[],
        servers,
        standaloneNics: standalone,
        eips: all("eip"),
        eipAssociations: all("eipAssociate"),

        deref,
        listenersOfPool: (pool: Pool) => listenersByPool.get(pool.urn) ?? [],
        loadBalancerOfPool(pool: Pool): LoadBalancer | undefined {
            const direct = deref(pool.loadBalancer, "loadBalancer");
            if (direct) return direct;
            for (const l of listenersByPool.get(pool.urn) ?? []) {
                const lb = deref(l.loadBalancer, "loadBalancer");
                if (lb) return lb;
            }
            return undefined;
        },
        membersOfPool: (pool: Pool) => membersByPool.get(pool.urn) ?? [],
        monitorsOfPool: (pool: Pool) => monitorsByPool.get(pool.urn) ?? [],
        poolOfMember: (m: Member) => deref(m.pool, "pool"),
        subnetOfMember: (m: Member) => deref(m.subnet, "subnet"),
        subnetOfNic: (nic: Nic) => deref(nic.subnet, "subnet"),
        rulesOfGroup: (g: SecurityGroup) => rulesByGroup.get(g.urn) ?? [],
        groupsOfNic: (nic: Nic) => nic.securityGroups,
        backendOfMember(m: Member): Backend {
            const subnet = deref(m.subnet, "subnet");
            const toBackend = (h: NicHolder): Backend => ({ state: "nic", nic: h.nic, server: h.server, holder: h.holder });
            if (m.address.state === "known") {
                const hits = nicsByIp.get(canonicalIp(m.address.value)) ?? [];
                const inSubnet = subnet ? hits.filter((h) => deref(h.nic.subnet, "subnet") === subnet) : hits;
                const pick = inSubnet.length > 0 ? inSubnet : hits;
                if (pick.length === 1) return toBackend(pick[0]);
                if (pick.length > 1) return { state: "unresolved", reason: `several network interfaces in this stack have address ${m.address.value}` };
                // An auto-assigned address (fixedIpV4 not set or unknown) in the member's subnet may be this one.
                const pool = subnet ? (nicsBySubnet.get(subnet.urn) ?? []) : nics;
                const open = pool.find((h) => h.nic.fixedIpV4.state === "unknown" || h.nic.fixedIpV4.state === "absent");
                if (open) return { state: "unresolved", reason: `the address may belong to ${open.holder.name}, whose IP is assigned at creation` };
                return { state: "outside", address: m.address.value };
            }
            if (m.address.state === "unknown") {
                const c = candidatesOf(depsOf(m.urn, "address"), ["instance", "port", "networkInterface", "interfaceAttach"]);
                if (c.length === 1) {
                    const holders = c[0].kind === "instance" ? (nicsOfServer.get(c[0].urn) ?? []) : nics.filter((h) => h.holder === c[0]);
                    const inSubnet = subnet ? holders.filter((h) => deref(h.nic.subnet, "subnet") === subnet) : [];
                    if (holders.length === 1) return toBackend(holders[0]);
                    if (inSubnet.length === 1) return toBackend(inSubnet[0]);
                    return { state: "unresolved", reason: `the address comes from ${c[0].name}, which has ${holders.length} network interfaces and the member's subnet does not single one out` };
                }
                return { state: "unresolved", reason: c.length === 0 ? "the member's address is unknown at preview and does not come from a server in this stack" : "the member's address comes from several servers" };
            }
            return { state: "unresolved", reason: m.address.state === "invalid" ? `the member's address is invalid (expected ${m.address.expected})` : "the member has no address" };
        },
        aclOfSubnet(subnet: Subnet): SubnetAcl {
            const acl = aclBySubnet.get(subnet.urn);
            if (acl) return { state: "acl", acl };
            const open = unresolvedAcls[0];
            return open ? { state: "unresolved", reason: `the subnets of network ACL ${open.name} cannot be resolved at preview`, acl: open } : { state: "none" };
        },
        backendSubnetsOfLoadBalancer(lb: LoadBalancer): Value<Subnet[]> {
            const fromRefs = (refs: Ref[], path: string): Value<Subnet[]> => {
                const subnets: Subnet[] = [];
                for (const r of refs) {
                    const s = deref(r, "subnet");
                    if (!s) return { state: "unknown", path: r.path || path };
                    subnets.push(s);
                }
                return { state: "known", value: subnets };
            };
            if (lb.backendSubnets.state === "known") return fromRefs(lb.backendSubnets.value, "backendSubnets");
            if (lb.backendSubnets.state === "unknown" || lb.backendSubnets.state === "invalid") return lb.backendSubnets;
            // Default (§5.1): the subnet of the IPv4 VIP, else the IPv6 one; else "any subnet of the VPC" (absent).
            for (const r of [lb.ipv4Subnet, lb.ipv6Network]) {
                if (r.state === "absent") continue;
                return fromRefs([r], r.path);
            }
            return { state: "absent", path: "backendSubnets" };
        },
        hasEip(lb: LoadBalancer): Value<boolean> {
            if (lb.eipOnResource.state === "known" && lb.eipOnResource.value) return lb.eipOnResource;
            let unknown: string | undefined;
            for (const b of [...all("eipAssociate"), ...all("eip")]) {
                const port = b.port;
                if (port.state === "resolved" && port.urn === lb.urn) return { state: "known", value: true };
                if (port.state === "unresolved") unknown = `${b.name}.${port.path}`;
            }
            return unknown ? { state: "unknown", path: unknown } : lb.eipOnResource;
        },
    };

    function depsOf(urn: string, key: string): readonly string[] {
        const d = depsByUrn.get(urn)?.[key];
        return Array.isArray(d) ? d : [];
    }

    return topology;
}

function canonicalIp(text: string): string {
    const a = parseAddress(text);
    return a.ok ? `${a.value.family}:${a.value.value}` : text;
}
