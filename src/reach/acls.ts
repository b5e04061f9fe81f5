/**
 * The verdict for one flow through one side's network ACL: the evaluation over source address ×
 * source port (acl-eval.ts), and for a blocked flow a witness, the blocking rule and the fix
 * (acl-explain.ts).
 */
import { AddressSet, formatAddress } from "../net/addresses";
import { IntervalSet } from "../net/intervals";
import { hasPorts, protocolName } from "../net/protocols";
import type { Topology } from "../model/topology";
import type { AclRule } from "../model/types";
import type { Match } from "./bounds";
import { evaluateAcl, type AclCell, type AclSide } from "./acl-eval";
import { blockerFor, fixFor } from "./acl-explain";
import { addressMatch, destinationCovers, touches, universeOf } from "./match";
import { flowKey, ownCopy, perTopology } from "./memo";
import type { Note } from "./notes";
import type { CheckKind, Flow, FlowCheck } from "./types";

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
