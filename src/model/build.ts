/**
 * buildTopology: raw resources → normalized entities with resolved references → indexed links.
 *
 * 1. Recognise each resource by its type token and index every identifier others use to refer to it
 *    (`id`, a subnet's ipv4SubnetId / ipv6SubnetId, an LB's VIP port, a group's name, an EIP's address).
 * 2. Normalize, resolving references on the way (resolve.ts): by literal ID, else propertyDependencies.
 * 3. Index the links (pool → listeners / members / monitors, group → rules, NICs by address and subnet,
 *    subnet → ACL, LB → EIP bindings).
 * Every step is one pass with Maps: linear in the number of resources, no per-pair scans.
 */
import { parseAddress } from "../net/addresses";
import { identifiers, normalize, type Ctx, type IdKind, type Resolver, type Target } from "./normalize";
import { PropReader, type Path } from "./reader";
import { dependencyNodes, IdIndex, ReferenceResolver, type Node } from "./resolve";
import { tokenInfo, type TokenInfo } from "./tokens";
import type { Backend, SubnetAcl, Topology } from "./topology";
import type {
    DataFinding, Entity, EntityBase, EntityOfKind, Family, Listener, LoadBalancer, Member, Monitor, NetworkAcl, Nic, Pool, RawResource, Ref, ResourceKind,
    ScalingAttach, ScalingGroup, SecurityGroupRule, Server, StandaloneNic, Subnet, Value,
} from "./types";

type Of<K extends Entity["kind"]> = EntityOfKind<K>;
type Deps = Readonly<Record<string, readonly string[]>>;

/** A NIC and what carries it. */
interface Holder {
    nic: Nic;
    holder: Server | StandaloneNic;
    server?: Server;
}

const MAX_DEPENDENCIES = 10_000;
const BACKEND_KINDS: readonly ResourceKind[] = ["instance", "port", "networkInterface", "interfaceAttach"];

