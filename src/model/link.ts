/**
 * Stages 3 and 4 of buildTopology, and the other links it indexes: each a function of the
 * entities stage 2 returned (and of the earlier links it names), each returning new maps and
 * never changing an entity. All one pass with Maps: linear in the number of resources.
 */
import { parseAddress } from "../net/addresses";
import { dependencyNodes, type IdIndex, type ReferenceResolver } from "./resolve";
import type { Backend, SubnetAcl } from "./topology";
import type {
    DataFinding, Entity, EntityBase, EntityOfKind, Listener, LoadBalancer, Member, Monitor, NetworkAcl, Nic, Pool, Ref, ResourceKind,
    ScalingAttach, ScalingGroup, SecurityGroupRule, Server, StandaloneNic, Subnet, Value,
} from "./types";

type Of<K extends Entity["kind"]> = EntityOfKind<K>;
export type Deref = <K extends Entity["kind"]>(ref: Ref | undefined, kind: K) => Of<K> | undefined;
export type Deps = Readonly<Record<string, readonly string[]>>;

/** What stage 2 (resolve) returns: every entity, normalized, references resolved; read-only from here on. */
export interface Entities {
    readonly byUrn: ReadonlyMap<string, Entity>;
    all<K extends Entity["kind"]>(kind: K): Of<K>[];
    deref: Deref;
    /** A Port / NetworkInterface of the plan → the InterfaceAttach (portId) that attaches it to a server. */
    readonly attachmentOf: ReadonlyMap<string, StandaloneNic>;
    readonly resolver: ReferenceResolver;
    /** Stage 1's identifier index and each resource's propertyDependencies. */
    readonly index: IdIndex;
    readonly depsByUrn: ReadonlyMap<string, Deps>;
}

/** A NIC and what carries it. */
export interface Holder {
    nic: Nic;
    holder: Server | StandaloneNic;
    server?: Server;
}

/** Stage 3: every NIC of the plan with what carries it, indexed by server, address and subnet. */
export interface NicLinks {
    readonly servers: Server[];
    readonly standalone: StandaloneNic[];
    readonly holderByUrn: ReadonlyMap<string, Holder>;
    readonly nicsOfServer: ReadonlyMap<string, Holder[]>;
    readonly nicsByIp: ReadonlyMap<string, Holder[]>;
    /** NICs whose address is assigned at creation (unknown or not set): all, by subnet, and those in no certain subnet. */
    readonly open: readonly Holder[];
    readonly openBySubnet: ReadonlyMap<string, Holder[]>;
    readonly openUnplaced: readonly Holder[];
    /** NICs with IPv6 enabled (or not known) whose IPv6 address is not known. */
    readonly open6: readonly Holder[];
}

export function linkNics(e: Entities): NicLinks {
    const { all, deref, attachmentOf } = e;
    // An InterfaceAttach with portId attaches a Port / NetworkInterface of the plan: that resource
    // carries the NIC (its address and groups), the attachment names the server (stage 2 copied it).
    const servers = all("instance");
    const standalone: StandaloneNic[] = [...all("port"), ...all("networkInterface"), ...all("interfaceAttach")];
    const holders: Holder[] = [];
    const holderByUrn = new Map<string, Holder>();
    for (const s of servers) for (const nic of s.nics) holders.push({ nic, holder: s, server: s });
    for (const n of standalone) {
        if (n.kind === "interfaceAttach" && n.port?.state === "resolved" && attachmentOf.get(n.port.urn) === n) continue;
        const attachment = attachmentOf.get(n.urn);
        const h: Holder = { nic: n.nic, holder: n, server: deref(n.instance, "instance") };
        holders.push(h);
        holderByUrn.set(n.urn, h);
        if (attachment) holderByUrn.set(attachment.urn, h);
    }
    const open = holders.filter((h) => h.nic.fixedIpV4.state === "unknown" || h.nic.fixedIpV4.state === "absent");
    return {
        servers,
        standalone,
        holderByUrn,
        nicsOfServer: groupBy(holders, (h) => h.server?.urn),
        nicsByIp: byAddress(holders),
        open,
        openBySubnet: groupBy(open, (h) => deref(h.nic.subnet, "subnet")?.urn),
        openUnplaced: open.filter((h) => h.nic.subnet.state !== "resolved" && h.nic.subnet.state !== "external"),
        open6: holders.filter((h) => h.nic.fixedIpV6?.state !== "known" && h.nic.ipv6Enable?.state !== "absent" && !(h.nic.ipv6Enable?.state === "known" && !h.nic.ipv6Enable.value) && h.nic.ipv6Enable !== undefined),
    };
}

