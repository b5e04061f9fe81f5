/**
 * buildTopology: raw resources → normalized entities with resolved references → indexed links, in
 * named stages, each a function of what the earlier ones returned (none changes an earlier stage's
 * output; invalid values go to the one findings log):
 *
 * 1. index (indexResources): recognise each resource by its type token and index every identifier
 *    others use to refer to it (`id`, a subnet's ipv4SubnetId / ipv6SubnetId, an LB's VIP port, a
 *    group's name, an EIP's address).
 * 2. resolve (resolveEntities): normalize, resolving references on the way (resolve.ts): by literal
 *    ID, else propertyDependencies; then settle what one resource takes from another (an AS group's
 *    instance security groups, the server of an attached port).
 * 3. link NICs (link.ts linkNics): every NIC with what carries it, by server, address and subnet.
 * 4. link backends (link.ts linkBackends): the members, AS-registered ones included, and the NIC
 *    or address each one's traffic goes to.
 * The pool, security-group, subnet-ACL and EIP links are indexed beside them (linkElb, linkSubnets).
 * Every step is one pass with Maps: linear in the number of resources, no per-pair scans.
 */
import { identifiers, normalize, TARGETS, type Ctx, type IdKind, type Resolver, type Target } from "./normalize";
import { linkBackends, linkElb, linkNics, linkSubnets, type Deps, type Deref, type Entities } from "./link";
import { PropReader, type Path } from "./reader";
import { IdIndex, ReferenceResolver, type Node } from "./resolve";
import { tokenInfo, type TokenInfo } from "./tokens";
import type { Topology } from "./topology";
import type { DataFinding, Entity, EntityBase, EntityOfKind, Family, RawResource, Ref, ScalingGroup, StandaloneNic, Value } from "./types";

type Of<K extends Entity["kind"]> = EntityOfKind<K>;

const MAX_DEPENDENCIES = 10_000;

export function buildTopology(input: Iterable<RawResource>): Topology {
    const findings: DataFinding[] = [];
    const indexed = indexResources(input, findings);
    const entities = resolveEntities(indexed, findings);
    const nics = linkNics(entities);
    const backends = linkBackends(entities, nics);
    const elb = linkElb(entities, backends.members);
    const subnets = linkSubnets(entities);
    findings.push(...subnets.findings);
    const { all, byUrn, deref } = entities;

    return {
        byUrn,
        findings,
        loadBalancers: all("loadBalancer"),
        listeners: all("listener"),
        pools: all("pool"),
        members: backends.members,
        monitors: elb.monitors,
        vpcs: all("vpc"),
        subnets: all("subnet"),
        securityGroups: all("securityGroup"),
        securityGroupRules: all("securityGroupRule"),
        addressGroups: all("addressGroup"),
        networkAcls: [...all("networkAcl"), ...all("legacyAcl")],
        servers: nics.servers,
        standaloneNics: nics.standalone,
        eips: all("eip"),
        eipAssociations: all("eipAssociate"),
        peerings: all("peering"),
        peeringAccepters: all("peeringAccepter"),
        routes: [...all("route"), ...all("routeTable")].flatMap((r) => r.routes),
        routeTables: all("routeTable"),

        deref,
        listenersOfPool: elb.listenersOfPool,
        loadBalancerOfPool: elb.loadBalancerOfPool,
        membersOfPool: elb.membersOfPool,
        monitorsOfPool: elb.monitorsOfPool,
        poolOfMember: (m) => deref(m.pool, "pool"),
        subnetOfMember: (m) => deref(m.subnet, "subnet"),
        backendOfMember: backends.backendOfMember,
        subnetOfNic: (nic) => deref(nic.subnet, "subnet"),
        rulesOfGroup: elb.rulesOfGroup,
        groupsOfNic: (nic) => nic.securityGroups,
        aclOfSubnet: subnets.aclOfSubnet,
        backendSubnetsOfLoadBalancer: subnets.backendSubnetsOfLoadBalancer,
        hasEip: subnets.hasEip,
    };
}

/** What stage 1 (index) returns: the identifier index and, per recognised resource, its reader. */
interface Indexed {
    index: IdIndex;
    staged: readonly { node: Node; info: TokenInfo; reader: PropReader; deps: Deps }[];
}

/** Stage 1: recognise each resource and index the identifiers others refer to it by. */
function indexResources(input: Iterable<RawResource>, findings: DataFinding[]): Indexed {
    const index = new IdIndex();
    const staged: Indexed["staged"][number][] = [];
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
    return { index, staged };
}

/** Stage 2: normalize each resource, resolving its references; then settle what one resource takes from another. */
function resolveEntities({ index, staged }: Indexed, findings: DataFinding[]): Entities {
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
    const deref: Deref = <K extends Entity["kind"]>(ref: Ref | undefined, kind: K): Of<K> | undefined => {
        if (!ref || ref.state !== "resolved") return undefined;
        const e = byUrn.get(ref.urn);
        return e && e.kind === kind ? (e as Of<K>) : undefined;
    };

    // An AS group's instances get the AS configuration's security groups when it sets them.
    for (const g of all("scalingGroup")) g.nic = { ...g.nic, securityGroups: instanceGroups(g, deref) };
    // An InterfaceAttach with portId attaches a Port / NetworkInterface of the plan: the attachment names its server.
    const attachmentOf = new Map<string, StandaloneNic>();
    for (const a of all("interfaceAttach")) {
        const target = a.port?.state === "resolved" ? byUrn.get(a.port.urn) : undefined;
        if (target && (target.kind === "port" || target.kind === "networkInterface")) attachmentOf.set(target.urn, a);
    }
    for (const n of [...all("port"), ...all("networkInterface")]) {
        const attachment = attachmentOf.get(n.urn);
        if (attachment && n.instance.state !== "resolved") n.instance = attachment.instance;
    }

    return { byUrn, all, deref, attachmentOf, resolver, index, depsByUrn: new Map(staged.map((s) => [s.node.urn, s.deps])) };
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

    soleSubnetDependency(path: Path): string | undefined {
        const deps = this.depsOf(path);
        if (deps.length !== 1 || this.r.at(path).state !== "unknown") return undefined;
        const ref = this.ref(path, TARGETS.subnetById);
        return ref.state === "resolved" && ref.urn === deps[0] ? ref.urn : undefined;
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

/** The security groups an AS group's instances get: the AS configuration's (or its template instance's), else the group's own. */
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

