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
import { AddressSet, formatAddress } from "../net/addresses";
import { IntervalSet } from "../net/intervals";
import { hasPorts, protocolName } from "../net/protocols";
import type { Topology } from "../model/topology";
import type { AclRule, NetworkAcl, Ref, Value } from "../model/types";
import { firstMatch, gate, type Match, type Reading, type Tri } from "./bounds";
import { aclRuleOnFlow, addressMatch, destinationCovers, ruleIn, touches, universeOf, type AclRuleOnFlow } from "./match";
import { flowKey, ownCopy, perTopology } from "./memo";
import type { Note } from "./notes";
import type { AclRuleAt, Blocker, CheckKind, FixAction, Flow, FlowCheck, Shadowing } from "./types";

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
function cellRules(rules: readonly AclRuleOnFlow[], cell: IntervalSet, reading: Reading) {
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

/** Rules that can never match: an earlier rule (enabled, all values known) covers every packet they match. */
export function shadowedAclRules(topology: Topology, rules: readonly AclRule[]): Map<number, number> {
    const out = new Map<number, number>();
    const known = <T>(x: Value<T>): T | undefined => (x.state === "known" ? x.value : undefined);
    const addresses = (set: Value<AddressSet>, group: Ref | undefined): AddressSet | undefined => {
        if (!group) return known(set);
        const g = topology.deref(group, "addressGroup");
        return g ? known(g.addresses) : undefined;
    };
    const space = (r: AclRule) => {
        const [enabled, ipVersion, protocol, src, dst, sp, dp] = [known(r.enabled), known(r.ipVersion), known(r.protocol), addresses(r.source, r.sourceAddressGroup), addresses(r.destination, r.destinationAddressGroup), known(r.sourcePorts), known(r.destinationPorts)];
        if (enabled === undefined || ipVersion === undefined || protocol === undefined || !src || !dst || !sp || !dp) return undefined;
        return { enabled, ipVersion, protocol, src: src.only(ipVersion), dst: dst.only(ipVersion), sp, dp };
    };
    const spaces = rules.map(space);
    spaces.forEach((a, j) => {
        if (!a || !a.enabled) return;
        const i = spaces.findIndex((e, i) => i < j && !!e && e.enabled && e.ipVersion === a.ipVersion && (e.protocol === "any" || e.protocol === a.protocol) && a.src.isSubsetOf(e.src) && a.dst.isSubsetOf(e.dst) && a.sp.isSubsetOf(e.sp) && a.dp.isSubsetOf(e.dp));
        if (i >= 0) out.set(j, i);
    });
    return out;
}

/**
 * Members of one subnet mostly get the same verdict: it is computed once per ACL, direction, flow and
 * "destination class" — how each rule's destination treats the member's address — and copied.
 */
const checks = perTopology<FlowCheck>();
const destinations = new WeakMap<AclRule, Map<4 | 6, Match>>();

/** The verdict for one flow through one side's ACL. `required` defaults to the flow's sources. */
export function aclCheck(topology: Topology, kind: CheckKind, side: AclSide, flow: Flow, required: AddressSet = flow.sources): FlowCheck {
    const key = `${kind}#${side.acl.urn}#${side.direction}#${flowKey(flow)}#${required.key()}#${destinationClass(topology, side, flow.family)}`;
    return ownCopy(checks(topology, key, () => computeAclCheck(topology, kind, side, flow, required)), flow);
}

/** What of the member's address the evaluation depends on (the outbound fix names a single address, so it keys on it). */
function destinationClass(topology: Topology, side: AclSide, family: 4 | 6): string {
    const d = side.destination;
    if (side.direction === "egress") return d.state === "known" ? `k${d.value.key()}` : d.state;
    const list = side.acl.ingress;
    if (list.state !== "known") return "";
    const universe = universeOf(family);
    let out = d.state;
    list.value.forEach((rule, i) => {
        let byFamily = destinations.get(rule);
        if (!byFamily) destinations.set(rule, (byFamily = new Map()));
        let dst = byFamily.get(family);
        if (!dst) byFamily.set(family, (dst = addressMatch(topology, rule.destination, rule.destinationAddressGroup, family, "destination", [])));
        if (dst.sure.equals(universe)) return; // covers every member alike
        const notes: Note[] = [];
        out += `;${i}:${destinationCovers(dst, d, family, notes)}:${notes.length}`;
    });
    return out;
}

function computeAclCheck(topology: Topology, kind: CheckKind, side: AclSide, flow: Flow, required: AddressSet): FlowCheck {
    const family = flow.family;
    const need = required.family(family);
    const asSet = (s: IntervalSet) => AddressSet.ofFamily(family, s);
    const acl = side.acl;
    const base = { kind, flow, required: asSet(need), assumptions: [] as Note[], subjectUrn: acl.urn, subjectName: acl.name };
    const e = evaluateAcl(topology, side, flow);
    if (e.state === "no-effect") return { ...base, state: "reachable", admitted: asSet(need), possiblyAdmitted: asSet(need), blocked: AddressSet.EMPTY };
    if (e.state === "rules-unknown") return { ...base, state: "undetermined", admitted: AddressSet.EMPTY, possiblyAdmitted: asSet(need), blocked: AddressSet.EMPTY, reason: [e.reason] };

    const sure = e.cells.reduce((a, c) => a.intersect(c.pessimistic), need);
    const maybe = e.cells.reduce((a, c) => a.union(c.optimistic), IntervalSet.EMPTY).intersect(need);
    const blockedIn = (c: AclCell) => need.subtract(c.optimistic);
    const blocked = e.cells.reduce((a, c) => a.union(blockedIn(c)), IntervalSet.EMPTY);
    const common = { ...base, admitted: asSet(sure), possiblyAdmitted: asSet(maybe) };
    if (need.isSubsetOf(sure)) return { ...common, state: "reachable", blocked: AddressSet.EMPTY };

    for (const r of e.rules) if (touches(r, need)) common.assumptions.push(...r.readings);
    if (blocked.isEmpty()) {
        const undecided = need.subtract(sure);
        const reasons: Note[] = e.enabledUnknown
            ? [{ code: "acl-enabled-unknown", acl: acl.name }]
            : e.rules.filter((r) => r.unknowns.length > 0 && touches(r, undecided)).map((r): Note => ({ code: "acl-rule-unknowns", rule: { index: r.index, rule: r.rule }, acl: acl.name, unknowns: r.unknowns }));
        return { ...common, state: "undetermined", blocked: AddressSet.EMPTY, reason: reasons.length > 0 ? reasons.slice(0, 3) : [{ code: "acl-values-unknown", acl: acl.name }] };
    }

    // Witness: the lowest blocked address, on a source port where it is blocked; the port is named only if it matters.
    const w = blocked.sample()!;
    const cell = e.cells.find((c) => blockedIn(c).contains(w))!;
    const portMatters = e.cells.some((c) => !blockedIn(c).contains(w));
    const sourcePort = Number(cell.ports.sample()!);
    const blockedBy = blockerFor(topology, e.rules, side, cell.ports, w);
    const fix = fixFor(e, side, flow, asSet(blocked), need);
    return {
        ...common,
        state: e.cells.every((c) => c.optimistic.intersect(need).isEmpty()) ? "blocked" : "partial",
        blocked: asSet(blocked),
        witness: { source: formatAddress({ family, value: w }), protocol: protocolName(flow.protocol), ...(hasPorts(flow.protocol) ? { port: flow.port } : {}), ...(portMatters ? { sourcePort } : {}) },
        blockedBy,
        fix,
        fixAction: fix,
    };
}

/** The first rule that drops the witness (optimistically it is blocked too, so that rule is a deny), and an allow it shadows. */
function blockerFor(topology: Topology, rules: readonly AclRuleOnFlow[], side: AclSide, cell: IntervalSet, w: bigint): Blocker {
    const acl = side.acl;
    const opt = cellRules(rules, cell, "optimistic");
    const at = opt.findIndex((x) => x.set.contains(w));
    if (at < 0) return { kind: "acl-default-deny", aclUrn: acl.urn, aclName: acl.name };
    const first = opt[at].r;
    // An allow rule further down that would admit the witness: say why it does not.
    const later = cellRules(rules, cell, "pessimistic")
        .slice(at + 1)
        .find((x) => x.action === "allow" && x.set.contains(w))?.r;
    let shadowing: Shadowing | undefined;
    if (later) {
        const list = side.direction === "ingress" ? acl.ingress : acl.egress;
        const coveredBy = list.state === "known" ? shadowedAclRules(topology, list.value).get(later.index) : undefined;
        const at = (index: number, rule: AclRule): AclRuleAt => ({ index, label: rule.label });
        shadowing =
            coveredBy !== undefined && list.state === "known"
                ? { rule: at(later.index, later.rule), by: at(coveredBy, list.value[coveredBy]), how: "covered" }
                : { rule: at(later.index, later.rule), by: at(first.index, first.rule), how: "first-match" };
    }
    return { kind: "acl-rule", aclUrn: acl.urn, aclName: acl.name, rulePath: first.rule.path || first.rule.urn, label: first.rule.label, index: first.index, ruleUrn: first.rule.urn, ...(shadowing ? { shadowing } : {}) };
}

/**
 * The smallest change: one allow rule (per source CIDR) for exactly the blocked sources, inserted just
 * before the first rule that drops any of them. Every blocked packet reaches that position (no earlier
 * rule matches it), so the new rule admits them all.
 */
function fixFor(e: Extract<AclEvaluation, { state: "evaluated" }>, side: AclSide, flow: Flow, missing: AddressSet, need: IntervalSet): FixAction {
    let position: number | undefined;
    for (const c of e.cells) {
        const region = need.subtract(c.optimistic);
        if (region.isEmpty()) continue;
        const hit = cellRules(e.rules, c.ports, "optimistic").find((x) => !x.set.intersect(region).isEmpty());
        if (hit && (position === undefined || hit.r.index < position)) position = hit.r.index;
    }
    const before = position === undefined ? undefined : e.rules.find((r) => r.index === position)!;
    const cidrs = missing.toCidrs();
    const direction = side.direction === "ingress" ? "inbound" : "outbound";
    const member = side.destination.state === "known" ? side.destination.value.family(flow.family) : IntervalSet.EMPTY;
    const to = side.direction === "egress" && member.size() === 1n ? formatAddress({ family: flow.family, value: member.sample()! }) : undefined;
    return {
        kind: "add-acl-rule",
        aclUrn: side.acl.urn,
        aclName: side.acl.name,
        direction,
        ...(before ? { before: { position: before.index + 1, rulePath: before.rule.path || before.rule.urn, label: before.rule.label } } : {}),
        rule: { action: "allow", protocol: protocolName(flow.protocol), ipVersion: flow.family, sourceCidrs: cidrs, ...(hasPorts(flow.protocol) ? { destinationPort: String(flow.port) } : {}), ...(to ? { destination: to } : {}) },
    };
}
