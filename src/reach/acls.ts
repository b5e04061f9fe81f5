/**
 * Network ACLs (huaweicloud-resources.md §7, §10.6): rules in list order, the first match decides,
 * an implicit deny-all ends every direction; a disabled ACL (enabled: false) or a subnet without one
 * has no effect; disabled legacy rules are skipped. ACLs are stateful, so only the direction of the
 * packet the load balancer sends matters: inbound on the member's subnet, outbound on a dedicated
 * load balancer's backend subnet.
 * The health check's source port is an ephemeral port the docs do not fix, so a rule restricted on
 * source ports covers only part of the flow: evaluation is exact over source address x source port,
 * splitting the source-port range at every rule boundary into cells.
 */
import { AddressSet, formatAddress } from "../net/addresses";
import { IntervalSet } from "../net/intervals";
import { formatPorts, portRange } from "../net/ports";
import { ICMP, ICMPV6, protocolName, TCP, UDP } from "../net/protocols";
import type { Topology } from "../model/topology";
import type { AclRule, NetworkAcl, Ref, Value } from "../model/types";
import { and, firstMatch, gate, inReading, tri, type Action, type Match, type Reading, type Tri } from "./bounds";
import type { Blocker, CheckKind, Flow, FlowCheck } from "./types";

const SOURCE_PORTS = portRange(1, 65535);

interface RuleOnFlow {
    rule: AclRule;
    index: number;
    /** Sources matched, given the rule covers the cell's source ports. */
    match: Match;
    /** Source ports: surely / possibly covered. */
    ports: Match;
}

export interface AclSide {
    acl: NetworkAcl;
    direction: "ingress" | "egress";
    /** The destination: the member's address, or its subnet when the address is not known yet. */
    destination: Value<AddressSet>;
}

function addressCondition(topology: Topology, set: Value<AddressSet>, group: Ref | undefined, family: 4 | 6): Match {
    const universe = AddressSet.anyOf(family).family(family);
    if (group) {
        const g = topology.deref(group, "addressGroup");
        return g && g.addresses.state === "known" ? { sure: g.addresses.value.family(family), maybe: g.addresses.value.family(family) } : { sure: IntervalSet.EMPTY, maybe: universe };
    }
    return set.state === "known" ? { sure: set.value.family(family), maybe: set.value.family(family) } : { sure: IntervalSet.EMPTY, maybe: universe };
}

function ruleOnFlow(topology: Topology, rule: AclRule, index: number, flow: Flow, destination: Value<AddressSet>): RuleOnFlow | undefined {
    const dst = addressCondition(topology, rule.destination, rule.destinationAddressGroup, flow.family);
    const dstCond: Tri =
        destination.state === "known"
            ? destination.value.family(flow.family).isSubsetOf(dst.sure)
                ? true
                : destination.value.family(flow.family).intersect(dst.maybe).isEmpty()
                  ? false
                  : "unknown"
            : dst.maybe.isEmpty()
              ? false
              : "unknown";
    const hasPorts = flow.protocol === TCP || flow.protocol === UDP;
    const cond = and(
        tri(rule.ipVersion, (v) => v === flow.family),
        tri(rule.protocol, (p) => p === "any" || p === flow.protocol || (flow.protocol === ICMP && flow.family === 6 && p === ICMPV6)),
        hasPorts ? tri(rule.destinationPorts, (p) => p.contains(BigInt(flow.port ?? 0))) : true,
        dstCond,
    );
    if (cond === false) return undefined;
    const ports: Match = !hasPorts
        ? { sure: SOURCE_PORTS, maybe: SOURCE_PORTS }
        : rule.sourcePorts.state === "known"
          ? { sure: rule.sourcePorts.value, maybe: rule.sourcePorts.value }
          : { sure: IntervalSet.EMPTY, maybe: SOURCE_PORTS };
    return { rule, index, match: gate(addressCondition(topology, rule.source, rule.sourceAddressGroup, flow.family), cond), ports };
}

/** Source-port cells: maximal ranges inside which every rule's (known) source ports are constant. */
function cells(rules: RuleOnFlow[]): IntervalSet[] {
    const cuts = new Set<bigint>([1n, 65536n]);
    for (const r of rules) for (const [lo, hi] of r.ports.maybe.ranges) cuts.add(lo < 1n ? 1n : lo).add(hi + 1n > 65536n ? 65536n : hi + 1n);
    for (const r of rules) for (const [lo, hi] of r.ports.sure.ranges) cuts.add(lo < 1n ? 1n : lo).add(hi + 1n > 65536n ? 65536n : hi + 1n);
    const sorted = [...cuts].filter((c) => c >= 1n && c <= 65536n).sort((a, b) => (a < b ? -1 : 1));
    const out: IntervalSet[] = [];
    for (let i = 0; i + 1 < sorted.length; i++) out.push(IntervalSet.of(sorted[i], sorted[i + 1] - 1n));
    return out;
}

