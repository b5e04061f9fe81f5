/**
 * Security groups as Huawei documents them (huaweicloud-resources.md §10.4, VPC access-control
 * overview): stateful, so only ingress rules matter; the group bound earlier decides first; inside a
 * group priority 1 is highest and deny beats allow at equal priority; the first matching rule
 * decides; no match in any group = denied. Default rules admit only the group's own members and rules
 * naming a remote group admit only that group's members: the load balancer is never one (§6.1).
 * A flow fixes protocol and port, so each evaluation is exact over source addresses.
 */
import { AddressSet, formatAddress } from "../net/addresses";
import { IntervalSet } from "../net/intervals";
import { ALL_PORTS, formatPorts, portRange, type PortSet } from "../net/ports";
import { hasPorts, ICMP, ICMPV6, protocolName, type Protocol } from "../net/protocols";
import type { Topology } from "../model/topology";
import type { Ref, Remote, SecurityGroup, SecurityGroupRule, Value } from "../model/types";
import { actionIn, and, boundIn, cidrList, exact, firstMatch, gate, intersectAll, NONE, possibly, tri, unionAll, unknownText, type Action, type Match, type Reading, type Tri } from "./bounds";
import { ownCopy, perTopology } from "./memo";
import type { Blocker, FixAction, Flow, FlowCheck } from "./types";

/** A rule as it bears on one flow. */
export interface SgRuleOnFlow {
    urn: string;
    /** The rule's Pulumi name. */
    name: string;
    label: string;
    /** Absent = allow (API default). */
    action: Value<Action>;
    priority: Value<number>;
    /** Sources matched if the rule allows / if it denies (several remotes combine differently). */
    asAllow: Match;
    asDeny: Match;
    /** Values unknown or invalid (or an omitted priority) that can change what the rule does. */
    unknowns: string[];
    /** Readings taken where the docs are silent (restricted ICMP, several remotes). */
    readings: string[];
}

/** A bound group: its rules on the flow, or unknown (not in the stack, not resolvable). */
export type GroupOnFlow =
    | { known: true; group: SecurityGroup; rules: SgRuleOnFlow[] }
    | { known: false; label: string; reason: string };

export type GroupOrder = "binding" | "unknown";

export const universeOf = (family: 4 | 6): IntervalSet => AddressSet.anyOf(family).family(family);

const OMITTED_PRIORITY = "priority is not set (Terraform documents 1, one Huawei API reference 100)";

/** Does a rule protocol cover the flow's? An IPv6 ICMP flow is matched by icmp and icmpv6 rules (§10.3). */
export function protocolCovers(rule: Protocol, flow: Flow): boolean {
    if (rule === "any" || rule === flow.protocol) return true;
    return flow.protocol === ICMP && flow.family === 6 && rule === ICMPV6;
}

const isAllPorts = (p: PortSet) => p.equals(ALL_PORTS) || p.equals(portRange(1, 65535));

/**
 * A port condition. TCP/UDP: the flow's port. ICMP has no ports: a rule that restricts them restricts
 * ICMP type/code, and which types the ELB sends is not documented, so a restricted allow covers
 * nothing and a restricted deny everything (the reading that never admits too much).
 */
export function portsCover(ports: Value<PortSet>, flow: Flow, action: Action): Tri {
    if (ports.state === "absent") return true;
    if (hasPorts(flow.protocol)) return tri(ports, (p) => p.contains(BigInt(flow.port ?? -1)));
    if (ports.state === "known" && isAllPorts(ports.value)) return true;
    if (action === "deny") return true;
    return ports.state === "known" ? false : "unknown";
}

function remoteMatch(topology: Topology, r: Remote, family: 4 | 6, unknowns: string[]): Match {
    const universe = universeOf(family);
    switch (r.kind) {
        case "cidr":
            if (r.set.state === "known") return exact(r.set.value.family(family));
            unknowns.push(unknownText(r.set, "remoteIpPrefix") ?? "remoteIpPrefix cannot be read");
            return possibly(universe);
        case "group":
            // Members of a security group: the load balancer is never one.
            return NONE;
        case "addressGroup":
            return addressGroupMatch(topology, r.group, family, unknowns);
    }
}

