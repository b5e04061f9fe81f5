/**
 * What a normalizer gets: the resource's reader, its base fields, and a resolver for references.
 * References are resolved while normalizing: every identifier of every resource was indexed first
 * (build.ts), so a normalizer turns `poolId` straight into a Ref.
 */
import type { PropReader, Path } from "../reader";
import type { TokenInfo } from "../tokens";
import type { Entity, EntityBase, Family, Ref, ResourceKind, Value } from "../types";

/** Which identifier of the target a reference carries (huaweicloud-resources.md §3.1 for subnets). */
export type IdKind = "id" | "ipv4SubnetId" | "ipv6SubnetId" | "portId" | "name" | "address";

/** What a reference points at: resource kinds, and the identifier it carries. */
export interface Target {
    readonly kinds: readonly ResourceKind[];
    /** Tried in order; the first identifier kind with a hit wins. */
    readonly ids: readonly IdKind[];
    /** Words for reasons: "subnet", "security group". */
    readonly noun: string;
}

const target = (noun: string, kinds: ResourceKind[], ids: IdKind[]): Target => ({ noun, kinds, ids });

/** The targets used by the normalizers, one per (kind, identifier) the provider documents. */
export const TARGETS = {
    vpc: target("VPC", ["vpc"], ["id"]),
    /** Subnet `id` (the VPC subnet / OpenStack network ID): ECS networks[].uuid, ACL associations, backendSubnets, ipv6NetworkId, NIC subnetId (§3.1). */
    subnetById: target("subnet", ["subnet"], ["id"]),
    /** Subnet `ipv4SubnetId` (alias `subnetId`): shared vipSubnetId, members' subnetId, dedicated ipv4SubnetId (§3.1). */
    subnetByIpv4: target("subnet", ["subnet"], ["ipv4SubnetId"]),
    /** A dedicated member's subnetId: the IPv4 subnet ID, or the IPv6 one for an IPv6 member (§5.4). */
    subnetByIpv4OrIpv6: target("subnet", ["subnet"], ["ipv4SubnetId", "ipv6SubnetId"]),
    loadBalancer: target("load balancer", ["loadBalancer"], ["id"]),
    listener: target("listener", ["listener"], ["id"]),
    /** A pool ID: a pool, or an active/standby pool (a listener's defaultPoolId may name either). */
    pool: target("pool", ["pool", "activeStandbyPool"], ["id"]),
    securityGroup: target("security group", ["securityGroup"], ["id"]),
    /** ECS `securityGroups`: group NAMES, resolved by name at create (§8.3). */
    securityGroupByName: target("security group", ["securityGroup"], ["name"]),
    addressGroup: target("address group", ["addressGroup"], ["id"]),
    legacyAclRule: target("network ACL rule", ["legacyAclRule"], ["id"]),
    instance: target("ECS instance", ["instance"], ["id"]),
    scalingConfiguration: target("AS configuration", ["scalingConfiguration"], ["id"]),
    scalingGroup: target("AS group", ["scalingGroup"], ["id"]),
    peering: target("VPC peering connection", ["peering"], ["id"]),
    routeTable: target("route table", ["routeTable"], ["id"]),
    /** A port ID: a shared LB's vipPortId, a dedicated LB's ipv4PortId, a Port's or NetworkInterface's id (§8.7). */
    port: target("port", ["loadBalancer", "port", "networkInterface"], ["portId"]),
    nicPort: target("port", ["port", "networkInterface"], ["portId"]),
    /** Vpc/eipAssociate `publicIp` is the EIP's address, not its ID (§8.7). */
    eipByAddress: target("EIP", ["eip"], ["address"]),
} as const;

/** Resolves the references of one resource (its propertyDependencies are bound in). */
export interface Resolver {
    /** A single reference at `path`; unknown values are resolved through propertyDependencies[path[0]]. */
    ref(path: Path, to: Target): Ref;
    /**
     * A list whose every element is a reference of ONE kind (`securityGroupIds`, `backendSubnets`,
     * `associatedSubnets[].subnetId` with `sub = ["subnetId"]`): the dependency URNs, in their order,
     * stand for the elements the plan does not know.
     */
    refList(path: Path, to: Target, sub?: Path): Value<Ref[]>;
}

export interface Ctx {
    readonly r: PropReader;
    readonly info: TokenInfo;
    readonly base: EntityBase;
    /** The ELB family; meaningless for other kinds. */
    readonly family: Family;
    readonly resolve: Resolver;
    /** A known identifier of this resource, as indexed (e.g. a subnet's ipv4SubnetId). */
    knownId(kind: IdKind): string | undefined;
    /**
     * The subnet an unknown value at `path` can only have come from: the top-level property's
     * propertyDependencies name exactly one resource, and it is a subnet of the plan.
     */
    soleSubnetDependency(path: Path): string | undefined;
    /** Run once every entity exists (e.g. a legacy ACL taking its rule resources). */
    after(fn: (lookup: (urn: string) => Entity | undefined) => void): void;
}

/** Allowed values, upper-case as the provider documents them (compared case-insensitively). */
export const LISTENER_PROTOCOLS = ["TCP", "UDP", "HTTP", "HTTPS", "TERMINATED_HTTPS", "QUIC", "TLS", "IP"] as const;
export const POOL_PROTOCOLS = ["TCP", "UDP", "HTTP", "HTTPS", "QUIC", "GRPC", "TLS", "IP"] as const;
export const MONITOR_PROTOCOLS = ["TCP", "UDP_CONNECT", "HTTP", "HTTPS", "GRPC", "TLS"] as const;
export const ACTIONS = ["allow", "deny"] as const;

/**
 * The entity: kind-specific fields plus the base fields. Object.assign, not an object spread: V8 builds
 * `{ ...base, many: fields }` literals slowly (~10 µs each), which dominated a 50k-resource build.
 */
export function entity<T extends object>(c: Ctx, fields: T): T & EntityBase {
    return Object.assign(fields, c.base);
}

export const absent = <T>(path: string): Value<T> => ({ state: "absent", path });
export const absentRef = (path: string): Ref => ({ state: "absent", path });

/** 4 or 6 from a number field (a numeric string too, as everywhere); `fallback` when not set. */
export function ipVersion(r: PropReader, path: Path, fallback: 4 | 6 | undefined): Value<4 | 6> {
    if (fallback !== undefined && r.unset(path)) return { state: "known", value: fallback };
    return r.read(path, (v) => {
        const n = typeof v === "number" ? v : typeof v === "string" && v.length < 8 ? Number(v.trim()) : NaN;
        return n === 4 || n === 6 ? { ok: true, value: n } : { ok: false, error: "4 or 6" };
    });
}
