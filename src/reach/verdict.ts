/**
 * analyzeReachability: for every member, the flows its health checks need and, per flow, a verdict
 * through the member's security groups, the network ACL of the member's subnet (inbound) and, for
 * dedicated load balancers, the network ACL of each backend subnet of the load balancer (outbound;
 * seed: "if the subnet of a load balancer ... has a network ACL associated, the load balancer cannot
 * ... route traffic to backend servers").
 */
import { AddressSet, parseAddress } from "../net/addresses";
import { IntervalSet } from "../net/intervals";
import type { Topology } from "../model/topology";
import type { Member, Subnet, Value } from "../model/types";
import { aclCheck } from "./acls";
import { healthCheckFlows, memberContext, why } from "./flows";
import { securityGroupCheck } from "./secgroups";
import type { Note } from "./notes";
import { defaultReachConfig, type CheckKind, type Flow, type FlowCheck, type MemberReachability, type ReachConfig } from "./types";

export function analyzeReachability(topology: Topology, config: ReachConfig = defaultReachConfig): MemberReachability[] {
    return topology.members.map((m) => memberReachability(topology, m, config));
}

export function memberReachability(topology: Topology, member: Member, config: ReachConfig = defaultReachConfig): MemberReachability {
    const ctx = memberContext(topology, member);
    const { pool, monitor, loadBalancer: lb, listeners, backend } = ctx;
    const result: MemberReachability = {
        member,
        pool,
        loadBalancer: lb,
        monitor,
        listeners,
        family: member.family,
        backend,
        notes: {
            // Seed: weight 0 gets no traffic, so its health is irrelevant; disabled checks mean "healthy".
            weightZero: member.weight.state === "known" && member.weight.value === 0,
            checkDisabled: !monitor || (monitor.enabled.state === "known" && !monitor.enabled.value),
            noMonitor: !monitor,
            transparentClientIp: listeners.some((l) => l.transparentClientIp.state === "known" && l.transparentClientIp.value && l.protocol.state === "known" && (l.protocol.value === "TCP" || l.protocol.value === "UDP")),
        },
        flows: [],
        checks: [],
        assumptions: [],
    };
    const flows = healthCheckFlows(topology, member, config, ctx);
    if (!flows.ok) {
        result.undetermined = flows.reason;
        return result;
    }
    result.ipVersion = flows.family;
    result.flows = flows.flows;
    result.assumptions.push(...flows.assumptions);

    const memberSubnet = ctx.subnet;
    const lbSubnets = lb?.family === "dedicated" ? topology.backendSubnetsOfLoadBalancer(lb) : undefined;
    const sameSubnet = !!memberSubnet && lbSubnets?.state === "known" && lbSubnets.value.includes(memberSubnet);
    const destination = memberDestination(member, memberSubnet, flows.family);

    for (const flow of flows.flows) {
        // Security groups of the NIC carrying the member's address.
        if (backend.state === "nic") result.checks.push(securityGroupCheck(topology, topology.groupsOfNic(backend.nic), flow));
        else result.checks.push(undeterminedCheck("security-group", flow, backend.state === "outside" ? { code: "member-outside", address: backend.address, ipBackend: member.subnet.state === "absent" && member.family === "dedicated" } : { code: "model", text: backend.reason }));

        // The member's subnet, inbound. Sources inside that same subnet (a dedicated LB sharing it) are
        // filtered only in the "filtered" reading of the unconfirmed same-subnet question.
        const inside = sameSubnet ? sourcesIn(flow, memberSubnet!) : AddressSet.EMPTY;
        if (!memberSubnet) {
            result.checks.push(undeterminedCheck("network-acl", flow, member.subnet.state === "absent" && backend.state !== "nic" ? { code: "member-no-subnet" } : { code: "member-subnet-unresolved", ref: member.subnet }));
        } else {
            const required = config.aclSameSubnet === "not-filtered" ? flow.sources.subtract(inside) : flow.sources;
            result.checks.push(withSameSubnetNote(subnetAclCheck(topology, "network-acl", memberSubnet, "ingress", destination, flow, required), inside, memberSubnet, config));
        }

        // Dedicated load balancers: each backend subnet's ACL, outbound, for the sources in that subnet.
        if (lbSubnets?.state === "known") {
            for (const s of lbSubnets.value) {
                const fromHere = sourcesIn(flow, s);
                if (fromHere.isEmpty()) continue;
                const intra = s === memberSubnet;
                if (intra && config.aclSameSubnet === "not-filtered") continue;
                const check = subnetAclCheck(topology, "network-acl-lb-subnet", s, "egress", destination, { ...flow, sources: fromHere }, fromHere);
                result.checks.push(intra ? withSameSubnetNote(check, fromHere, s, config) : check);
            }
        } else if (lbSubnets && (lbSubnets.state !== "absent" || topology.networkAcls.length > 0)) {
            result.checks.push(undeterminedCheck("network-acl-lb-subnet", flow, lbSubnets.state === "absent" ? { code: "lb-no-subnets", lb: lb!.name } : why(lbSubnets, { of: "lb-backend-subnets", lb: lb!.name })));
        }
    }
    result.checks = result.checks.map(boundedBySources);
    return result;
}