/** Sources in an address group (its resolved AddressSet); one of the other IP version matches nothing. */
export function addressGroupMatch(topology: Topology, ref: Ref, family: 4 | 6, unknowns: string[]): Match {
    const g = topology.deref(ref, "addressGroup");
    if (!g) {
        unknowns.push(ref.state === "external" ? `its address group (${ref.path}) is not in this stack` : `its address group (${ref.path}) cannot be resolved`);
        return possibly(universeOf(family));
    }
    if (g.addresses.state !== "known") {
        unknowns.push(`the addresses of address group ${g.name} ${g.addresses.state === "invalid" ? "are invalid" : "are unknown at preview"}`);
        return possibly(universeOf(family));
    }
    const set = g.addresses.value.family(family);
    if (g.ipVersion.state === "known") return g.ipVersion.value === family ? exact(set) : NONE;
    unknowns.push(`the ipVersion of address group ${g.name} is unknown`);
    return possibly(set);
}

export function sgRuleOnFlow(topology: Topology, rule: SecurityGroupRule, flow: Flow): SgRuleOnFlow | undefined {
    const unknowns: string[] = [];
    const readings: string[] = [];
    const note = (v: Value<unknown>, what: string) => {
        const t = unknownText(v, what);
        if (t) unknowns.push(t);
    };
    const common = and(
        tri(rule.direction, (d) => d === "ingress"),
        tri(rule.ethertype, (e) => e === flow.family),
        rule.protocol.state === "absent" ? true : tri(rule.protocol, (p) => protocolCovers(p, flow)),
    );
    if (common === false) return undefined;
    note(rule.direction, "direction");
    note(rule.ethertype, "ethertype");
    note(rule.protocol, "protocol");

    const universe = universeOf(flow.family);
    const remotes = rule.remotes.map((r) => remoteMatch(topology, r, flow.family, unknowns));
    // Several remotes on one rule: how the API combines them is UNCONFIRMED; an allow covers only
    // sources in all of them, a deny all sources in any of them.
    if (remotes.length > 1) readings.push(`rule ${sgRuleLabel(rule)} names several remotes: taken to allow only sources in all of them and to deny sources in any of them`);
    const allowRemotes = remotes.length === 0 ? exact(universe) : intersectAll(remotes, universe);
    const denyRemotes = remotes.length === 0 ? exact(universe) : unionAll(remotes);

    if (!hasPorts(flow.protocol) && rule.ports.state === "known" && !isAllPorts(rule.ports.value)) {
        readings.push(`rule ${sgRuleLabel(rule)} restricts ICMP types (ports ${formatPorts(rule.ports.value)}); which ICMP types the ELB sends is not documented, so a restricted ICMP allow is taken to admit nothing and a restricted ICMP deny to drop everything`);
    }
    if (hasPorts(flow.protocol) || !(rule.action.state === "known" && rule.action.value === "deny")) note(rule.ports, "ports");

    const action: Value<Action> = rule.action.state === "absent" ? { state: "known", value: "allow" } : rule.action;
    note(action, "action");
    if (rule.priority.state === "absent") unknowns.push(OMITTED_PRIORITY);
    else note(rule.priority, "priority");

    const asAllow = gate(gate(allowRemotes, common), portsCover(rule.ports, flow, "allow"));
    const asDeny = gate(gate(denyRemotes, common), portsCover(rule.ports, flow, "deny"));
    if (asAllow.maybe.isEmpty() && asDeny.maybe.isEmpty()) return undefined;
    return { urn: rule.urn, name: rule.name, label: sgRuleLabel(rule), action, priority: rule.priority, asAllow, asDeny, unknowns, readings };
}

