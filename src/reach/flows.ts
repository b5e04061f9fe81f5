/**
 * What a load balancer's health checks send to a member (seed "Checking Security Group Rules";
 * huaweicloud-resources.md §9, §10.1–10.3):
 * - source: shared ELBs the configured ranges (100.125.0.0/16, 100.126.0.0/16); dedicated ELBs the
 *   CIDRs of their backend subnets (or the VPC CIDR, configurably);
 * - protocol: TCP for TCP/HTTP/HTTPS/GRPC/TLS checks, UDP for UDP_CONNECT, plus ICMP with UDP;
 * - port: the monitor's port, else the member's; and the member port too when it differs
 *   ("inbound security group rules must allow traffic over both ports").
 */
import { AddressSet, parseAddress } from "../net/addresses";
import { isValidPort } from "../net/ports";
import { ICMP, TCP, UDP } from "../net/protocols";
import type { Backend, Topology } from "../model/topology";
import type { Listener, LoadBalancer, Member, Monitor, Pool, Subnet, Value, Vpc } from "../model/types";
import { perTopology } from "./memo";
import { missing, type Note, type SourceLabel, type Subject } from "./notes";
import type { Flow, ReachConfig } from "./types";

/** Everything around a member that its health checks depend on. */
export interface MemberContext {
    pool?: Pool;
    monitor?: Monitor;
    loadBalancer?: LoadBalancer;
    listeners: Listener[];
    backend: Backend;
    /** The member's subnet: `member.subnet`, else the subnet of the NIC carrying its address. */
    subnet?: Subnet;
}

export function memberContext(topology: Topology, member: Member): MemberContext {
    const pool = topology.poolOfMember(member);
    const backend = topology.backendOfMember(member);
    const subnet = topology.subnetOfMember(member) ?? (backend.state === "nic" ? topology.subnetOfNic(backend.nic) : undefined);
    return {
        pool,
        monitor: pool ? topology.monitorsOfPool(pool)[0] : undefined,
        loadBalancer: pool ? topology.loadBalancerOfPool(pool) : undefined,
        listeners: pool ? topology.listenersOfPool(pool) : [],
        backend,
        subnet,
    };
}

export type FlowsResult = { ok: true; flows: Flow[]; family: 4 | 6; assumptions: Note[] } | { ok: false; reason: Note };

type Out<T> = { ok: true; value: T } | { ok: false; reason: Note };
const fail = (reason: Note): { ok: false; reason: Note } => ({ ok: false, reason });

/** Why a value cannot be used (unknown at preview, invalid, not set). */
export const why = (v: Value<unknown>, what: Subject): Note => ({ code: "value", what, value: missing(v) });

const TCP_CHECKS = new Set(["TCP", "HTTP", "HTTPS", "GRPC", "TLS"]);
const TCP_POOLS = new Set(["TCP", "HTTP", "HTTPS", "GRPC", "TLS"]);
const UDP_POOLS = new Set(["UDP", "QUIC"]);

/** Transport of the probe: the monitor's protocol (UDP_CONNECT → UDP), else the pool's. */
function checkTransport(monitor: Monitor | undefined, pool: Pool): Out<number> {
    if (monitor) {
        const p = monitor.protocol;
        if (p.state !== "known") return fail(why(p, { of: "health-check-protocol" }));
        if (p.value === "UDP_CONNECT") return { ok: true, value: UDP };
        if (TCP_CHECKS.has(p.value)) return { ok: true, value: TCP };
        return fail({ code: "check-protocol-unsupported", protocol: p.value });
    }
    return poolTransport(pool);
}

/** Transport of forwarded traffic: UDP for UDP/QUIC pools, TCP for the others. */
function poolTransport(pool: Pool): Out<number> {
    const p = pool.protocol;
    if (p.state !== "known") return fail(why(p, { of: "pool-protocol" }));
    if (UDP_POOLS.has(p.value)) return { ok: true, value: UDP };
    if (TCP_POOLS.has(p.value)) return { ok: true, value: TCP };
    return fail({ code: "pool-protocol-unsupported", protocol: p.value });
}

/** Listener protocols of an application (Layer-7) load balancer: it talks IPv4 to its backends. */
const LAYER7 = new Set(["HTTP", "HTTPS", "TERMINATED_HTTPS", "QUIC", "GRPC"]);