export function buildTopology(input: Iterable<RawResource>): Topology {
    const findings: DataFinding[] = [];
    const index = new IdIndex();
    const staged: { node: Node; info: TokenInfo; reader: PropReader; deps: Deps }[] = [];

    // 1. Recognise and index identifiers.
    for (const res of safeList(input)) {
        const head = readHead(res);
        if (!head) continue;
        const info = tokenInfo(head.type);
        if (!info || index.nodes.has(head.urn)) continue;
        const reader = new PropReader(head.urn, head.type, head.name, head.props, findings);
        const node: Node = { urn: head.urn, type: head.type, name: head.name, kind: info.kind, known: {} };
        for (const [kind, path] of [["id", ["id"]] as const, ...identifiers(info.kind, info.family)]) {
            const v = reader.id(path);
            if (v.state === "known") node.known[kind] ??= v.value;
            else if (v.state === "unknown") (node.unknown ??= []).push(kind);
        }
        index.add(node);
        staged.push({ node, info, reader, deps: head.deps });
    }

    // 2. Normalize, resolving references.
    const resolver = new ReferenceResolver(index, findings);
    const byUrn = new Map<string, Entity>();
    const byKind = new Map<string, Entity[]>();
    const after: ((lookup: (urn: string) => Entity | undefined) => void)[] = [];
    for (const { node, info, reader, deps } of staged) {
        const id = node.known.id;
        const base: EntityBase = { urn: node.urn, type: node.type, name: node.name, tags: reader.tags() };
        if (id !== undefined) base.id = id;
        const ctx = new ResourceCtx(reader, info, base, node, deps, resolver, after);
        const entity = normalize(ctx);
        if (!entity) continue;
        byUrn.set(entity.urn, entity);
        const list = byKind.get(entity.kind);
        if (list) list.push(entity);
        else byKind.set(entity.kind, [entity]);
    }
    const lookup = (urn: string) => byUrn.get(urn);
    for (const fn of after) fn(lookup);

    const all = <K extends Entity["kind"]>(kind: K): Of<K>[] => (byKind.get(kind) ?? []) as Of<K>[];
    const deref = <K extends Entity["kind"]>(ref: Ref | undefined, kind: K): Of<K> | undefined => {
        if (!ref || ref.state !== "resolved") return undefined;
        const e = byUrn.get(ref.urn);
        return e && e.kind === kind ? (e as Of<K>) : undefined;
    };

    // 3. Links.
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

    const members = [...all("member"), ...scalingMembers(all("scalingGroup"), all("scalingAttach"), deref)];
    const membersByPool = groupBy(members, (m) => deref(m.pool, "pool")?.urn);
    const monitorsByPool = groupBy(all("monitor"), (m) => deref(m.pool, "pool")?.urn);
    const rulesByGroup = groupBy(all("securityGroupRule"), (r) => deref(r.group, "securityGroup")?.urn);

    // NICs. An InterfaceAttach with portId attaches a Port / NetworkInterface of the plan: that resource
    // carries the NIC (its address and groups), the attachment names the server.
    const servers = all("instance");
    const standalone: StandaloneNic[] = [...all("port"), ...all("networkInterface"), ...all("interfaceAttach")];
    const attachmentOf = new Map<string, StandaloneNic>();
    for (const a of all("interfaceAttach")) {
        const target = a.port?.state === "resolved" ? byUrn.get(a.port.urn) : undefined;
        if (target && (target.kind === "port" || target.kind === "networkInterface")) attachmentOf.set(target.urn, a);
    }
    const holders: Holder[] = [];
    const holderByUrn = new Map<string, Holder>();
    for (const s of servers) for (const nic of s.nics) holders.push({ nic, holder: s, server: s });
    for (const n of standalone) {
        if (n.kind === "interfaceAttach" && n.port?.state === "resolved" && attachmentOf.get(n.port.urn) === n) continue;
        const attachment = attachmentOf.get(n.urn);
        if (attachment && n.instance.state !== "resolved") n.instance = attachment.instance;
        const h: Holder = { nic: n.nic, holder: n, server: deref(n.instance, "instance") };
        holders.push(h);
        holderByUrn.set(n.urn, h);
        if (attachment) holderByUrn.set(attachment.urn, h);
    }
    const nicsOfServer = groupBy(holders, (h) => h.server?.urn);
    const nicsByIp = groupBy(holders, (h) => (h.nic.fixedIpV4.state === "known" ? canonicalIp(h.nic.fixedIpV4.value) : undefined));
    // NICs whose address is assigned at creation (unknown or not set): by subnet, or nowhere certain.
    const open = holders.filter((h) => h.nic.fixedIpV4.state === "unknown" || h.nic.fixedIpV4.state === "absent");
    const openBySubnet = groupBy(open, (h) => deref(h.nic.subnet, "subnet")?.urn);
    const openUnplaced = open.filter((h) => h.nic.subnet.state !== "resolved" && h.nic.subnet.state !== "external");

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

    const depsByUrn = new Map(staged.map((s) => [s.node.urn, s.deps]));
    const depsOf = (urn: string, key: string): readonly string[] => {
        const d = depsByUrn.get(urn);
        return d && Object.prototype.hasOwnProperty.call(d, key) ? d[key] : [];
    };
    const subnetOf = (h: Holder) => deref(h.nic.subnet, "subnet");
    const toBackend = (h: Holder): Backend => ({ state: "nic", nic: h.nic, server: h.server, holder: h.holder });

    /** The NIC the member's address comes from, through the propertyDependencies of `address`; undefined = none in the stack. */
    const fromDependencies = (m: Member, subnet: Subnet | undefined): Backend | undefined => {
        const c = dependencyNodes(index, depsOf(m.urn, "address"), BACKEND_KINDS);
        if (c.length === 0) return undefined;
        if (c.length > 1) return { state: "unresolved", reason: `the member's address comes from ${c.length} servers or network interfaces (${c.map((n) => n.name).join(", ")})` };
        const nics = c[0].kind === "instance" ? (nicsOfServer.get(c[0].urn) ?? []) : [holderByUrn.get(c[0].urn)].filter((h): h is Holder => !!h);
        const inSubnet = subnet ? nics.filter((h) => subnetOf(h) === subnet) : [];
        if (inSubnet.length === 1) return toBackend(inSubnet[0]);
        if (nics.length === 1) return toBackend(nics[0]);
        return { state: "unresolved", reason: `the member's address comes from ${c[0].name}, which has ${nics.length} network interfaces, and the member's subnet does not single one out` };
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
            if (linked && linked.state === "nic" && linked.nic.fixedIpV4.state !== "known") return linked;
            // No NIC has it; one whose address is assigned at creation in the member's subnet might.
            const maybe = subnet ? (openBySubnet.get(subnet.urn)?.[0] ?? openUnplaced[0]) : open[0];
            if (maybe) return { state: "unresolved", reason: `the member's address may belong to ${maybe.holder.name}, whose address is assigned at creation` };
            return { state: "outside", address: a.value };
        }
        if (a.state === "unknown") {
            return fromDependencies(m, subnet) ?? { state: "unresolved", reason: "the member's address is unknown at preview and does not come from a server or network interface in this stack" };
        }
        return { state: "unresolved", reason: a.state === "invalid" ? `the member's address is invalid (expected ${a.expected})` : "the member has no address" };
    };

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

    const topology: Topology = {
        byUrn,
        findings,
        loadBalancers: all("loadBalancer"),
        listeners: all("listener"),
        pools: all("pool"),
        members,
        monitors: all("monitor"),
        vpcs: all("vpc"),
        subnets: all("subnet"),
        securityGroups: all("securityGroup"),
        securityGroupRules: all("securityGroupRule"),
        addressGroups: all("addressGroup"),
        networkAcls: [...all("networkAcl"), ...all("legacyAcl")],
        servers,
        standaloneNics: standalone,
        eips: all("eip"),
        eipAssociations: all("eipAssociate"),

        deref,
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
        poolOfMember: (m) => deref(m.pool, "pool"),
        subnetOfMember: (m) => deref(m.subnet, "subnet"),
        backendOfMember,
        subnetOfNic: (nic) => deref(nic.subnet, "subnet"),
        rulesOfGroup: (g): SecurityGroupRule[] => rulesByGroup.get(g.urn) ?? [],
        groupsOfNic: (nic) => nic.securityGroups,
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

    return topology;
}

