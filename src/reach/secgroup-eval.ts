/**
 * Security groups as Huawei documents them (huaweicloud-resources.md §10.4, VPC access-control
 * overview): stateful, so only ingress rules matter; the group bound earlier decides first; inside a
 * group priority 1 is highest and deny beats allow at equal priority; the first matching rule
 * decides; no match in any group = denied. Default rules admit only the group's own members and rules
 * naming a remote group admit only that group's members: the load balancer is never one (§6.1).
 * A flow fixes protocol and port, so each evaluation is exact over source addresses. What each rule
 * matches is match.ts; this module orders the rules and groups and says which sources they admit.
 */
import { IntervalSet } from "../net/intervals";
import type { Topology } from "../model/topology";
import type { Ref, SecurityGroup } from "../model/types";
import { actionIn, firstMatch, type Action, type Reading } from "./bounds";
import { ruleIn, sgRuleOnFlow, universeOf, type SgRuleOnFlow } from "./match";
import type { Flow } from "./types";

/** A bound group: its rules on the flow, or unknown (not in the stack, not resolvable). */
export type GroupOnFlow =
    | { known: true; group: SecurityGroup; rules: SgRuleOnFlow[] }
    | { known: false; ref: Ref };

export type KnownGroup = Extract<GroupOnFlow, { known: true }>;

export type GroupOrder = "binding" | "unknown";

/** The priority a rule takes in a reading. Omitted (1 or 100, §6.2) or unknown: denies first and allows last when pessimistic. */
function priorityIn(r: SgRuleOnFlow, action: Action, reading: Reading): number {
    if (r.priority.state === "known") return r.priority.value;
    return (action === "deny") === (reading === "pessimistic") ? 1 : 100;
}

/** A group's rules in one reading, in evaluation order: priority 1 first, deny before allow at equal priority. */
export function orderedRules(rules: readonly SgRuleOnFlow[], reading: Reading) {
    return rules
        .map((r) => ({ ...ruleIn(r, reading), priority: priorityIn(r, actionIn(r.action, reading), reading) }))
        .sort((a, b) => a.priority - b.priority || (a.action === b.action ? 0 : a.action === "deny" ? -1 : 1));
}

/** Which sources one group allows and denies in one reading; the rest falls through to the next group. */
export function decisions(g: GroupOnFlow, universe: IntervalSet, reading: Reading): { allowed: IntervalSet; denied: IntervalSet } {
    // A group whose rules are not known may do anything.
    if (!g.known) return reading === "pessimistic" ? { allowed: IntervalSet.EMPTY, denied: universe } : { allowed: universe, denied: IntervalSet.EMPTY };
    return firstMatch(orderedRules(g.rules, reading), universe);
}

/**
 * Sources the bound groups admit in one reading. Binding order known: the first group that decides a
 * source decides it. Order unknown: pessimistic admits what some group allows and no group denies
 * (true in every order); optimistic what some group allows (true in some order).
 */
export function admittedSources(groups: readonly GroupOnFlow[], family: 4 | 6, order: GroupOrder, reading: Reading): IntervalSet {
    const universe = universeOf(family);
    const results = groups.map((g) => decisions(g, universe, reading));
    if (order === "unknown") {
        const allowed = results.reduce((a, r) => a.union(r.allowed), IntervalSet.EMPTY);
        const denied = results.reduce((a, r) => a.union(r.denied), IntervalSet.EMPTY);
        return reading === "pessimistic" ? allowed.subtract(denied) : allowed;
    }
    let decided = IntervalSet.EMPTY;
    let admitted = IntervalSet.EMPTY;
    for (const r of results) {
        admitted = admitted.union(r.allowed.subtract(decided));
        decided = decided.union(r.allowed).union(r.denied);
    }
    return admitted;
}

/** Some group allows, no group denies, with optimistic values (what wins in every binding order). */
export function orderFreeOptimistic(groups: readonly GroupOnFlow[], family: 4 | 6): IntervalSet {
    const universe = universeOf(family);
    const results = groups.map((g) => decisions(g, universe, "optimistic"));
    const allowed = results.reduce((a, r) => a.union(r.allowed), IntervalSet.EMPTY);
    return allowed.subtract(results.reduce((a, r) => a.union(r.denied), IntervalSet.EMPTY));
}

/** Groups bound to the NIC, in binding order, with their rules on this flow. */
export function groupsOnFlow(topology: Topology, refs: readonly Ref[], flow: Flow): GroupOnFlow[] {
    return refs.map((ref): GroupOnFlow => {
        const g = topology.deref(ref, "securityGroup");
        return g ? { known: true, group: g, rules: topology.rulesOfGroup(g).flatMap((r) => sgRuleOnFlow(topology, r, flow) ?? []) } : { known: false, ref };
    });
}

/** Binding order is uncertain when list elements were matched through propertyDependencies (no order there). */
export function groupOrder(refs: readonly Ref[]): GroupOrder {
    return refs.length >= 2 && refs.some((r) => r.state === "resolved" && r.via === "dependency") ? "unknown" : "binding";
}

export interface SecurityGroupBounds {
    groups: GroupOnFlow[];
    order: GroupOrder;
    /** Admitted sources in every reading / in some reading (whole family universe). */
    pessimistic: IntervalSet;
    optimistic: IntervalSet;
}

export function securityGroupBounds(topology: Topology, refs: readonly Ref[], flow: Flow): SecurityGroupBounds {
    const groups = groupsOnFlow(topology, refs, flow);
    const order = groupOrder(refs);
    return { groups, order, pessimistic: admittedSources(groups, flow.family, order, "pessimistic"), optimistic: admittedSources(groups, flow.family, order, "optimistic") };
}