/**
 * A check of a flow whose sources are not known at preview was evaluated for every address of the
 * family: it stands when it holds for all of them (nothing admitted anywhere = blocked, all admitted =
 * reachable); otherwise it depends on the CIDR and is undetermined. A blocked verdict names no witness
 * or concrete fix CIDR (the CIDR is not known yet); its fix action, for every address of the family, is
 * kept when the sources are one backend subnet's CIDR (the fix then refers to that subnet's output).
 */
function boundedBySources(c: FlowCheck): FlowCheck {
    const unknown = c.flow.unknownSources;
    if (!unknown || c.state === "reachable") return c;
    if (c.state === "undetermined") return { ...c, reason: [unknown.reason, ...(c.reason ?? [])] };
    if (c.state === "blocked" && c.possiblyAdmitted.isEmpty()) {
        // The fix (its sentence names the CIDR by what it will be) stands.
        const out: FlowCheck = { ...c };
        delete out.witness;
        // A rule admitting every address of the family stands for one admitting the subnet's CIDR, given as data as a
        // reference to that subnet's output (src/fix); a narrowed deny cannot be cut around a CIDR not known yet.
        if (!unknown.subnet || out.fixAction?.kind === "remove-or-narrow-deny") delete out.fixAction;
        return out;
    }
    return { ...undeterminedCheck(c.kind, c.flow, { code: "unknown-sources-partial", reason: unknown.reason, by: c.kind === "security-group" ? "security-groups" : "network-acl" }), ...(c.subnet ? { subnet: c.subnet } : {}), ...(c.subjectUrn ? { subjectUrn: c.subjectUrn, subjectName: c.subjectName } : {}), assumptions: c.assumptions };
}

/** The flow's sources that lie in a subnet (all of them when the subnet's CIDR is not known). */
function sourcesIn(flow: Flow, s: Subnet): AddressSet {
    const cidr = flow.family === 4 ? s.cidr : s.ipv6Cidr;
    return cidr.state === "known" ? flow.sources.intersect(cidr.value) : flow.sources;
}

function subnetAclCheck(topology: Topology, kind: CheckKind, subnet: Subnet, direction: "ingress" | "egress", destination: Value<AddressSet>, flow: Flow, required: AddressSet): FlowCheck {
    const where = { subnet: { urn: subnet.urn, name: subnet.name } };
    const acl = topology.aclOfSubnet(subnet);
    const need = required.only(flow.family);
    if (acl.state === "none") return { kind, flow, ...where, state: "reachable", required: need, admitted: need, possiblyAdmitted: need, blocked: AddressSet.EMPTY, assumptions: [] };
    const check = { ...aclCheck(topology, kind, { acl: acl.acl, direction, destination }, flow, need), ...where };
    // The ACL may or may not cover this subnet: decided only if the verdict is the same either way.
    if (acl.state === "unresolved" && check.state !== "reachable") return { ...undeterminedCheck(kind, flow, { code: "model", text: acl.reason }), ...where, required: need };
    return check;
}

/** Mark a verdict that depends on the same-subnet reading. */
function withSameSubnetNote(check: FlowCheck, inside: AddressSet, subnet: Subnet, config: ReachConfig): FlowCheck {
    if (inside.isEmpty()) return check;
    if (config.aclSameSubnet === "not-filtered") {
        check.assumptions.push({ code: "same-subnet-not-filtered", subnet: subnet.name, inside: inside.toString() });
    } else if (check.state !== "reachable" && !inside.subtract(check.admitted).isEmpty()) {
        check.assumptions.push({ code: "same-subnet-filtered" });
    }
    return check;
}

/** The ACL rules' destination: the member's address, or its subnet's CIDR when the address is unknown at preview. */
function memberDestination(member: Member, subnet: Subnet | undefined, family: 4 | 6): Value<AddressSet> {
    if (member.address.state === "known") {
        const a = parseAddress(member.address.value);
        if (a.ok) return { state: "known", value: AddressSet.ofFamily(a.value.family, IntervalSet.of(a.value.value, a.value.value)) };
    }
    const cidr = subnet ? (family === 4 ? subnet.cidr : subnet.ipv6Cidr) : undefined;
    if (cidr?.state === "known") return { state: "known", value: cidr.value.only(family) };
    return { state: "unknown", path: "address" };
}

function undeterminedCheck(kind: CheckKind, flow: Flow, reason: Note): FlowCheck {
    return { kind, flow, state: "undetermined", required: flow.sources, admitted: AddressSet.EMPTY, possiblyAdmitted: flow.sources, blocked: AddressSet.EMPTY, reason: [reason], assumptions: [] };
}