/** The priority a rule takes in a reading. Omitted (1 or 100, §6.2) or unknown: denies first and allows last when pessimistic. */
function priorityIn(r: SgRuleOnFlow, action: Action, reading: Reading): number {
    if (r.priority.state === "known") return r.priority.value;
    return (action === "deny") === (reading === "pessimistic") ? 1 : 100;
}

/** A group's rules in one reading, in evaluation order: priority 1 first, deny before allow at equal priority. */
function orderedRules(rules: readonly SgRuleOnFlow[], reading: Reading) {
    return rules
        .map((r) => {
            const action = actionIn(r.action, reading);
            return { r, action, set: boundIn(action === "allow" ? r.asAllow : r.asDeny, action, reading), priority: priorityIn(r, action, reading) };
        })
        .sort((a, b) => a.priority - b.priority || (a.action === b.action ? 0 : a.action === "deny" ? -1 : 1));
}

/** Which sources one group allows and denies in one reading; the rest falls through to the next group. */
function decisions(g: GroupOnFlow, universe: IntervalSet, reading: Reading): { allowed: IntervalSet; denied: IntervalSet } {
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

/** Groups bound to the NIC, in binding order, with their rules on this flow. */
export function groupsOnFlow(topology: Topology, refs: readonly Ref[], flow: Flow): GroupOnFlow[] {
    return refs.map((ref): GroupOnFlow => {
        const g = topology.deref(ref, "securityGroup");
        if (g) return { known: true, group: g, rules: topology.rulesOfGroup(g).flatMap((r) => sgRuleOnFlow(topology, r, flow) ?? []) };
        switch (ref.state) {
            case "external":
                return { known: false, label: `security group at ${ref.path}`, reason: `the security group at ${ref.path} is not in this stack, so its rules are not known` };
            case "unresolved":
                return { known: false, label: `security group at ${ref.path}`, reason: ref.reason };
            case "invalid":
                return { known: false, label: `security group at ${ref.path}`, reason: `the security group at ${ref.path} is invalid (expected ${ref.expected})` };
            default:
                return { known: false, label: `security group at ${ref.path}`, reason: `the security group at ${ref.path} is not a security group of this stack` };
        }
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

/**
 * Members behind the same security groups on the same flow get the same verdict, so it is computed
 * once per topology: most stacks put many servers in few groups. Callers get their own copy.
 */
const checks = perTopology<FlowCheck>();

/** The verdict for one flow through a NIC's security groups. `required` defaults to the flow's sources. */
export function securityGroupCheck(topology: Topology, refs: Value<Ref[]>, flow: Flow, required: AddressSet = flow.sources): FlowCheck {
    if (refs.state !== "known") return computeSecurityGroupCheck(topology, refs, flow, required);
    const key = `${refs.value.map(refKey).join(";")}#${flowKey(flow)}#${required.key()}`;
    return ownCopy(checks(topology, key, () => computeSecurityGroupCheck(topology, refs, flow, required)), flow);
}

/** Everything about a reference that the verdict depends on. */
export const refKey = (r: Ref): string => {
    switch (r.state) {
        case "resolved":
            return `r:${r.via}:${r.urn}`;
        case "external":
            return `e:${r.path}`;
        case "unresolved":
            return `u:${r.path}:${r.reason}`;
        case "invalid":
            return `i:${r.path}:${r.expected}`;
        default:
            return `a:${r.path}`;
    }
};

/** Everything about a flow that a verdict depends on. */
export const flowKey = (f: Flow): string => `${f.protocol}/${f.port ?? ""}/${f.family}/${f.purpose}/${f.sourceLabel}/${f.sources.key()}`;

function computeSecurityGroupCheck(topology: Topology, refs: Value<Ref[]>, flow: Flow, required: AddressSet): FlowCheck {
    const family = flow.family;
    const need = required.family(family);
    const asSet = (s: IntervalSet) => AddressSet.ofFamily(family, s);
    const base = { kind: "security-group" as const, flow, required: asSet(need), assumptions: [] as string[] };
    if (refs.state !== "known" || refs.value.length === 0) {
        const reason =
            refs.state === "known" || refs.state === "absent"
                ? "the server names no security group, so it gets the default security group, whose rules are not in this stack"
                : refs.state === "invalid"
                  ? `its security groups (${refs.path}) are invalid (expected ${refs.expected})`
                  : `its security groups (${refs.path}) are unknown at preview`;
        return { ...base, state: "undetermined", admitted: AddressSet.EMPTY, possiblyAdmitted: asSet(need), blocked: AddressSet.EMPTY, reason };
    }
    const b = securityGroupBounds(topology, refs.value, flow);
    const sure = b.pessimistic.intersect(need);
    const maybe = b.optimistic.intersect(need);
    const blocked = need.subtract(maybe);
    const first = b.groups.find((g): g is Extract<GroupOnFlow, { known: true }> => g.known);
    const subject = first ? { subjectUrn: first.group.urn, subjectName: first.group.name } : {};
    const common = { ...base, ...subject, admitted: asSet(sure), possiblyAdmitted: asSet(maybe) };
    if (b.order === "unknown") {
        common.assumptions.push("the binding order of the security groups is not known at preview (they were matched through dependencies): a source counts as admitted only if some group allows it and none denies it");
    }

    if (need.isSubsetOf(sure)) return { ...common, state: "reachable", blocked: AddressSet.EMPTY };
    const relevant = (r: SgRuleOnFlow, region: IntervalSet) => !r.asAllow.maybe.union(r.asDeny.maybe).intersect(region).isEmpty();
    for (const g of b.groups) if (g.known) for (const r of g.rules) if (relevant(r, need)) common.assumptions.push(...r.readings);
    if (blocked.isEmpty()) {
        const undecided = need.subtract(sure);
        const reasons = b.groups.flatMap((g) => (g.known ? g.rules.filter((r) => r.unknowns.length > 0 && relevant(r, undecided)).map((r) => `rule ${r.label} of security group ${g.group.name}: ${r.unknowns.join(", ")}`) : [g.reason]));
        if (reasons.length === 0 && b.order === "unknown") reasons.push(`the binding order of security groups ${b.groups.map((g) => (g.known ? g.group.name : g.label)).join(", ")} is unknown at preview and one allows what another denies`);
        return { ...common, state: "undetermined", blocked: AddressSet.EMPTY, reason: reasons.slice(0, 3).join("; ") || "a rule's values are unknown at preview" };
    }
    const w = blocked.sample()!;
    const blocker = blockerFor(b.groups, w);
    const fix = fixFor(b, flow, asSet(blocked), blocker);
    return {
        ...common,
        state: maybe.isEmpty() ? "blocked" : "partial",
        blocked: asSet(blocked),
        witness: { source: formatAddress({ family, value: w }), protocol: protocolName(flow.protocol), ...(hasPorts(flow.protocol) ? { port: flow.port } : {}) },
        blockedBy: blocker,
        fix: fix.sentence,
        fixAction: fix.action,
    };
}

/** The rule that drops a concrete blocked source. It is blocked even optimistically, so the first deciding rule there is a deny. */
function blockerFor(groups: readonly GroupOnFlow[], source: bigint): Blocker {
    for (const g of groups) {
        if (!g.known) continue;
        const hit = orderedRules(g.rules, "optimistic").find((x) => x.set.contains(source));
        if (hit && hit.action === "deny") {
            return { kind: "deny-rule", urn: hit.r.urn, groupUrn: g.group.urn, group: g.group.name, label: hit.r.label, name: hit.r.name, priority: hit.r.priority.state === "known" ? hit.r.priority.value : "unknown" };
        }
    }
    return { kind: "no-rule", groups: groups.flatMap((g) => (g.known ? [{ urn: g.group.urn, name: g.group.name }] : [])) };
}

/**
 * The smallest change: an allow rule for exactly the blocked sources, at the lowest-precedence
 * priority that still works (checked by re-evaluating the groups with it): in the group of the
 * blocking deny, else in a group bound before it; with no deny, the first group where it works. If
 * none works (a priority-1 deny: an allow cannot outrank it), remove or narrow the blocking denies.
 */
function fixFor(b: SecurityGroupBounds, flow: Flow, missing: AddressSet, blocker: Blocker): { sentence: string; action: FixAction } {
    const cidrs = missing.toCidrs();
    const need = missing.family(flow.family);
    const what = hasPorts(flow.protocol) ? `${protocolName(flow.protocol)} port ${flow.port}` : protocolName(flow.protocol);
    const works = (index: number, priority: number): boolean => {
        const g = b.groups[index] as Extract<GroupOnFlow, { known: true }>;
        const added: SgRuleOnFlow = { urn: "", name: "(new)", label: "(new)", action: { state: "known", value: "allow" }, priority: { state: "known", value: priority }, asAllow: exact(need), asDeny: exact(need), unknowns: [], readings: [] };
        const groups = b.groups.map((x, i) => (i === index ? { ...g, rules: [...g.rules, added] } : x));
        // With the order unknown, the new allow must win in every order: no group may deny.
        return need.isSubsetOf(b.order === "unknown" ? orderFreeOptimistic(groups, flow.family) : admittedSources(groups, flow.family, "binding", "optimistic"));
    };
    // Candidates: the group of the blocking deny (outrank it), then the groups bound before it; with no deny, every group in binding order.
    const denyAt = blocker.kind === "deny-rule" ? b.groups.findIndex((g) => g.known && g.rules.some((r) => r.urn === blocker.urn)) : -1;
    const candidates = denyAt >= 0 ? [denyAt, ...b.groups.keys()].filter((i, k) => k === 0 || i < denyAt) : [...b.groups.keys()];
    for (const i of candidates) {
        const g = b.groups[i];
        if (!g.known || !works(i, 1)) continue;
        let lo = 1; // works
        let hi = 100;
        if (works(i, 100)) lo = 100;
        while (lo < hi) {
            const mid = Math.ceil((lo + hi) / 2);
            if (works(i, mid)) lo = mid;
            else hi = mid - 1;
        }
        const priority = lo < 100 ? lo : undefined;
        const ahead = priority !== undefined && i === denyAt && blocker.kind === "deny-rule" ? ` (ahead of deny rule ${blocker.label})` : "";
        const earlier = denyAt >= 0 && i !== denyAt && blocker.kind === "deny-rule" ? ` (bound before ${blocker.group}, whose deny rule ${blocker.label} an allow there cannot outrank)` : "";
        const rules = cidrs.length === 1 ? "an ingress rule" : "ingress rules (one per CIDR, or one with an address group)";
        return {
            sentence: `add ${rules} to security group ${g.group.name}${earlier}: allow ${what} from ${cidrList(cidrs)}${priority !== undefined ? ` with priority ${priority}${ahead}` : ""}`,
            action: {
                kind: "add-security-group-rule",
                groupUrn: g.group.urn,
                groupName: g.group.name,
                rule: { direction: "ingress", ethertype: flow.family === 4 ? "IPv4" : "IPv6", protocol: protocolName(flow.protocol), ...(hasPorts(flow.protocol) ? { ports: String(flow.port) } : {}), remoteIpPrefixes: cidrs, action: "allow", ...(priority !== undefined ? { priority } : {}) },
            },
        };
    }
    // No allow can be placed ahead of them: the deny rules that drop part of the missing sources must change.
    const denies = blockingDenies(b.groups, need);
    const list = denies.map((d) => `${d.rule.label} in security group ${d.group}`);
    return {
        sentence: `remove or narrow deny rule${denies.length === 1 ? "" : "s"} ${list.slice(0, 3).join(", ")}${list.length > 3 ? ` and ${list.length - 3} more` : ""} so that ${denies.length === 1 ? "it no longer covers" : "they no longer cover"} ${what} from ${cidrList(cidrs)}: an allow rule cannot outrank a deny of the same priority, and no security group bound earlier can admit the traffic`,
        action: {
            kind: "remove-or-narrow-deny",
            rules: denies.map((d) => ({ ruleUrn: d.rule.urn, groupName: d.group, label: d.rule.label, priority: d.rule.priority.state === "known" ? d.rule.priority.value : "unknown" })),
            narrow: narrowing(b, need, cidrs),
        },
    };
}

/**
 * The deny rules to narrow so that an allow at priority 1 in the first known group admits `need`: with
 * the binding order known, the first group decides them, so its denies that can match them; with the
 * order unknown, any group's deny would win, so the denies of every group.
 */
function narrowing(b: SecurityGroupBounds, need: IntervalSet, missing: string[]): Extract<FixAction, { kind: "remove-or-narrow-deny" }>["narrow"] {
    const known = b.groups.filter((g): g is Extract<GroupOnFlow, { known: true }> => g.known);
    const first = known[0];
    const concerned = b.order === "unknown" ? known : first ? [first] : [];
    const denies = concerned.flatMap((g) => g.rules.filter((r) => !(r.action.state === "known" && r.action.value === "allow") && !r.asDeny.maybe.intersect(need).isEmpty()).map((r) => r.urn));
    return { denies, allowIn: first ? { urn: first.group.urn, name: first.group.name } : { urn: "", name: "" }, missing };
}

/** The deny rules that decide some of the sources (optimistic reading, groups in binding order). */
function blockingDenies(groups: readonly GroupOnFlow[], sources: IntervalSet): { rule: SgRuleOnFlow; group: string }[] {
    const out: { rule: SgRuleOnFlow; group: string }[] = [];
    let remaining = sources;
    for (const g of groups) {
        if (!g.known) continue;
        for (const x of orderedRules(g.rules, "optimistic")) {
            if (remaining.isEmpty()) return out;
            const hit = remaining.intersect(x.set);
            if (hit.isEmpty()) continue;
            if (x.action === "deny") out.push({ rule: x.r, group: g.group.name });
            remaining = remaining.subtract(hit);
        }
    }
    return out;
}

/** Some group allows, no group denies, with optimistic values. */
function orderFreeOptimistic(groups: readonly GroupOnFlow[], family: 4 | 6): IntervalSet {
    const universe = universeOf(family);
    const results = groups.map((g) => decisions(g, universe, "optimistic"));
    const allowed = results.reduce((a, r) => a.union(r.allowed), IntervalSet.EMPTY);
    return allowed.subtract(results.reduce((a, r) => a.union(r.denied), IntervalSet.EMPTY));
}

const labels = new WeakMap<SecurityGroupRule, string>();

/** `"deny-8080" (deny tcp 8080 from 0.0.0.0/0, priority 50)`. */
export function sgRuleLabel(rule: SecurityGroupRule): string {
    let label = labels.get(rule);
    if (label === undefined) labels.set(rule, (label = ruleLabel(rule)));
    return label;
}

function ruleLabel(rule: SecurityGroupRule): string {
    const v = <T>(x: Value<T>, f: (t: T) => string, absent: string) => (x.state === "known" ? f(x.value) : x.state === "absent" ? absent : "?");
    const action = v(rule.action, (a) => a, "allow");
    const proto = rule.protocol.state === "absent" ? "all protocols" : v(rule.protocol, protocolName, "?");
    const ports = rule.ports.state === "absent" ? "" : ` ${v(rule.ports, formatPorts, "")}`;
    const from =
        rule.remotes.length === 0
            ? "any address"
            : rule.remotes.map((r) => (r.kind === "cidr" ? v(r.set, (s) => s.toString(), "?") : r.kind === "group" ? "members of a security group" : "an address group")).join(" and ");
    const prio = v(rule.priority, String, "not set");
    return `"${rule.name}" (${action} ${proto}${ports} from ${from}, priority ${prio})`;
}
