/**
 * What a load balancer's health checks send to a member (seed: "Checking Security Group Rules";
 * huaweicloud-resources.md §9, §10.1–10.3):
 * - source: shared ELBs the configured ranges (100.125.0.0/16, 100.126.0.0/16); dedicated ELBs the
 *   CIDRs of their backend subnets (or the VPC, configurably);
 * - protocol: TCP for TCP/HTTP/HTTPS/GRPC/TLS checks, UDP for UDP_CONNECT, plus ICMP for UDP;
 * - port: the monitor's port, else the member's; and the member port too when it differs.
 */
import { AddressSet } from "../net/addresses";
import { ICMP, TCP, UDP } from "../net/protocols";
import type { Topology } from "../model/topology";
import type { LoadBalancer, Member, Monitor, Pool, Value } from "../model/types";
import type { Flow, ReachConfig } from "./types";

const UDP_POOLS = new Set(["UDP", "QUIC"]);

export type FlowsResult = { ok: true; flows: Flow[] } | { ok: false; reason: string };

const why = (v: Value<unknown>, what: string) =>
    v.state === "unknown" ? `${what} (${v.path}) is unknown at preview` : v.state === "invalid" ? `${what} (${v.path}) is invalid` : `${what} is not set`;

export function healthCheckFlows(topology: Topology, member: Member, pool: Pool, monitor: Monitor | undefined, lb: LoadBalancer | undefined, config: ReachConfig): FlowsResult {
    const family: 4 | 6 = member.address.state === "known" && member.address.value.includes(":") ? 6 : 4;

    // Transport of the check.
    let transport: number;
    if (monitor && monitor.protocol.state === "known") transport = monitor.protocol.value === "UDP_CONNECT" ? UDP : TCP;
    else if (pool.protocol.state === "known") transport = UDP_POOLS.has(pool.protocol.value) ? UDP : TCP;
    else return { ok: false, reason: why(monitor ? monitor.protocol : pool.protocol, "the health-check protocol") };
    const poolTransport = pool.protocol.state === "known" ? (UDP_POOLS.has(pool.protocol.value) ? UDP : TCP) : transport;

    // Ports: the monitor's, else the member's; the member port as well when it differs.
    const anyPort = pool.anyPortEnable.state === "known" && pool.anyPortEnable.value;
    let checkPort: number;
    if (monitor && monitor.port.state === "known") checkPort = monitor.port.value;
    else if (monitor && monitor.port.state !== "absent") return { ok: false, reason: why(monitor.port, "the health-check port") };
    else if (member.port.state === "known" && !anyPort) checkPort = member.port.value;
    else return { ok: false, reason: anyPort ? "the pool forwards any port and the health check sets no port" : why(member.port, "the member port") };

    const src = sources(topology, member, lb, family, config);
    if (!src.ok) return src;
    const base = { family, sources: src.sources, sourceLabel: src.label };
    const flows: Flow[] = [{ ...base, protocol: transport, port: checkPort, purpose: "health-check port" }];
    if (!anyPort && member.port.state === "known" && member.port.value > 0 && (member.port.value !== checkPort || poolTransport !== transport)) {
        flows.push({ ...base, protocol: poolTransport, port: member.port.value, purpose: "member port" });
    } else if (!anyPort && member.port.state !== "known" && member.port.state !== "absent") {
        return { ok: false, reason: why(member.port, "the member port") };
    }
    // UDP health checks need ICMP as well (§10.3).
    if (transport === UDP) flows.push({ ...base, protocol: ICMP, purpose: "ICMP for UDP health checks" });
    return { ok: true, flows };
}

type Sources = { ok: true; sources: AddressSet; label: string } | { ok: false; reason: string };

function sources(topology: Topology, member: Member, lb: LoadBalancer | undefined, family: 4 | 6, config: ReachConfig): Sources {
    if (member.family === "shared") {
        const set = config.sharedElbSourceRanges.only(family);
        return { ok: true, sources: set, label: `shared ELB source ranges ${config.sharedElbSourceRanges.toString()}` };
    }
    if (!lb) return { ok: false, reason: "the member's load balancer is not resolved, so its backend subnet is not known" };
    if (config.dedicatedSource === "backend-subnet") {
        const subnets = topology.backendSubnetsOfLoadBalancer(lb);
        if (subnets.state === "known") {
            let set = AddressSet.EMPTY;
            const names: string[] = [];
            for (const s of subnets.value) {
                const cidr = family === 4 ? s.cidr : s.ipv6Cidr;
                if (cidr.state !== "known") return { ok: false, reason: why(cidr, `the CIDR of backend subnet ${s.name}`) };
                set = set.union(cidr.value.only(family));
                names.push(`${s.name} (${cidr.value.only(family).toString()})`);
            }
            return { ok: true, sources: set, label: `backend subnet${names.length > 1 ? "s" : ""} ${names.join(", ")} of ${lb.name}` };
        }
        if (subnets.state !== "absent") return { ok: false, reason: why(subnets, `the backend subnets of ${lb.name}`) };
        // No backend subnet and no VIP subnet: "any subnet of the VPC" (§5.1), so the whole VPC.
    }
    return vpcSources(topology, lb, family);
}

function vpcSources(topology: Topology, lb: LoadBalancer, family: 4 | 6): Sources {
    let vpc = topology.deref(lb.vpc, "vpc");
    if (!vpc) {
        const subnet = topology.deref(lb.ipv4Subnet, "subnet");
        vpc = subnet ? topology.deref(subnet.vpc, "vpc") : undefined;
    }
    if (!vpc) return { ok: false, reason: `the VPC of ${lb.name} is not resolved` };
    if (family === 6) {
        // A VPC has no IPv6 CIDR of its own here: use its subnets' IPv6 CIDRs.
        let set = AddressSet.EMPTY;
        for (const s of topology.subnets) {
            if (topology.deref(s.vpc, "vpc") !== vpc) continue;
            if (s.ipv6Cidr.state === "known") set = set.union(s.ipv6Cidr.value);
        }
        return { ok: true, sources: set.only(6), label: `IPv6 subnets of VPC ${vpc.name}` };
    }
    if (vpc.cidr.state !== "known") return { ok: false, reason: why(vpc.cidr, `the CIDR of VPC ${vpc.name}`) };
    let set = vpc.cidr.value;
    if (vpc.secondaryCidrs.state === "known") set = set.union(vpc.secondaryCidrs.value);
    return { ok: true, sources: set.only(4), label: `VPC ${vpc.name} (${set.only(4).toString()})` };
}
