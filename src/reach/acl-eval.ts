/**
 * Network ACLs (huaweicloud-resources.md §7, §10.6): rules in list order, the first match decides,
 * a default deny ends each direction; an ACL with `enabled: false`, or a subnet without one, has no
 * effect; disabled (legacy) rules are skipped. ACLs are stateful, so only the direction of the packet
 * the load balancer sends matters: inbound on the member's subnet, outbound on a dedicated load
 * balancer's backend subnet.
 * The probe's source port is an ephemeral port the docs do not fix (any of 1–65535), so a rule that
 * restricts source ports covers only part of the flow. Evaluation is exact over source address ×
 * source port: the source-port range is split at every rule boundary into cells, inside which every
 * rule either covers all ports or none, and each cell is one exact evaluation over addresses.
 */
import type { AddressSet } from "../net/addresses";
import { IntervalSet } from "../net/intervals";
import type { Topology } from "../model/topology";
import type { NetworkAcl, Value } from "../model/types";
import { firstMatch, gate, type Reading, type Tri } from "./bounds";
import { aclRuleOnFlow, ruleIn, universeOf, type AclRuleOnFlow } from "./match";
import type { Note } from "./notes";
import type { Flow } from "./types";

export interface AclSide {
    acl: NetworkAcl;
    direction: "ingress" | "egress";
    /** The member: its address, or its subnet's CIDR when the address is not known at preview. */
    destination: Value<AddressSet>;
}

/** One source-port cell: sources admitted in every reading / in some reading (whole family universe). */
export interface AclCell {
    ports: IntervalSet;
    pessimistic: IntervalSet;
    optimistic: IntervalSet;
}

export type AclEvaluation =
    | { state: "no-effect" }
    | { state: "rules-unknown"; reason: Note }
    | { state: "evaluated"; rules: AclRuleOnFlow[]; cells: AclCell[]; enabledUnknown: boolean };

/** Source-port cells: maximal ranges of 1–65535 inside which every rule's known source ports are all in or all out. */
export function sourcePortCells(rules: readonly AclRuleOnFlow[]): IntervalSet[] {
    const cuts = new Set<bigint>([1n, 65536n]);
    for (const r of rules) {
        if (r.sourcePorts.state !== "known") continue;
        for (const [lo, hi] of r.sourcePorts.value.ranges) cuts.add(lo).add(hi + 1n);
    }
    const sorted = [...cuts].filter((c) => c >= 1n && c <= 65536n).sort((a, b) => (a < b ? -1 : 1));
    return sorted.slice(1).map((c, i) => IntervalSet.of(sorted[i], c - 1n));
}

/** The rules in one cell and reading, in list order, as (action, matched sources). */
export function cellRules(rules: readonly AclRuleOnFlow[], cell: IntervalSet, reading: Reading) {
    return rules.map((r) => {
        const inCell: Tri = r.sourcePorts.state === "known" ? cell.isSubsetOf(r.sourcePorts.value) : "unknown";
        return { ...ruleIn({ ...r, asAllow: gate(r.asAllow, inCell), asDeny: gate(r.asDeny, inCell) }, reading), r };
    });
}

/** Evaluate one side of the path (inbound on the member's subnet, outbound on the LB's) for a flow. */
export function evaluateAcl(topology: Topology, side: AclSide, flow: Flow): AclEvaluation {
    const acl = side.acl;
    if (acl.enabled.state === "known" && !acl.enabled.value) return { state: "no-effect" };
    const list = side.direction === "ingress" ? acl.ingress : acl.egress;
    if (list.state !== "known") return { state: "rules-unknown", reason: { code: "acl-rules-unknown", acl: acl.name, direction: side.direction, invalid: list.state === "invalid" } };
    const rules = list.value.flatMap((r, i) => aclRuleOnFlow(topology, r, i, flow, side.destination) ?? []);
    const universe = universeOf(flow.family);
    // Absent = enabled (legacy ACLs have no flag). Unknown: optimistically the ACL has no effect.
    const enabledUnknown = acl.enabled.state === "unknown" || acl.enabled.state === "invalid";
    const cells = sourcePortCells(rules).map((ports) => ({
        ports,
        pessimistic: firstMatch(cellRules(rules, ports, "pessimistic"), universe).allowed,
        optimistic: enabledUnknown ? universe : firstMatch(cellRules(rules, ports, "optimistic"), universe).allowed,
    }));
    return { state: "evaluated", rules, cells, enabledUnknown };
}
