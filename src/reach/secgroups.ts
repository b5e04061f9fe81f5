/**
 * Security groups as Huawei documents them (huaweicloud-resources.md §10.4, VPC access-control
 * overview): only inbound rules matter (stateful); groups in binding order, the group bound first
 * decides first; inside a group priority 1 is highest and deny beats allow at equal priority; the
 * first matching rule decides; no match = denied. Default rules admit only the group's own members,
 * and rules naming a remote group admit only that group's members: the ELB is never one.
 * Evaluation is exact over source addresses for one flow (protocol and port fixed).
 */
import { AddressSet, formatAddress } from "../net/addresses";
import { IntervalSet } from "../net/intervals";
import { formatPorts } from "../net/ports";
import { ICMP, ICMPV6, protocolName, TCP, UDP } from "../net/protocols";
import type { Topology } from "../model/topology";
import type { Ref, SecurityGroup, SecurityGroupRule, Value } from "../model/types";
import { and, exact, firstMatch, gate, inReading, NONE, tri, type Match, type Reading, type Tri } from "./bounds";
import type { Blocker, Flow, FlowCheck } from "./types";

interface RuleOnFlow {
    rule: SecurityGroupRule;
    match: Match;
}

/** A bound group: its rules on the flow, or unknown (not in the stack, not resolvable). */
type GroupOnFlow = { known: true; group: SecurityGroup; rules: RuleOnFlow[] } | { known: false; label: string; reason: string };

function portCondition(rule: SecurityGroupRule, flow: Flow): Tri {
    if (rule.ports.state === "absent") return true;
    if (flow.protocol === TCP || flow.protocol === UDP) return tri(rule.ports, (p) => p.contains(BigInt(flow.port ?? 0)));
    // ICMP: the port fields are ICMP type/code and which types the ELB sends is unconfirmed: a
    // restricted ICMP rule counts as "maybe" (allow: nothing sure; deny: possibly everything).
    if (rule.ports.state === "known" && formatPorts(rule.ports.value) === "all ports") return true;
    return "unknown";
}

function protocolCondition(rule: SecurityGroupRule, flow: Flow): Tri {
    if (rule.protocol.state === "absent") return true; // omitted = all protocols
    return tri(rule.protocol, (p) => p === "any" || p === flow.protocol || (flow.protocol === ICMP && flow.family === 6 && p === ICMPV6));
}

/** Which sources a rule's remote conditions cover, for the flow's family. */
function remoteMatch(topology: Topology, rule: SecurityGroupRule, flow: Flow): Match {
    const universe = AddressSet.anyOf(flow.family).family(flow.family);
    if (rule.remotes.length === 0) return exact(universe);
    const parts = rule.remotes.map((r): Match => {
        switch (r.kind) {
            case "cidr":
                return r.set.state === "known" ? exact(r.set.value.family(flow.family)) : { sure: IntervalSet.EMPTY, maybe: universe };
            case "group":
                // Members of another (or the same) security group: the load balancer is never one.
                return NONE;
            case "addressGroup": {
                const g = topology.deref(r.group, "addressGroup");
                if (g && g.addresses.state === "known") return exact(g.addresses.value.family(flow.family));
                return { sure: IntervalSet.EMPTY, maybe: universe };
            }
        }
    });
    // Several remotes on one rule (UNCONFIRMED how the API combines them): allows match the
    // intersection and denies the union — see the reading in inReading via sure/maybe.
    return {
        sure: parts.reduce((a, p) => a.intersect(p.sure), universe),
        maybe: parts.reduce((a, p) => a.union(p.maybe), IntervalSet.EMPTY),
    };
}

function ruleOnFlow(topology: Topology, rule: SecurityGroupRule, flow: Flow): RuleOnFlow | undefined {
    const cond = and(
        tri(rule.direction, (d) => d === "ingress"),
        tri(rule.ethertype, (e) => e === flow.family),
        protocolCondition(rule, flow),
        portCondition(rule, flow),
    );
    if (cond === false) return undefined;
    return { rule, match: gate(remoteMatch(topology, rule, flow), cond) };
}

/** Groups bound to the NIC, in binding order, with their rules on this flow. */
export function groupsOnFlow(topology: Topology, refs: Ref[], flow: Flow): GroupOnFlow[] {
    return refs.map((ref): GroupOnFlow => {
        const g = topology.deref(ref, "securityGroup");
        if (!g) {
            const label = ref.state === "external" ? `security group ${ref.id}` : `security group at ${ref.path}`;
            const reason =
                ref.state === "external"
                    ? `${label} is not in this stack, so its rules are not known`
                    : ref.state === "unresolved"
                      ? ref.reason
                      : `${label} is ${ref.state}`;
            return { known: false, label, reason };
        }
        const rules = topology.rulesOfGroup(g).flatMap((r) => ruleOnFlow(topology, r, flow) ?? []);
        return { known: true, group: g, rules };
    });
}

