/**
 * Why a flow through a network ACL is blocked and what admits it: the rule that drops a concrete
 * blocked packet (or the default deny), an allow rule it shadows, and the smallest change: allow rules
 * for exactly the blocked sources, inserted before the first rule that drops any of them.
 */
import { AddressSet, formatAddress } from "../net/addresses";
import { IntervalSet } from "../net/intervals";
import { hasPorts, protocolName } from "../net/protocols";
import type { Topology } from "../model/topology";
import type { AclRule, Ref, Value } from "../model/types";
import { cellRules, type AclEvaluation, type AclSide } from "./acl-eval";
import type { AclRuleOnFlow } from "./match";
import type { AclRuleAt, Blocker, FixAction, Flow, Shadowing } from "./types";

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

/** The first rule that drops the witness (optimistically it is blocked too, so that rule is a deny), and an allow it shadows. */
export function blockerFor(topology: Topology, rules: readonly AclRuleOnFlow[], side: AclSide, cell: IntervalSet, w: bigint): Blocker {
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
export function fixFor(e: Extract<AclEvaluation, { state: "evaluated" }>, side: AclSide, flow: Flow, missing: AddressSet, need: IntervalSet): FixAction {
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