function enabledIn(rule: AclRule, action: Action, reading: Reading): boolean {
    if (rule.enabled.state === "known") return rule.enabled.value;
    // Unknown enabled flag: pessimistic keeps denies and drops allows; optimistic the reverse.
    return (action === "deny") === (reading === "pessimistic");
}

/** Admitted sources within one source-port cell, in one reading. */
function admittedInCell(rules: RuleOnFlow[], cell: IntervalSet, universe: IntervalSet, reading: Reading): IntervalSet {
    const ordered = rules.flatMap((r) => {
        const { action, set } = inReading(r.match, r.rule.action, reading);
        if (!enabledIn(r.rule, action, reading)) return [];
        const surePorts = cell.isSubsetOf(r.ports.sure);
        const maybePorts = !cell.intersect(r.ports.maybe).isEmpty();
        const useSure = (action === "allow") === (reading === "pessimistic");
        const covers = useSure ? surePorts : maybePorts;
        return covers ? [{ action, set }] : [];
    });
    return firstMatch(ordered, universe).allowed;
}

export interface AclVerdict {
    /** Per cell: pessimistic and optimistic admitted sources. */
    state: FlowCheck["state"];
    admitted: IntervalSet;
    blocked: IntervalSet;
    witness?: { source: bigint; sourcePort?: number };
    blockedBy?: Blocker;
    reason?: string;
}

function sideRules(side: AclSide): Value<AclRule[]> {
    return side.direction === "ingress" ? side.acl.ingress : side.acl.egress;
}

/** Evaluate the ACL on one side of the path for a flow. */
export function evaluateAcl(topology: Topology, side: AclSide, flow: Flow, need: IntervalSet): AclVerdict {
    const universe = AddressSet.anyOf(flow.family).family(flow.family);
    const acl = side.acl;
    if (acl.enabled.state === "known" && !acl.enabled.value) return { state: "reachable", admitted: need, blocked: IntervalSet.EMPTY };
    const list = sideRules(side);
    if (list.state !== "known") {
        return { state: "undetermined", admitted: IntervalSet.EMPTY, blocked: IntervalSet.EMPTY, reason: `the ${side.direction === "ingress" ? "inbound" : "outbound"} rules of network ACL ${acl.name} are ${list.state === "unknown" ? "unknown at preview" : "invalid"}` };
    }
    const rules = list.value.flatMap((r, i) => ruleOnFlow(topology, r, i, flow, side.destination) ?? []);
    // Absent = enabled (legacy ACLs have no flag at all).
    const enabledUnknown = acl.enabled.state === "unknown" || acl.enabled.state === "invalid";
    let sureAll = need;
    let blocked = IntervalSet.EMPTY;
    let anyMaybe = false;
    let witness: AclVerdict["witness"];
    const hasPorts = flow.protocol === TCP || flow.protocol === UDP;
    for (const cell of hasPorts ? cells(rules) : [SOURCE_PORTS]) {
        // An ACL whose enabled flag is unknown may have no effect at all (optimistic reading).
        const sure = admittedInCell(rules, cell, universe, "pessimistic").intersect(need);
        const maybe = enabledUnknown ? need : admittedInCell(rules, cell, universe, "optimistic").intersect(need);
        sureAll = sureAll.intersect(sure);
        const cellBlocked = need.subtract(maybe);
        if (!maybe.isEmpty()) anyMaybe = true;
        if (!cellBlocked.isEmpty() && !witness) {
            const partialPorts = !cell.equals(SOURCE_PORTS);
            witness = { source: cellBlocked.sample()!, ...(partialPorts ? { sourcePort: Number(cell.sample()!) } : {}) };
        }
        blocked = blocked.union(cellBlocked);
    }
    if (need.isSubsetOf(sureAll)) return { state: "reachable", admitted: sureAll, blocked: IntervalSet.EMPTY };
    if (!witness) {
        const unknown = list.value.filter((r) => [r.action, r.protocol, r.ipVersion, r.source, r.destination, r.sourcePorts, r.destinationPorts, r.enabled].some((v) => v.state !== "known"));
        const reason = enabledUnknown ? `whether network ACL ${acl.name} is enabled is unknown at preview` : unknown.length > 0 ? `rule ${unknown[0].label} of network ACL ${acl.name} has values that are unknown or invalid` : `the member's address is unknown at preview, so the rules' destinations cannot be matched`;
        return { state: "undetermined", admitted: sureAll, blocked: IntervalSet.EMPTY, reason };
    }
    const state = anyMaybe ? "partial" : "blocked";
    return { state, admitted: sureAll, blocked, witness, blockedBy: blockerFor(rules, flow, witness, acl) };
}