/** The pool's listeners are all known and all Layer 7 (a dedicated application listener talks IPv4 to backends). */
export function onlyLayer7(listeners: readonly Listener[]): boolean {
    return listeners.length > 0 && listeners.every((l) => l.protocol.state === "known" && LAYER7.has(l.protocol.value));
}

/**
 * The IP version of the member's address. Known: the address says. Unknown at preview, in order: an AS
 * group's `protocolVersion`; the member's `subnetId` being the subnet's ipv6SubnetId; the pool's
 * `ipVersion` (`v4`/`v6`); a subnet with no IPv6; an application (HTTP/HTTPS) listener of a dedicated load
 * balancer, which talks IPv4 to its backends; the server NIC having IPv6 disabled. Else it cannot be told.
 * docs/assumptions.md records the readings (25, 36).
 */
export function memberIpVersion(member: Member, subnet: Subnet | undefined, backend?: Backend, ctx?: Pick<MemberContext, "pool" | "listeners" | "loadBalancer">): { ok: true; family: 4 | 6; assumption?: Note } | { ok: false; reason: Note } {
    const a = member.address;
    if (a.state === "known") {
        const parsed = parseAddress(a.value);
        return parsed.ok ? { ok: true, family: parsed.value.family } : fail({ code: "member-address-not-ip" });
    }
    if (a.state !== "unknown") return fail(why(a, { of: "member-address" }));
    if (member.scalingGroup && !member.attachedServer && member.attachProblem === undefined) {
        const v = member.ipVersion ?? 4;
        return { ok: true, family: v, assumption: { code: "as-group-ip-version", group: member.name, family: v } };
    }
    // A dedicated member names the IPv6 subnet ID for an IPv6 address (§5.4).
    if (member.subnetIdLiteral !== undefined && subnet?.ipv6SubnetId === member.subnetIdLiteral && subnet.ipv4SubnetId !== member.subnetIdLiteral) {
        return { ok: true, family: 6, assumption: { code: "address-ipv6-subnet-id", subnet: subnet.name } };
    }
    const pool = ctx?.pool;
    if (pool && pool.ipVersion.state === "known" && (pool.ipVersion.value === "v4" || pool.ipVersion.value === "v6")) {
        const v = pool.ipVersion.value === "v6" ? 6 : 4;
        return { ok: true, family: v, assumption: { code: "address-pool-ip-version", pool: pool.name, family: v, ipVersion: pool.ipVersion.value } };
    }
    // A dual-stack subnet: a known IPv6 CIDR, or IPv6 enabled on a subnet being created (its CIDR is computed).
    const dual = !!subnet && (subnet.ipv6Cidr.state === "known" || (subnet.ipv6Enable?.state === "known" && subnet.ipv6Enable.value));
    if (!dual) return { ok: true, family: 4, assumption: { code: "address-no-ipv6-subnet" } };
    // An application load balancer talks IPv4 to its backends ("must communicate with backend servers using an IPv4 address").
    if (ctx?.loadBalancer?.family === "dedicated" && onlyLayer7(ctx.listeners)) {
        return { ok: true, family: 4, assumption: { code: "address-layer7" } };
    }
    // The server's network interface says whether it has an IPv6 address at all (ECS networks[].ipv6Enable, default false).
    const v6 = backend?.state === "nic" ? backend.nic.ipv6Enable : undefined;
    if (v6 && (v6.state === "absent" || (v6.state === "known" && !v6.value))) return { ok: true, family: 4, assumption: { code: "address-nic-no-ipv6" } };
    return fail({ code: "ip-version-ambiguous", subnet: subnet!.name });
}