function priorityIn(rule: SecurityGroupRule, action: "allow" | "deny", reading: Reading): number {
    if (rule.priority.state === "known") return rule.priority.value;
    // Omitted priority is 1 per the provider doc (one API spec says 100): unknown puts denies first
    // in the pessimistic reading and allows first in the optimistic one.
    if (rule.priority.state === "absent") return 1;
    return (action === "deny") === (reading === "pessimistic") ? 0 : 101;
}

/** One group's allowed and denied sources in one reading. */
function evaluateGroup(g: GroupOnFlow, universe: IntervalSet, reading: Reading): { allowed: IntervalSet; denied: IntervalSet } {
    if (!g.known) return reading === "pessimistic" ? { allowed: IntervalSet.EMPTY, denied: universe } : { allowed: universe, denied: IntervalSet.EMPTY };
    const ordered = g.rules
        .map((r) => ({ ...inReading(r.match, r.rule.action.state === "absent" ? { state: "known", value: "allow" } : r.rule.action, reading), rule: r.rule }))
        .map((r) => ({ ...r, priority: priorityIn(r.rule, r.action, reading) }))
        // Priority 1 first; deny before allow at equal priority.
        .sort((a, b) => a.priority - b.priority || (a.action === b.action ? 0 : a.action === "deny" ? -1 : 1));
    return firstMatch(ordered, universe);
}

/** Sources admitted by the NIC's groups in one reading. */
export function admittedSources(groups: GroupOnFlow[], universe: IntervalSet, orderKnown: boolean, reading: Reading): IntervalSet {
    const results = groups.map((g) => evaluateGroup(g, universe, reading));
    if (!orderKnown) {
        // Binding order unknown: admitted only where some group allows and none denies.
        const allowed = results.reduce((a, r) => a.union(r.allowed), IntervalSet.EMPTY);
        const denied = results.reduce((a, r) => a.union(r.denied), IntervalSet.EMPTY);
        return allowed.subtract(denied);
    }
    let decided = IntervalSet.EMPTY;
    let admitted = IntervalSet.EMPTY;
    for (const r of results) {
        admitted = admitted.union(r.allowed.subtract(decided));
        decided = decided.union(r.allowed).union(r.denied);
    }
    return admitted;
}

export function ruleLabel(rule: SecurityGroupRule): string {
    const v = <T>(x: Value<T>, f: (t: T) => string, absent: string) => (x.state === "known" ? f(x.value) : x.state === "absent" ? absent : "?");
    const action = v(rule.action, (a) => a, "allow");
    const proto = rule.protocol.state === "absent" ? "all protocols" : v(rule.protocol, protocolName, "?");
    const ports = rule.ports.state === "absent" ? "" : ` ${v(rule.ports, formatPorts, "")}`;
    const from = rule.remotes.length === 0 ? "any address" : rule.remotes.map((r) => (r.kind === "cidr" ? v(r.set, (s) => s.toString(), "?") : r.kind === "group" ? "a security group" : "an address group")).join(" and ");
    const prio = v(rule.priority, String, "1");
    return `"${rule.name}" (${action} ${proto}${ports} from ${from}, priority ${prio})`;
}