/** First rule matching the concrete witness in the optimistic reading (it is blocked even there). */
function blockerFor(rules: RuleOnFlow[], flow: Flow, w: { source: bigint; sourcePort?: number }, acl: NetworkAcl): Blocker {
    const port = BigInt(w.sourcePort ?? 1);
    const hits = (r: RuleOnFlow, reading: Reading) => {
        const { action, set } = inReading(r.match, r.rule.action, reading);
        const ports = (action === "allow") === (reading === "pessimistic") ? r.ports.sure : r.ports.maybe;
        return enabledIn(r.rule, action, reading) && set.contains(w.source) && ports.contains(port) ? action : undefined;
    };
    const firstIdx = rules.findIndex((r) => hits(r, "optimistic") !== undefined);
    const first = firstIdx >= 0 ? rules[firstIdx] : undefined;
    // An allow rule later in the list that would admit the witness: it never gets the packet.
    const later = rules.slice(firstIdx + 1).find((r) => r.rule.action.state === "known" && r.rule.action.value === "allow" && r.match.sure.contains(w.source) && r.ports.sure.contains(port));
    const shadowed = later && first ? shadowNote(later, first) : later ? `rule ${later.rule.label} would admit it` : undefined;
    if (first) return { kind: "acl-rule", aclUrn: acl.urn, aclName: acl.name, rulePath: first.rule.path, label: first.rule.label, ...(shadowed ? { shadowedRule: shadowed } : {}) };
    return { kind: "acl-default-deny", aclUrn: acl.urn, aclName: acl.name };
}

/** "rule allow-elb never matches: rule deny-all before it covers everything it matches" when fully covered. */
function shadowNote(later: RuleOnFlow, earlier: RuleOnFlow): string {
    const a = later.rule;
    const e = earlier.rule;
    const covers = <T>(x: Value<T>, y: Value<T>, sub: (p: T, q: T) => boolean) => x.state === "known" && y.state === "known" && sub(x.value, y.value);
    const full =
        covers(a.protocol, e.protocol, (p, q) => q === "any" || p === q) &&
        covers(a.ipVersion, e.ipVersion, (p, q) => p === q) &&
        covers(a.source, e.source, (p, q) => p.isSubsetOf(q)) &&
        covers(a.destination, e.destination, (p, q) => p.isSubsetOf(q)) &&
        covers(a.sourcePorts, e.sourcePorts, (p, q) => p.isSubsetOf(q)) &&
        covers(a.destinationPorts, e.destinationPorts, (p, q) => p.isSubsetOf(q)) &&
        !a.sourceAddressGroup && !a.destinationAddressGroup && !e.sourceAddressGroup && !e.destinationAddressGroup;
    return full ? `rule ${a.label} never matches: rule ${e.label} before it covers everything it matches` : `rule ${a.label} would admit it, but rule ${e.label} matches first`;
}

export function aclRuleText(r: AclRule): string {
    const v = <T>(x: Value<T>, f: (t: T) => string) => (x.state === "known" ? f(x.value) : "?");
    return `${v(r.action, (a) => a)} ${v(r.protocol, protocolName)} from ${v(r.source, (s) => s.toString())} to ports ${v(r.destinationPorts, formatPorts)}`;
}

/** Build the FlowCheck for one ACL side. */
export function aclCheck(topology: Topology, kind: CheckKind, side: AclSide, flow: Flow, need: AddressSet, assumptions: string[]): FlowCheck {
    const v = evaluateAcl(topology, side, flow, need.family(flow.family));
    const asSet = (s: IntervalSet) => AddressSet.ofFamily(flow.family, s);
    const base = { kind, flow, assumptions, subjectUrn: side.acl.urn, subjectName: side.acl.name };
    if (v.state === "reachable" || v.state === "undetermined") return { ...base, state: v.state, admitted: asSet(v.admitted), blocked: AddressSet.EMPTY, ...(v.reason ? { reason: v.reason } : {}) };
    const missing = asSet(v.blocked);
    const what = flow.protocol === ICMP ? "icmp" : `${protocolName(flow.protocol)} destination port ${flow.port}`;
    const where = side.direction === "ingress" ? "an inbound" : "an outbound";
    const before = v.blockedBy?.kind === "acl-rule" ? ` before rule ${v.blockedBy.label}` : "";
    const from = missing.toCidrs().slice(0, 6).join(", ") + (missing.toCidrs().length > 6 ? ", ..." : "");
    const sourcePorts = v.witness?.sourcePort !== undefined ? " from any source port" : "";
    return {
        ...base,
        state: v.state,
        admitted: asSet(v.admitted),
        blocked: missing,
        witness: {
            source: formatAddress({ family: flow.family, value: v.witness!.source }),
            protocol: protocolName(flow.protocol),
            ...(flow.port !== undefined && flow.protocol !== ICMP ? { port: flow.port } : {}),
            ...(v.witness!.sourcePort !== undefined ? { sourcePort: v.witness!.sourcePort } : {}),
        },
        blockedBy: v.blockedBy,
        fix: `add ${where} rule to network ACL ${side.acl.name}${before}: allow ${what} from ${from}${sourcePorts}`,
    };
}