/** Stage 4: the members (those of the plan and those AS groups register) and where each one's address lives. */
export interface BackendLinks {
    readonly members: Member[];
    backendOfMember(m: Member): Backend;
}

const BACKEND_KINDS: readonly ResourceKind[] = ["instance", "port", "networkInterface", "interfaceAttach"];

export function linkBackends(e: Entities, nics: NicLinks): BackendLinks {
    const { all, deref, index, depsByUrn } = e;
    const { nicsOfServer, holderByUrn, nicsByIp, open, openBySubnet, openUnplaced, open6 } = nics;
    // Active/standby pools carry their two members inline.
    const inline = all("pool").flatMap((p) => p.activeStandby?.members ?? []);
    const members = [...all("member"), ...inline, ...scalingMembers(all("scalingGroup"), all("scalingAttach"), deref)];

    const depsOf = (urn: string, key: string): readonly string[] => {
        const d = depsByUrn.get(urn);
        return d && Object.prototype.hasOwnProperty.call(d, key) ? d[key] : [];
    };
    const subnetOf = (h: Holder) => deref(h.nic.subnet, "subnet");
    const toBackend = (h: Holder): Backend => ({ state: "nic", nic: h.nic, server: h.server, holder: h.holder });

    /** The NIC the member's address comes from, through the propertyDependencies of `address`; undefined = none in the stack. */
    const fromDependencies = (m: Member, subnet: Subnet | undefined): Backend | undefined => {
        let c = dependencyNodes(index, depsOf(m.urn, m.memberPath ? "members" : "address"), BACKEND_KINDS);
        if (c.length === 0) return undefined;
        // Inline members (active/standby pool) share the dependencies of `members`: taken in member order
        // when there is one server per member whose address is not known (docs/assumptions.md).
        if (m.memberPath) {
            const open = (deref(m.pool, "pool")?.activeStandby?.members ?? []).filter((x) => x.address.state !== "known");
            // A member with a literal address does not take a server its siblings' unknown addresses come from.
            if (m.address.state === "known" && open.length >= c.length) return undefined;
            const at = open.indexOf(m);
            if (c.length > 1 && at >= 0 && open.length === c.length) c = [c[at]];
        }
        if (c.length > 1) return { state: "unresolved", reason: `the member's address comes from ${c.length} servers or network interfaces (${c.map((n) => n.name).join(", ")})` };
        const own = c[0].kind === "instance" ? (nicsOfServer.get(c[0].urn) ?? []) : [holderByUrn.get(c[0].urn)].filter((h): h is Holder => !!h);
        const inSubnet = subnet ? own.filter((h) => subnetOf(h) === subnet) : [];
        if (inSubnet.length === 1) return toBackend(inSubnet[0]);
        if (own.length === 1) return toBackend(own[0]);
        return { state: "unresolved", reason: `the member's address comes from ${c[0].name}, which has ${own.length} network interfaces, and the member's subnet does not single one out` };
    };

    const backendOfMember = (m: Member): Backend => {
        if (m.attachProblem) return { state: "unresolved", reason: m.attachProblem };
        if (m.attachedServer) return m.attachedServer.nics[0] ? { state: "nic", nic: m.attachedServer.nics[0], server: m.attachedServer, holder: m.attachedServer } : { state: "unresolved", reason: `ECS instance ${m.attachedServer.name} has no network interface in its networks` };
        if (m.scalingGroup) return { state: "nic", nic: m.scalingGroup.nic, holder: m.scalingGroup };
        const subnet = deref(m.subnet, "subnet");
        const a = m.address;
        if (a.state === "known") {
            const hits = nicsByIp.get(canonicalIp(a.value)) ?? [];
            const inSubnet = subnet ? hits.filter((h) => subnetOf(h) === subnet) : [];
            const pick = inSubnet.length > 0 ? inSubnet : hits;
            if (pick.length === 1) return toBackend(pick[0]);
            if (pick.length > 1) return { state: "unresolved", reason: `${pick.length} network interfaces in this stack (${pick.map((h) => h.holder.name).join(", ")}) have the member's address` };
            // The address comes from a server whose address is assigned by the cloud (an existing stack's outputs).
            const linked = fromDependencies(m, subnet);
            if (linked && linked.state === "nic" && (a.value.includes(":") ? linked.nic.fixedIpV6?.state !== "known" : linked.nic.fixedIpV4.state !== "known")) return linked;
            // No NIC has it; one whose address is assigned at creation in the member's subnet might
            // (for an IPv6 address: a NIC with IPv6 enabled whose IPv6 address is not known).
            const v6 = a.value.includes(":");
            // A NIC in a subnet whose CIDR of that IP version is known and does not hold the address cannot have it.
            const parsed = parseAddress(a.value);
            const mayHold = (h: Holder): boolean => {
                const cidr = v6 ? subnetOf(h)?.ipv6Cidr : subnetOf(h)?.cidr;
                return !parsed.ok || cidr?.state !== "known" || cidr.value.contains(parsed.value);
            };
            const maybe = v6
                ? open6.find((h) => (!subnet || subnetOf(h) === subnet || h.nic.subnet.state !== "resolved") && mayHold(h))
                : subnet ? (openBySubnet.get(subnet.urn)?.[0] ?? openUnplaced[0]) : open.find(mayHold);
            if (maybe) return { state: "unresolved", reason: `the member's address may belong to ${maybe.holder.name}, whose address is assigned at creation` };
            return { state: "outside", address: a.value };
        }
        if (a.state === "unknown") {
            return fromDependencies(m, subnet) ?? { state: "unresolved", reason: "the member's address is unknown at preview and does not come from a server or network interface in this stack" };
        }
        return { state: "unresolved", reason: a.state === "invalid" ? `the member's address is invalid (expected ${a.expected})` : "the member has no address" };
    };
    return { members, backendOfMember };
}