/** The verdict for one flow through the NIC's security groups. */
export function securityGroupCheck(topology: Topology, refs: Value<Ref[]>, flow: Flow): FlowCheck {
    const need = flow.sources.family(flow.family);
    const base = { kind: "security-group" as const, flow, assumptions: [] as string[] };
    if (refs.state !== "known") {
        const reason =
            refs.state === "absent"
                ? "the server names no security group, so it gets the default security group, whose rules are not in this stack"
                : refs.state === "invalid"
                  ? `its security groups (${refs.path}) are invalid`
                  : `its security groups (${refs.path}) are unknown at preview`;
        return { ...base, state: "undetermined", admitted: AddressSet.EMPTY, blocked: AddressSet.EMPTY, reason };
    }
    const groups = groupsOnFlow(topology, refs.value, flow);
    const orderKnown = refs.value.filter((r) => r.state === "resolved" && r.via === "dependency").length === 0 || refs.value.length < 2;
    const universe = AddressSet.anyOf(flow.family).family(flow.family);
    const sure = admittedSources(groups, universe, orderKnown, "pessimistic").intersect(need);
    const maybe = admittedSources(groups, universe, orderKnown, "optimistic").intersect(need);
    const blocked = need.subtract(maybe);
    const asSet = (s: IntervalSet) => AddressSet.ofFamily(flow.family, s);
    const first = groups.find((g) => g.known) as Extract<GroupOnFlow, { known: true }> | undefined;
    const subject = first ? { subjectUrn: first.group.urn, subjectName: first.group.name } : {};
    if (!orderKnown) base.assumptions.push("the binding order of the security groups is not known at preview: a source counts as admitted only if no group denies it");

    if (need.isSubsetOf(sure)) return { ...base, ...subject, state: "reachable", admitted: asSet(sure), blocked: AddressSet.EMPTY };
    if (blocked.isEmpty()) {
        const reasons = groups.flatMap((g) => (g.known ? unknownRules(g) : [g.reason]));
        return { ...base, ...subject, state: "undetermined", admitted: asSet(sure), blocked: AddressSet.EMPTY, reason: reasons.slice(0, 3).join("; ") || "a rule's values are unknown at preview" };
    }
    const w = blocked.sample()!;
    const blocker = blockerFor(groups, w, orderKnown);
    const state = maybe.isEmpty() ? "blocked" : "partial";
    return {
        ...base,
        ...subject,
        state,
        admitted: asSet(sure),
        blocked: asSet(blocked),
        witness: { source: formatAddress({ family: flow.family, value: w }), protocol: protocolName(flow.protocol), ...(flow.port !== undefined && flow.protocol !== ICMP ? { port: flow.port } : {}) },
        blockedBy: blocker,
        fix: fixFor(groups, blocker, flow, asSet(blocked)),
    };
}

function unknownRules(g: Extract<GroupOnFlow, { known: true }>): string[] {
    return g.rules
        .filter((r) => !r.match.sure.equals(r.match.maybe) || r.rule.action.state === "unknown" || r.rule.action.state === "invalid" || r.rule.priority.state === "unknown" || r.rule.priority.state === "invalid")
        .map((r) => `rule "${r.rule.name}" of ${g.group.name} has values that are unknown or invalid`);
}

/** The rule that decides a concrete blocked source (optimistic reading: it is blocked even there). */
function blockerFor(groups: GroupOnFlow[], source: bigint, orderKnown: boolean): Blocker {
    for (const g of groups) {
        if (!g.known) continue;
        const decided = g.rules
            .map((r) => ({ r, ...inReading(r.match, r.rule.action.state === "absent" ? { state: "known", value: "allow" } : r.rule.action, "optimistic") }))
            .map((x) => ({ ...x, priority: priorityIn(x.r.rule, x.action, "optimistic") }))
            .sort((a, b) => a.priority - b.priority || (a.action === b.action ? 0 : a.action === "deny" ? -1 : 1))
            .find((x) => x.set.contains(source));
        if (decided && decided.action === "deny") {
            return { kind: "deny-rule", urn: decided.r.rule.urn, group: g.group.name, label: ruleLabel(decided.r.rule), priority: decided.r.rule.priority.state === "known" ? decided.r.rule.priority.value : decided.r.rule.priority.state === "absent" ? 1 : "unknown" };
        }
        if (decided && orderKnown) break;
    }
    return { kind: "no-rule", groups: groups.flatMap((g) => (g.known ? [{ urn: g.group.urn, name: g.group.name }] : [])) };
}

function fixFor(groups: GroupOnFlow[], blocker: Blocker, flow: Flow, missing: AddressSet): string {
    const first = groups.find((g) => g.known) as Extract<GroupOnFlow, { known: true }> | undefined;
    const what = flow.protocol === ICMP ? "icmp" : `${protocolName(flow.protocol)} port ${flow.port}`;
    const from = missing.toCidrs().slice(0, 6).join(", ") + (missing.toCidrs().length > 6 ? ", ..." : "");
    if (blocker.kind === "deny-rule") {
        if (typeof blocker.priority === "number" && blocker.priority > 1) {
            return `add an ingress rule to security group ${blocker.group}: allow ${what} from ${from} with priority ${blocker.priority - 1} (ahead of deny rule ${blocker.label}), or narrow that deny rule`;
        }
        const earlier = first && first.group.name !== blocker.group ? `, or add the allow rule to ${first.group.name}, which is bound earlier` : "";
        return `remove or narrow deny rule ${blocker.label} in security group ${blocker.group}: an allow rule at the same priority loses to it${earlier}`;
    }
    const target = first ? first.group.name : "the server's security group";
    return `add an ingress rule to security group ${target}: allow ${what} from ${from}`;
}