/** What a normalizer gets for one resource; also its reference resolver (propertyDependencies bound in). */
class ResourceCtx implements Ctx, Resolver {
    readonly family: Family;
    readonly resolve: Resolver = this;

    constructor(
        readonly r: PropReader,
        readonly info: TokenInfo,
        readonly base: EntityBase,
        private readonly node: Node,
        private readonly deps: Deps,
        private readonly resolver: ReferenceResolver,
        private readonly afterAll: ((lookup: (urn: string) => Entity | undefined) => void)[],
    ) {
        this.family = info.family ?? "shared";
    }

    knownId(kind: IdKind): string | undefined {
        return this.node.known[kind];
    }

    after(fn: (lookup: (urn: string) => Entity | undefined) => void): void {
        this.afterAll.push(fn);
    }

    /** propertyDependencies of the top-level property (a nested value shares its top-level key's). */
    private depsOf(path: Path): readonly string[] {
        const top = path[0];
        return typeof top === "string" && Object.prototype.hasOwnProperty.call(this.deps, top) ? this.deps[top] : [];
    }

    ref(path: Path, to: Target): Ref {
        return this.resolver.one(this.r, path, to, this.depsOf(path));
    }

    refList(path: Path, to: Target, sub: Path = []): Value<Ref[]> {
        return this.resolver.list(this.r, path, to, sub, this.depsOf(path));
    }
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

/** The input as an array; a hostile iterable yields what it yielded before throwing. */
function safeList(input: Iterable<RawResource>): readonly unknown[] {
    if (Array.isArray(input)) return input;
    const out: unknown[] = [];
    try {
        for (const r of input) out.push(r);
    } catch {
        // Keep what was read.
    }
    return out;
}

/** urn, type, name, props and sanitized propertyDependencies of a raw resource, or undefined if it is not one. */
function readHead(res: unknown): { urn: string; type: string; name: string; props: unknown; deps: Deps } | undefined {
    if (res === null || typeof res !== "object") return undefined;
    try {
        const r = res as Record<string, unknown>;
        const { urn, type, name } = r;
        if (typeof urn !== "string" || typeof type !== "string") return undefined;
        return { urn, type, name: typeof name === "string" ? name : logicalName(urn), props: r.props, deps: sanitizeDeps(r.propertyDependencies) };
    } catch {
        return undefined;
    }
}

/** The last `::` segment of a URN (its logical name), or the whole string. */
function logicalName(urn: string): string {
    const at = urn.lastIndexOf("::");
    return at < 0 ? urn : urn.slice(at + 2);
}

/** Property name → URN strings; anything else is dropped (no prototype, capped). */
function sanitizeDeps(raw: unknown): Deps {
    const out = Object.create(null) as Record<string, readonly string[]>;
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return out;
    try {
        for (const key of Object.keys(raw).slice(0, MAX_DEPENDENCIES)) {
            const v = (raw as Record<string, unknown>)[key];
            if (Array.isArray(v)) out[key] = v.slice(0, MAX_DEPENDENCIES).filter((u): u is string => typeof u === "string");
        }
    } catch {
        // Whatever was read stays.
    }
    return out;
}

type Deref = <K extends Entity["kind"]>(ref: Ref | undefined, kind: K) => EntityOfKind<K> | undefined;
type Registration = ScalingGroup["registrations"][number];

/**
 * The members an AS group registers: one per `lbaasListeners` entry, standing for every instance it
 * launches (address assigned at launch, so unknown). Their NIC carries the groups the instances get:
 * the AS configuration's when it sets them, else the AS group's, else the default group. Instances
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
        g.nic = { ...g.nic, securityGroups: instanceGroups(g, deref) };
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

function instanceGroups(g: ScalingGroup, deref: Deref): Value<Ref[]> {
    const own = g.nic.securityGroups;
    const ref = g.configuration;
    if (ref.state === "absent") return own;
    const config = deref(ref, "scalingConfiguration");
    const unresolved = (reason: string): Value<Ref[]> => ({ state: "known", value: [{ state: "unresolved", path: ref.path, reason }] });
    if (!config) {
        const why = ref.state === "external" ? "is not in this stack" : ref.state === "unresolved" ? `cannot be resolved (${ref.reason})` : ref.state === "invalid" ? "is invalid" : "is not an AS configuration of this stack";
        return unresolved(`the AS configuration (scalingConfigurationId) ${why}, and the security groups it sets take precedence over the AS group's`);
    }
    if (config.template.state !== "absent") {
        const nic = deref(config.template, "instance")?.nics[0];
        return nic ? nic.securityGroups : unresolved(`AS configuration ${config.name} copies its settings from an instance (instanceConfig.instanceId) that is not in this stack`);
    }
    return config.securityGroups.state === "absent" ? own : config.securityGroups;
}
