/**
 * analyzeReachability: for every member of every pool, the flows its health checks need and, per
 * flow, a verdict through the member's security groups, the ACL of the member's subnet (inbound)
 * and, for dedicated load balancers, the ACL of the load balancer's backend subnet (outbound).
 */
import { AddressSet, parseAddress } from "../net/addresses";
import { IntervalSet } from "../net/intervals";
import type { Topology } from "../model/topology";
import type { Member, Subnet, Value } from "../model/types";
import { aclCheck } from "./acls";
import { healthCheckFlows } from "./flows";
import { securityGroupCheck } from "./secgroups";
import type { Flow, FlowCheck, MemberReachability, ReachConfig } from "./types";

const SAME_SUBNET_NOTE =
    "the load balancer and the member share a subnet; whether a network ACL filters traffic inside one subnet is not confirmed by Huawei's docs, so it is assumed to (set aclSameSubnet to \"not-filtered\" to assume the opposite)";

export function analyzeReachability(topology: Topology, config: ReachConfig): MemberReachability[] {
    return topology.members.map((m) => memberReachability(topology, m, config));
}

function memberReachability(topology: Topology, member: Member, config: ReachConfig): MemberReachability {
    const pool = topology.poolOfMember(member);
    const monitor = pool ? topology.monitorsOfPool(pool)[0] : undefined;
    const lb = pool ? topology.loadBalancerOfPool(pool) : undefined;
    const listeners = pool ? topology.listenersOfPool(pool) : [];
    const backend = topology.backendOfMember(member);
    const result: MemberReachability = {
        member,
        pool,
        loadBalancer: lb,
        monitor,
        family: member.family,
        backend,
        notes: {
            weightZero: member.weight.state === "known" && member.weight.value === 0,
            checkDisabled: !monitor || (monitor.enabled.state === "known" && !monitor.enabled.value),
            noMonitor: !monitor,
            transparentClientIp: listeners.some((l) => l.transparentClientIp.state === "known" && l.transparentClientIp.value && l.protocol.state === "known" && (l.protocol.value === "TCP" || l.protocol.value === "UDP")),
        },
        checks: [],
    };
    if (!pool) {
        result.undetermined = member.pool.state === "unresolved" ? member.pool.reason : `the member's pool (${member.pool.path}) is not in this stack`;
        return result;
    }
    const flows = healthCheckFlows(topology, member, pool, monitor, lb, config);
    if (!flows.ok) {
        result.undetermined = flows.reason;
        return result;
    }

    const nic = backend.state === "nic" ? backend.nic : undefined;
    const memberSubnet = topology.subnetOfMember(member) ?? (nic ? topology.subnetOfNic(nic) : undefined);
    const lbSubnets = lb?.family === "dedicated" ? topology.backendSubnetsOfLoadBalancer(lb) : undefined;
    const sameSubnet = !!memberSubnet && lbSubnets?.state === "known" && lbSubnets.value.includes(memberSubnet);
    const destination = memberDestination(member, memberSubnet);

    for (const flow of flows.flows) {
        // Security groups.
        if (backend.state === "nic") result.checks.push(securityGroupCheck(topology, topology.groupsOfNic(backend.nic), flow));
        else result.checks.push(undeterminedCheck("security-group", flow, backend.state === "outside" ? `the member's address ${backend.address} is not on a server or network interface in this stack, so its security groups are not known` : backend.reason));

        // ACL of the member's subnet, inbound.
        if (!memberSubnet) {
            result.checks.push(undeterminedCheck("network-acl", flow, member.subnet.state === "absent" && !nic ? "the member names no subnet (IP as a backend), so the network ACL on its path is not known" : `the member's subnet cannot be resolved (${refWhy(member.subnet)})`));
        } else {
            result.checks.push(subnetAclCheck(topology, "network-acl", memberSubnet, "ingress", destination, flow, sameSubnet, config));
        }

        // Dedicated load balancers: the ACL of the load balancer's backend subnet, outbound.
        if (lb?.family === "dedicated" && lbSubnets) {
            if (lbSubnets.state === "known") {
                for (const s of lbSubnets.value) {
                    if (s === memberSubnet && sameSubnet) continue; // the same ACL, already judged on the member side
                    const fromSubnet: Flow = s.cidr.state === "known" ? { ...flow, sources: flow.sources.intersect(s.cidr.value) } : flow;
                    result.checks.push(subnetAclCheck(topology, "network-acl-lb-subnet", s, "egress", destination, fromSubnet, false, config));
                }
            } else if (lbSubnets.state !== "absent") {
                result.checks.push(undeterminedCheck("network-acl-lb-subnet", flow, `the backend subnets of ${lb.name} cannot be resolved (${lbSubnets.path})`));
            }
        }
    }
    return result;
}

function subnetAclCheck(topology: Topology, kind: FlowCheck["kind"], subnet: Subnet, direction: "ingress" | "egress", destination: Value<AddressSet>, flow: Flow, sameSubnet: boolean, config: ReachConfig): FlowCheck {
    const acl = topology.aclOfSubnet(subnet);
    if (acl.state === "none") return { kind, flow, state: "reachable", admitted: flow.sources, blocked: AddressSet.EMPTY, assumptions: [] };
    if (sameSubnet && config.aclSameSubnet === "not-filtered") {
        return { kind, flow, state: "reachable", admitted: flow.sources, blocked: AddressSet.EMPTY, assumptions: ["the load balancer and the member share a subnet and aclSameSubnet is \"not-filtered\": the ACL is assumed not to apply"] };
    }
    if (acl.state === "unresolved") {
        // The ACL may or may not cover this subnet: decide only if the verdict is the same either way.
        const covered = aclCheck(topology, kind, { acl: acl.acl, direction, destination }, flow, flow.sources, []);
        if (covered.state === "reachable") return covered;
        return undeterminedCheck(kind, flow, acl.reason);
    }
    const check = aclCheck(topology, kind, { acl: acl.acl, direction, destination }, flow, flow.sources, []);
    if (sameSubnet && check.state !== "reachable") check.assumptions.push(SAME_SUBNET_NOTE);
    return check;
}

function memberDestination(member: Member, subnet: Subnet | undefined): Value<AddressSet> {
    if (member.address.state === "known") {
        const a = parseAddress(member.address.value);
        if (a.ok) return { state: "known", value: AddressSet.ofFamily(a.value.family, IntervalSet.of(a.value.value, a.value.value)) };
    }
    // Unknown address: it lies in the member's subnet.
    if (subnet && subnet.cidr.state === "known") return subnet.cidr;
    return { state: "unknown", path: "address" };
}

function undeterminedCheck(kind: FlowCheck["kind"], flow: Flow, reason: string): FlowCheck {
    return { kind, flow, state: "undetermined", admitted: AddressSet.EMPTY, blocked: AddressSet.EMPTY, reason, assumptions: [] };
}

function refWhy(ref: Member["subnet"]): string {
    switch (ref.state) {
        case "unresolved":
            return ref.reason;
        case "external":
            return "it is not in this stack";
        case "invalid":
            return `invalid: expected ${ref.expected}`;
        default:
            return ref.state;
    }
}