/** The load-balancing links: listeners, members and monitors of each pool, rules of each security group. */
export interface ElbLinks {
    /** Every monitor: the plan's, and the inline health checks of active/standby pools. */
    readonly monitors: Monitor[];
    listenersOfPool(pool: Pool): Listener[];
    loadBalancerOfPool(pool: Pool): LoadBalancer | undefined;
    membersOfPool(pool: Pool): Member[];
    monitorsOfPool(pool: Pool): Monitor[];
    rulesOfGroup(group: { urn: string }): SecurityGroupRule[];
}

export function linkElb(e: Entities, members: readonly Member[]): ElbLinks {
    const { all, deref } = e;
    const listenersByPool = new Map<string, Set<Listener>>();
    const addListener = (pool: Pool | undefined, l: Listener | undefined) => {
        if (!pool || !l) return;
        const set = listenersByPool.get(pool.urn);
        if (set) set.add(l);
        else listenersByPool.set(pool.urn, new Set([l]));
    };
    for (const l of all("listener")) addListener(deref(l.defaultPool, "pool"), l);
    for (const p of all("l7policy")) addListener(deref(p.redirectPool, "pool"), deref(p.listener, "listener"));
    for (const p of all("pool")) addListener(p, deref(p.listener, "listener"));

    const membersByPool = groupBy(members, (m) => deref(m.pool, "pool")?.urn);
    const monitors = [...all("monitor"), ...all("pool").flatMap((p) => (p.activeStandby?.monitor ? [p.activeStandby.monitor] : []))];
    const monitorsByPool = groupBy(monitors, (m) => deref(m.pool, "pool")?.urn);
    const rulesByGroup = groupBy(all("securityGroupRule"), (r) => deref(r.group, "securityGroup")?.urn);
    return {
        monitors,
        listenersOfPool: (pool) => [...(listenersByPool.get(pool.urn) ?? [])],
        loadBalancerOfPool(pool: Pool): LoadBalancer | undefined {
            const direct = deref(pool.loadBalancer, "loadBalancer");
            if (direct) return direct;
            for (const l of listenersByPool.get(pool.urn) ?? []) {
                const lb = deref(l.loadBalancer, "loadBalancer");
                if (lb) return lb;
            }
            return undefined;
        },
        membersOfPool: (pool) => membersByPool.get(pool.urn) ?? [],
        monitorsOfPool: (pool): Monitor[] => monitorsByPool.get(pool.urn) ?? [],
        rulesOfGroup: (g): SecurityGroupRule[] => rulesByGroup.get(g.urn) ?? [],
    };
}

