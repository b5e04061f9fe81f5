/**
 * The verdict for one flow through a NIC's security groups: the bounds (secgroup-eval.ts), and for a
 * blocked flow a witness, the blocking rule and the fix (secgroup-explain.ts).
 */
import { AddressSet, formatAddress } from "../net/addresses";
import type { IntervalSet } from "../net/intervals";
import { hasPorts, protocolName } from "../net/protocols";
import type { Topology } from "../model/topology";
import type { Ref, Value } from "../model/types";
import { touches } from "./match";
import { flowKey, ownCopy, perTopology, refKey } from "./memo";
import { securityGroupBounds, type KnownGroup } from "./secgroup-eval";
import { blockerFor, fixFor } from "./secgroup-explain";
import type { Note } from "./notes";
import type { Flow, FlowCheck } from "./types";

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

function computeSecurityGroupCheck(topology: Topology, refs: Value<Ref[]>, flow: Flow, required: AddressSet): FlowCheck {
    const family = flow.family;
    const need = required.family(family);
    const asSet = (s: IntervalSet) => AddressSet.ofFamily(family, s);
    const base = { kind: "security-group" as const, flow, required: asSet(need), assumptions: [] as Note[] };
    if (refs.state !== "known" || refs.value.length === 0) {
        const reason: Note = refs.state === "known" || refs.state === "absent" ? { code: "no-security-groups" } : { code: "security-groups-value", value: refs };
        return { ...base, state: "undetermined", admitted: AddressSet.EMPTY, possiblyAdmitted: asSet(need), blocked: AddressSet.EMPTY, reason: [reason] };
    }
    const b = securityGroupBounds(topology, refs.value, flow);
    const sure = b.pessimistic.intersect(need);
    const maybe = b.optimistic.intersect(need);
    const blocked = need.subtract(maybe);
    const first = b.groups.find((g): g is KnownGroup => g.known);
    const subject = first ? { subjectUrn: first.group.urn, subjectName: first.group.name } : {};
    const common = { ...base, ...subject, admitted: asSet(sure), possiblyAdmitted: asSet(maybe) };
    if (b.order === "unknown") {
        common.assumptions.push({ code: "binding-order-unknown" });
    }

    if (need.isSubsetOf(sure)) return { ...common, state: "reachable", blocked: AddressSet.EMPTY };
    for (const g of b.groups) if (g.known) for (const r of g.rules) if (touches(r, need)) common.assumptions.push(...r.readings);
    if (blocked.isEmpty()) {
        const undecided = need.subtract(sure);
        const reasons = b.groups.flatMap((g): Note[] =>
            g.known ? g.rules.filter((r) => r.unknowns.length > 0 && touches(r, undecided)).map((r) => ({ code: "sg-rule-unknowns", rule: r.rule!, group: g.group.name, unknowns: r.unknowns })) : [{ code: "group-not-known", ref: g.ref }],
        );
        if (reasons.length === 0 && b.order === "unknown") reasons.push({ code: "binding-order-conflict", groups: b.groups.map((g) => (g.known ? { name: g.group.name } : { path: g.ref.path })) });
        return { ...common, state: "undetermined", blocked: AddressSet.EMPTY, reason: reasons.length > 0 ? reasons.slice(0, 3) : [{ code: "rule-values-unknown" }] };
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
        fix,
        fixAction: fix,
    };
}