/** The flows the load balancer needs admitted for a member's health checks (and forwarded traffic on the member port). */
export function healthCheckFlows(topology: Topology, member: Member, config: ReachConfig, ctx: MemberContext = memberContext(topology, member)): FlowsResult {
    const { pool, monitor, loadBalancer: lb } = ctx;
    if (!pool) return fail(member.pool.state === "unresolved" ? { code: "model", text: member.pool.reason } : { code: member.pool.state === "external" ? "pool-not-in-stack" : "pool-unresolved", path: member.pool.path });
    const version = memberIpVersion(member, ctx.subnet, ctx.backend, ctx);
    if (!version.ok) return version;
    const family = version.family;

    const transport = checkTransport(monitor, pool);
    if (!transport.ok) return transport;

    // Health-check port: the monitor's, else the member's. With anyPortEnable the member port is not fixed.
    const anyPort = pool.anyPortEnable.state === "known" && pool.anyPortEnable.value;
    const memberPort = member.port;
    let checkPort: number;
    if (monitor && monitor.port.state === "known") checkPort = monitor.port.value;
    else if (monitor && monitor.port.state !== "absent") return fail(why(monitor.port, { of: "health-check-port" }));
    else if (anyPort) return fail({ code: "any-port-no-check-port" });
    else if (memberPort.state === "known" && isValidPort(memberPort.value)) checkPort = memberPort.value;
    else return fail(memberPort.state === "known" ? { code: "member-port-invalid", port: memberPort.value } : why(memberPort, { of: "member-port" }));

    const src = sources(topology, member, lb, family, config);
    if (!src.ok) return src;
    if (src.value.sources.isEmpty()) return fail({ code: "sources-empty", sources: src.value.label, family });
    const base: Pick<Flow, "family" | "sources" | "sourceLabel" | "unknownSources"> = { family, sources: src.value.sources, sourceLabel: src.value.label };
    if (src.value.unknown) base.unknownSources = src.value.unknown;
    const flows: Flow[] = [{ ...base, protocol: transport.value, port: checkPort, purpose: "health-check port" }];

    // The member port must be open as well when it differs (seed: "allow traffic over both ports").
    if (!anyPort) {
        if (memberPort.state !== "known") return fail(why(memberPort, { of: "member-port" }));
        if (!isValidPort(memberPort.value)) return fail({ code: "member-port-invalid", port: memberPort.value });
        const forward = poolTransport(pool);
        if (!forward.ok) return forward;
        if (memberPort.value !== checkPort || forward.value !== transport.value) flows.push({ ...base, protocol: forward.value, port: memberPort.value, purpose: "member port" });
    }
    // UDP health checks need inbound ICMP as well (§10.3); without a monitor there are no checks.
    if (monitor && transport.value === UDP) flows.push({ ...base, protocol: ICMP, purpose: "ICMP for UDP health checks" });
    return { ok: true, flows, family, assumptions: version.assumption ? [version.assumption] : [] };
}

type Sources = Out<{ sources: AddressSet; label: SourceLabel; unknown?: { reason: Note; name: Subject; subnet?: string } }>;

/** Sources depend on the config, the family and (dedicated) the load balancer only: computed once each per topology. */
const sourcesMemo = perTopology<Sources>();

function sources(topology: Topology, member: Member, lb: LoadBalancer | undefined, family: 4 | 6, config: ReachConfig): Sources {
    const key = member.family === "shared" ? `shared/${family}/${config.sharedElbSourceRanges.key()}` : `${lb?.urn ?? ""}/${family}/${config.dedicatedSource}`;
    return sourcesMemo(topology, key, () => computeSources(topology, member, lb, family, config));
}