/** The subnet and address links: each subnet's network ACL, each load balancer's EIP bindings and backend subnets. */
export interface SubnetLinks {
    aclOfSubnet(subnet: Subnet): SubnetAcl;
    backendSubnetsOfLoadBalancer(lb: LoadBalancer): Value<Subnet[]>;
    hasEip(lb: LoadBalancer): Value<boolean>;
    /** A subnet associated with two network ACLs. */
    readonly findings: readonly DataFinding[];
}

export function linkSubnets(e: Entities): SubnetLinks {
    const { all, deref, byUrn, resolver } = e;
    const findings: DataFinding[] = [];
    // Network ACLs: a subnet has at most one (§10.6); ACLs whose associations are not resolved may cover some or any subnet.
    const aclBySubnet = new Map<string, NetworkAcl>();
    const maybeAclBySubnet = new Map<string, NetworkAcl>();
    let maybeAclAnywhere: NetworkAcl | undefined;
    for (const acl of [...all("networkAcl"), ...all("legacyAcl")]) {
        if (acl.subnets.state !== "known") {
            maybeAclAnywhere ??= acl;
            continue;
        }
        for (const ref of acl.subnets.value) {
            if (ref.state === "resolved") {
                const s = deref(ref, "subnet");
                if (!s) continue;
                const first = aclBySubnet.get(s.urn);
                if (!first) aclBySubnet.set(s.urn, acl);
                else if (first !== acl) findings.push({ urn: acl.urn, type: acl.type, name: acl.name, property: ref.path, expected: "a subnet no other network ACL is associated with (a subnet has at most one)" });
            } else if (ref.state === "unresolved") {
                const maybe = resolver.candidatesOf(ref);
                if (!maybe) maybeAclAnywhere ??= acl;
                else for (const urn of maybe) if (!maybeAclBySubnet.has(urn)) maybeAclBySubnet.set(urn, acl);
            }
        }
    }

    // EIP bindings of load balancers: Vpc/eipAssociate portId, Vpc/eip publicip.portId (§8.7).
    const boundLbs = new Set<string>();
    const maybeBound = new Map<string, string>();
    let maybeBoundAnywhere: string | undefined;
    for (const b of [...all("eipAssociate"), ...all("eip")]) {
        const ref = b.port;
        if (ref.state === "resolved" && byUrn.get(ref.urn)?.kind === "loadBalancer") boundLbs.add(ref.urn);
        else if (ref.state === "unresolved") {
            const where = `${b.name}.${ref.path}`;
            const maybe = resolver.candidatesOf(ref);
            if (!maybe) maybeBoundAnywhere ??= where;
            else for (const urn of maybe) if (!maybeBound.has(urn)) maybeBound.set(urn, where);
        }
    }

    const subnetsOf = (refs: readonly Ref[], path: string): Value<Subnet[]> => {
        const out: Subnet[] = [];
        for (const ref of refs) {
            if (ref.state === "invalid") return ref;
            const s = deref(ref, "subnet");
            if (!s) return { state: "unknown", path: ref.path || path };
            if (!out.includes(s)) out.push(s);
        }
        return { state: "known", value: out };
    };

    return {
        findings,
        aclOfSubnet(subnet: Subnet): SubnetAcl {
            const acl = aclBySubnet.get(subnet.urn);
            if (acl) return { state: "acl", acl };
            const maybe = maybeAclBySubnet.get(subnet.urn) ?? maybeAclAnywhere;
            return maybe ? { state: "unresolved", reason: `the subnets network ACL ${maybe.name} is associated with are not known at preview`, acl: maybe } : { state: "none" };
        },
        backendSubnetsOfLoadBalancer(lb: LoadBalancer): Value<Subnet[]> {
            const explicit = lb.backendSubnets;
            if (explicit.state === "known") return subnetsOf(explicit.value, "backendSubnets");
            if (explicit.state !== "absent") return explicit;
            // Default (§5.1): the ipv6NetworkId subnet (IPv6 on) and the ipv4SubnetId subnet (IPv4 on); neither =
            // "any subnet of the VPC": absent, and the consumer takes the VPC's CIDR.
            const vips = [lb.ipv4Subnet, lb.ipv6Network].filter((r) => r.state !== "absent");
            return vips.length === 0 ? { state: "absent", path: "backendSubnets" } : subnetsOf(vips, vips[0].path);
        },
        hasEip(lb: LoadBalancer): Value<boolean> {
            if ((lb.eipOnResource.state === "known" && lb.eipOnResource.value) || boundLbs.has(lb.urn)) return { state: "known", value: true };
            const maybe = maybeBound.get(lb.urn) ?? maybeBoundAnywhere;
            return maybe ? { state: "unknown", path: maybe } : lb.eipOnResource;
        },
    };
}

