/**
 * Why a flow through security groups is blocked and what admits it: the rule that drops a concrete
 * blocked source (or none: the default rules), and the smallest change, checked by re-evaluating the
 * groups with it (secgroup-eval.ts).
 */
import type { AddressSet } from "../net/addresses";
import { IntervalSet } from "../net/intervals";
import { hasPorts, protocolName } from "../net/protocols";
import { exact } from "./bounds";
import type { SgRuleOnFlow } from "./match";
import { admittedSources, orderedRules, orderFreeOptimistic, type GroupOnFlow, type KnownGroup, type SecurityGroupBounds } from "./secgroup-eval";
import type { Blocker, FixAction, Flow } from "./types";

/** The rule that drops a concrete blocked source. It is blocked even optimistically, so the first deciding rule there is a deny. */
export function blockerFor(groups: readonly GroupOnFlow[], source: bigint): Blocker {
    for (const g of groups) {
        if (!g.known) continue;
        const hit = orderedRules(g.rules, "optimistic").find((x) => x.set.contains(source));
        if (hit && hit.action === "deny") {
            return { kind: "deny-rule", urn: hit.r.urn, groupUrn: g.group.urn, group: g.group.name, rule: hit.r.rule!, name: hit.r.name, priority: hit.r.priority.state === "known" ? hit.r.priority.value : "unknown" };
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
export function fixFor(b: SecurityGroupBounds, flow: Flow, missing: AddressSet, blocker: Blocker): FixAction {
    const cidrs = missing.toCidrs();
    const need = missing.family(flow.family);
    const works = (index: number, priority: number): boolean => {
        const g = b.groups[index] as KnownGroup;
        const added: SgRuleOnFlow = { urn: "", name: "", action: { state: "known", value: "allow" }, priority: { state: "known", value: priority }, asAllow: exact(need), asDeny: exact(need), unknowns: [], readings: [] };
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
        const place = i !== denyAt ? (blocker.kind === "deny-rule" ? { place: "bound-before-blocking-deny" as const } : {}) : priority !== undefined && blocker.kind === "deny-rule" ? { place: "ahead-of-blocking-deny" as const } : {};
        return {
            kind: "add-security-group-rule",
            groupUrn: g.group.urn,
            groupName: g.group.name,
            rule: { direction: "ingress", ethertype: flow.family === 4 ? "IPv4" : "IPv6", protocol: protocolName(flow.protocol), ...(hasPorts(flow.protocol) ? { ports: String(flow.port) } : {}), remoteIpPrefixes: cidrs, action: "allow", ...(priority !== undefined ? { priority } : {}) },
            ...place,
        };
    }
    // No allow can be placed ahead of them: the deny rules that drop part of the missing sources must change.
    const denies = blockingDenies(b.groups, need);
    return {
        kind: "remove-or-narrow-deny",
        rules: denies.map((d) => ({ ruleUrn: d.rule.urn, groupName: d.group, rule: d.rule.rule!, priority: d.rule.priority.state === "known" ? d.rule.priority.value : "unknown" })),
        narrow: narrowing(b, need, cidrs),
    };
}

/**
 * The deny rules to narrow so that an allow at priority 1 in the first known group admits `need`: with
 * the binding order known, the first group decides them, so its denies that can match them; with the
 * order unknown, any group's deny would win, so the denies of every group.
 */
function narrowing(b: SecurityGroupBounds, need: IntervalSet, missing: string[]): Extract<FixAction, { kind: "remove-or-narrow-deny" }>["narrow"] {
    const known = b.groups.filter((g): g is KnownGroup => g.known);
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