function computeSources(topology: Topology, member: Member, lb: LoadBalancer | undefined, family: 4 | 6, config: ReachConfig): Sources {
    if (member.family === "shared") {
        const set = config.sharedElbSourceRanges.only(family);
        return { ok: true, value: { sources: set, label: { kind: "shared", cidrs: set.toCidrs() } } };
    }
    if (!lb) return fail({ code: "lb-unresolved" });
    if (config.dedicatedSource === "backend-subnet") {
        let subnets = topology.backendSubnetsOfLoadBalancer(lb);
        // Without backendSubnets, IPv6 traffic leaves from the ipv6NetworkId subnet (§5.1: "If IPv6 is enabled … ipv6_network_id will be used").
        const v6Network = family === 6 && lb.backendSubnets.state === "absent" ? topology.deref(lb.ipv6Network, "subnet") : undefined;
        if (v6Network) subnets = { state: "known", value: [v6Network] };
        if (subnets.state === "known") {
            let set = AddressSet.EMPTY;
            const names: { name: string; cidrs: string[] }[] = [];
            const noV6: string[] = [];
            let pending: { reason: Note; name: Subject; subnet?: string } | undefined;
            for (const s of subnets.value) {
                if (family === 6 && s.ipv6Cidr.state === "absent") {
                    // A subnet being created with IPv6 enabled gets its IPv6 CIDR at creation; without IPv6 it carries no IPv6 check.
                    if (s.ipv6Enable?.state === "known" && s.ipv6Enable.value) {
                        pending ??= { reason: { code: "subnet-ipv6-cidr-pending", subnet: s.name }, name: { of: "subnet-cidr", family: 6, subnet: s.name } };
                        continue;
                    }
                    if (s.ipv6Enable?.state === "unknown" || s.ipv6Enable?.state === "invalid") return fail(why(s.ipv6Enable, { of: "backend-subnet-ipv6", subnet: s.name }));
                    noV6.push(s.name);
                    continue;
                }
                const cidr = family === 4 ? s.cidr : s.ipv6Cidr;
                if (cidr.state === "unknown") {
                    // Computed at creation: the verdict must then hold for every address of the family.
                    pending ??= { reason: why(cidr, { of: "subnet-cidr", family, subnet: s.name }), name: { of: "subnet-cidr", family, subnet: s.name } };
                    continue;
                }
                if (cidr.state !== "known") return fail(why(cidr, { of: "subnet-cidr", family, subnet: s.name }));
                set = set.union(cidr.value.only(family));
                names.push({ name: s.name, cidrs: cidr.value.only(family).toCidrs() });
            }
            if (pending) {
                // The sources are exactly one subnet's unknown CIDR: rules taking that CIDR can be matched to it.
                if (subnets.value.length === 1) pending.subnet = subnets.value[0].urn;
                return { ok: true, value: { sources: AddressSet.anyOf(family), label: { kind: "pending", name: pending.name }, unknown: pending } };
            }
            if (names.length === 0 && noV6.length > 0) {
                return fail({ code: "backend-subnets-no-ipv6", subnets: noV6, lb: lb.name });
            }
            return { ok: true, value: { sources: set, label: { kind: "backend-subnets", subnets: names, lb: lb.name } } };
        }
        if (subnets.state !== "absent") return fail(why(subnets, { of: "lb-backend-subnets", lb: lb.name }));
        // Neither backend nor VIP subnets: "any subnet of the VPC" (§5.1), so the whole VPC.
    }
    return vpcSources(topology, lb, family);
}

function vpcOf(topology: Topology, lb: LoadBalancer): Vpc | undefined {
    const direct = topology.deref(lb.vpc, "vpc");
    if (direct) return direct;
    const subnet = topology.deref(lb.ipv4Subnet, "subnet") ?? topology.deref(lb.ipv6Network, "subnet");
    return subnet ? topology.deref(subnet.vpc, "vpc") : undefined;
}

function vpcSources(topology: Topology, lb: LoadBalancer, family: 4 | 6): Sources {
    const vpc = vpcOf(topology, lb);
    if (!vpc) return fail({ code: "vpc-unresolved", lb: lb.name });
    if (family === 6) {
        // A VPC has no IPv6 CIDR of its own: its subnets' IPv6 CIDRs.
        let set = AddressSet.EMPTY;
        for (const s of topology.subnets) {
            if (topology.deref(s.vpc, "vpc") === vpc && s.ipv6Cidr.state === "known") set = set.union(s.ipv6Cidr.value.only(6));
        }
        return { ok: true, value: { sources: set, label: { kind: "vpc-ipv6-subnets", vpc: vpc.name, cidrs: set.toCidrs() } } };
    }
    if (vpc.cidr.state !== "known") return fail(why(vpc.cidr, { of: "vpc-cidr", vpc: vpc.name }));
    let set = vpc.cidr.value.only(4);
    if (vpc.secondaryCidrs.state === "known") set = set.union(vpc.secondaryCidrs.value.only(4));
    else if (vpc.secondaryCidrs.state !== "absent") return fail(why(vpc.secondaryCidrs, { of: "vpc-secondary-cidrs", vpc: vpc.name }));
    return { ok: true, value: { sources: set, label: { kind: "vpc", vpc: vpc.name, cidrs: set.toCidrs() } } };
}