type Registration = ScalingGroup["registrations"][number];

/**
 * The members an AS group registers: one per `lbaasListeners` entry, standing for every instance it
 * launches (address assigned at launch, so unknown). Their NIC carries the groups the instances get
 * (stage 2 set them: the AS configuration's when it sets them, else the AS group's, else the default group). Instances
 * added to a group (as_instance_attach) are registered in its pools with their own NIC and groups.
 */
function scalingMembers(groups: readonly ScalingGroup[], attaches: readonly ScalingAttach[], deref: Deref): Member[] {
    const out: Member[] = [];
    /** A member for one registration; `reg` absent = the pools are not known (the group did not resolve). */
    const add = (from: EntityBase & { type: string }, name: string, reg: Registration | undefined, fields: Pick<Member, "address" | "subnet" | "tags"> & Partial<Member>) => {
        const pool = reg ? deref(reg.pool, "pool") : undefined;
        out.push({
            kind: "member",
            urn: from.urn,
            type: from.type,
            name,
            family: pool?.family ?? "shared",
            pool: reg?.pool ?? { state: "unresolved", path: "scalingGroupId", reason: `the AS group that ${from.name} adds an instance to (scalingGroupId) cannot be resolved, so the pools the instance is registered in are not known` },
            port: reg?.port ?? { state: "unknown", path: "scalingGroupId" },
            weight: reg?.weight ?? { state: "absent", path: "weight" },
            adminStateUp: { state: "absent", path: "adminStateUp" },
            ...fields,
        });
    };
    for (const g of groups) {
        for (const reg of g.registrations) {
            const v6 = reg.ipVersion.state === "known" && reg.ipVersion.value.trim().toLowerCase() === "ipv6";
            add(g, g.name, reg, { tags: g.tags, address: { state: "unknown", path: `${reg.path} (the instances' addresses)` }, subnet: g.nic.subnet, scalingGroup: g, ipVersion: v6 ? 6 : 4, ...(g.id !== undefined ? { id: g.id } : {}) });
        }
    }
    for (const a of attaches) {
        const g = deref(a.group, "scalingGroup");
        const server = deref(a.instance, "instance");
        const nic = server?.nics[0];
        const fields = {
            tags: { ...g?.tags, ...server?.tags },
            address: nic && nic.fixedIpV4.state === "known" ? nic.fixedIpV4 : { state: "unknown" as const, path: server ? `${server.name}.networks[0].fixedIpV4` : "instanceId" },
            subnet: nic ? nic.subnet : { state: "absent" as const, path: "networks" },
            scalingGroup: g,
            attachedServer: server,
            attachProblem: server ? undefined : `the instance added by ${a.name} (instanceId) ${a.instance.state === "external" ? "is not in this stack" : "cannot be resolved"}, so its security groups are not known`,
        };
        // Group not resolved: one member whose pool is unresolved, so it is undetermined, never dropped.
        for (const reg of g ? g.registrations : [undefined]) add(a, server?.name ?? a.name, reg, fields);
    }
    return out;
}

/** NICs by each known address, IPv4 and IPv6. */
function byAddress(holders: readonly Holder[]): Map<string, Holder[]> {
    const m = new Map<string, Holder[]>();
    for (const h of holders) {
        for (const a of [h.nic.fixedIpV4, h.nic.fixedIpV6]) {
            if (a?.state !== "known") continue;
            const k = canonicalIp(a.value);
            const list = m.get(k);
            if (!list) m.set(k, [h]);
            else if (!list.includes(h)) list.push(h);
        }
    }
    return m;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string | undefined): Map<string, T[]> {
    const m = new Map<string, T[]>();
    for (const t of items) {
        const k = key(t);
        if (k === undefined) continue;
        const list = m.get(k);
        if (list) list.push(t);
        else m.set(k, [t]);
    }
    return m;
}

function canonicalIp(text: string): string {
    const a = parseAddress(text);
    return a.ok ? `${a.value.family}:${a.value.value}` : text;
}
