/**
 * Rule matching on one flow, for security groups and network ACLs alike: which source addresses a
 * rule matches (surely and possibly, bounds.ts) given its protocol, ports, addresses and address
 * groups, and which of its values are unknown. Evaluation (secgroup-eval.ts, acls.ts) orders the
 * matched rules; this module only says what each rule matches.
 */
import { AddressSet } from "../net/addresses";
import { IntervalSet } from "../net/intervals";
import { ALL_PORTS, formatPorts, portRange, type PortSet } from "../net/ports";
import { hasPorts, ICMP, ICMPV6, protocolName, type Protocol } from "../net/protocols";
import type { Topology } from "../model/topology";
import type { AclRule, IcmpTypeCode, Ref, Remote, SecurityGroupRule, Value } from "../model/types";
import { actionIn, and, boundIn, exact, gate, intersectAll, NONE, possibly, tri, unionAll, type Action, type Match, type Reading, type Tri } from "./bounds";
import { missing, type Note, type RuleField } from "./notes";
import type { Flow } from "./types";

export const universeOf = (family: 4 | 6): IntervalSet => AddressSet.anyOf(family).family(family);

/** Source ports of a probe: any ephemeral port. */
export const SOURCE_PORTS: PortSet = portRange(1, 65535);

/** What every matched rule has: its action and the sources it matches if it allows / if it denies. */
export interface MatchedRule {
    action: Value<Action>;
    asAllow: Match;
    asDeny: Match;
    /** Values unknown or invalid that can change what the rule does. */
    unknowns: Note[];
    /** Readings taken where the docs are silent. */
    readings: Note[];
}

/** A rule's action and matched sources in one reading. */
export function ruleIn<R extends MatchedRule>(r: R, reading: Reading): { r: R; action: Action; set: IntervalSet } {
    const action = actionIn(r.action, reading);
    return { r, action, set: boundIn(action === "allow" ? r.asAllow : r.asDeny, action, reading) };
}

/** Can the rule match any source of `region` (in some reading, either action)? */
export const touches = (r: MatchedRule, region: IntervalSet): boolean => !r.asAllow.maybe.union(r.asDeny.maybe).intersect(region).isEmpty();

/** Does a rule protocol cover the flow's? An IPv6 ICMP flow is matched by icmp and icmpv6 rules (§10.3). */
export function protocolCovers(rule: Protocol, flow: Flow): boolean {
    if (rule === "any" || rule === flow.protocol) return true;
    return flow.protocol === ICMP && flow.family === 6 && rule === ICMPV6;
}

const isAllPorts = (p: PortSet) => p.equals(ALL_PORTS) || p.equals(portRange(1, 65535));

/** A rule that restricts ports on a flow without ports (ICMP): the restricted-ICMP reading applies. */
export const restrictsPortless = (ports: Value<PortSet>, flow: Flow): ports is { state: "known"; value: PortSet } => !hasPorts(flow.protocol) && ports.state === "known" && !isAllPorts(ports.value);

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

/** The ELB's ICMP probe is an echo request (UDP checks, elb-backends): type 8 over IPv4, 128 over ICMPv6, code 0. */
const ECHO_REQUEST = { 4: 8, 6: 128 } as const;

/**
 * An ICMP rule's type and code against the probe: exact where the rule names the echo request or
 * another type. Over IPv6 a deny naming type 8 also counts (an "icmp" rule on IPv6 might mean the
 * IPv4 numbering), never an allow: the reading that never admits too much.
 */
export function icmpTypeCovers(t: Value<IcmpTypeCode> | undefined, flow: Flow, action: Action): Tri {
    if (t === undefined || t.state === "absent" || hasPorts(flow.protocol)) return true;
    if (t.state !== "known") return action === "deny" ? true : "unknown";
    const types: number[] = [ECHO_REQUEST[flow.family], ...(action === "deny" && flow.family === 6 ? [ECHO_REQUEST[4]] : [])];
    return types.includes(t.value.type) && (t.value.code === undefined || t.value.code === 0);
}

/** Records a rule field that is unknown at preview or invalid. */
export function noteUnknown(unknowns: Note[], v: Value<unknown>, field: RuleField): void {
    if (v.state === "unknown" || v.state === "invalid") unknowns.push({ code: "rule-value", field, value: v });
}

/** Sources in an address group (its resolved AddressSet); one of the other IP version matches nothing. */
export function addressGroupMatch(topology: Topology, ref: Ref, family: 4 | 6, unknowns: Note[]): Match {
    const g = topology.deref(ref, "addressGroup");
    if (!g) {
        unknowns.push({ code: "address-group-missing", path: ref.path, external: ref.state === "external" });
        return possibly(universeOf(family));
    }
    if (g.addresses.state !== "known") {
        unknowns.push({ code: "address-group-addresses", group: g.name, invalid: g.addresses.state === "invalid" });
        return possibly(universeOf(family));
    }
    const set = g.addresses.value.family(family);
    if (g.ipVersion.state === "known") return g.ipVersion.value === family ? exact(set) : NONE;
    unknowns.push({ code: "address-group-ip-version", group: g.name });
    return possibly(set);
}

/** An address condition: a CIDR set (absent = any address) or an address group. */
export function addressMatch(topology: Topology, set: Value<AddressSet>, group: Ref | undefined, family: 4 | 6, field: RuleField, unknowns: Note[]): Match {
    if (group) return addressGroupMatch(topology, group, family, unknowns);
    if (set.state === "known") return exact(set.value.family(family));
    unknowns.push({ code: "rule-value", field, value: missing(set) });
    return possibly(universeOf(family));
}

// ---------------------------------------------------------------------------------------------
// Security-group rules

/** A security-group rule as it bears on one flow. */
export interface SgRuleOnFlow extends MatchedRule {
    urn: string;
    /** The rule's Pulumi name. */
    name: string;
    /** The rule (absent for a rule a fix would add). */
    rule?: SecurityGroupRule;
    /** Absent = allow (API default). */
    action: Value<Action>;
    priority: Value<number>;
}

/**
 * An address unknown at preview whose only dependency is the one backend subnet whose unknown CIDR the
 * flow's sources are (assumption 40): it is that CIDR, so it matches every source the flow stands for.
 */
export const isSourceSubnetCidr = (set: Value<AddressSet>, fromSubnet: string | undefined, flow: Flow): boolean =>
    set.state === "unknown" && fromSubnet !== undefined && fromSubnet === flow.unknownSources?.subnet;

function remoteMatch(topology: Topology, r: Remote, flow: Flow, unknowns: Note[]): Match {
    const family = flow.family;
    switch (r.kind) {
        case "cidr":
            if (isSourceSubnetCidr(r.set, r.fromSubnet, flow)) return exact(universeOf(family));
            return addressMatch(topology, r.set, undefined, family, "remoteIpPrefix", unknowns);
        case "group":
            // Members of a security group: the load balancer is never one.
            return NONE;
        case "addressGroup":
            return addressGroupMatch(topology, r.group, family, unknowns);
    }
}

export function sgRuleOnFlow(topology: Topology, rule: SecurityGroupRule, flow: Flow): SgRuleOnFlow | undefined {
    const unknowns: Note[] = [];
    const readings: Note[] = [];
    const common = and(
        tri(rule.direction, (d) => d === "ingress"),
        tri(rule.ethertype, (e) => e === flow.family),
        rule.protocol.state === "absent" ? true : tri(rule.protocol, (p) => protocolCovers(p, flow)),
    );
    if (common === false) return undefined;
    noteUnknown(unknowns, rule.direction, "direction");
    noteUnknown(unknowns, rule.ethertype, "ethertype");
    noteUnknown(unknowns, rule.protocol, "protocol");

    const universe = universeOf(flow.family);
    const remotes = rule.remotes.map((r) => remoteMatch(topology, r, flow, unknowns));
    if (rule.remotes.some((r) => r.kind === "cidr" && isSourceSubnetCidr(r.set, r.fromSubnet, flow))) {
        readings.push({ code: "sg-remote-is-source-cidr", rule, name: flow.unknownSources!.name });
    }
    // Several remotes on one rule: how the API combines them is UNCONFIRMED; an allow covers only
    // sources in all of them, a deny all sources in any of them.
    if (remotes.length > 1) readings.push({ code: "sg-several-remotes", rule });
    const allowRemotes = remotes.length === 0 ? exact(universe) : intersectAll(remotes, universe);
    const denyRemotes = remotes.length === 0 ? exact(universe) : unionAll(remotes);

    if (restrictsPortless(rule.ports, flow)) {
        readings.push({ code: "sg-restricted-icmp", rule, ports: formatPorts(rule.ports.value) });
    }
    if (hasPorts(flow.protocol) || !(rule.action.state === "known" && rule.action.value === "deny")) noteUnknown(unknowns, rule.ports, "ports");

    const action: Value<Action> = rule.action.state === "absent" ? { state: "known", value: "allow" } : rule.action;
    noteUnknown(unknowns, action, "action");
    if (rule.priority.state === "absent") unknowns.push({ code: "priority-omitted" });
    else noteUnknown(unknowns, rule.priority, "priority");

    if (rule.icmpType && !(rule.action.state === "known" && rule.action.value === "deny")) noteUnknown(unknowns, rule.icmpType, "icmpType");
    const asAllow = gate(gate(allowRemotes, common), and(portsCover(rule.ports, flow, "allow"), icmpTypeCovers(rule.icmpType, flow, "allow")));
    const asDeny = gate(gate(denyRemotes, common), and(portsCover(rule.ports, flow, "deny"), icmpTypeCovers(rule.icmpType, flow, "deny")));
    if (asAllow.maybe.isEmpty() && asDeny.maybe.isEmpty()) return undefined;
    return { urn: rule.urn, name: rule.name, rule, action, priority: rule.priority, asAllow, asDeny, unknowns, readings };
}

// ---------------------------------------------------------------------------------------------
// Network-ACL rules

/** A network-ACL rule as it bears on one flow. */
export interface AclRuleOnFlow extends MatchedRule {
    rule: AclRule;
    /** Position in the list, 0-based. */
    index: number;
    /** Source addresses matched if the rule allows / denies, given it covers the source port. */
    asAllow: Match;
    asDeny: Match;
    /** TCP/UDP: the rule's source ports (cells split at their bounds); other protocols: folded into the matches. */
    sourcePorts: Value<PortSet>;
}

/** Does the rule's destination cover the member? Unknown when it covers only part of the member's possible addresses. */
export function destinationCovers(dst: Match, member: Value<AddressSet>, family: 4 | 6, unknowns: Note[]): Tri {
    if (member.state !== "known") {
        if (dst.maybe.isEmpty()) return false;
        if (dst.sure.equals(universeOf(family))) return true;
        unknowns.push({ code: "member-address-unknown" });
        return "unknown";
    }
    const m = member.value.family(family);
    if (m.isSubsetOf(dst.sure)) return true;
    if (m.intersect(dst.maybe).isEmpty()) return false;
    // The rule's destination is unknown (already noted), or the member's address is and the rule covers part of its subnet.
    if (dst.sure.equals(dst.maybe)) unknowns.push({ code: "member-address-partial-destination" });
    return "unknown";
}

export function aclRuleOnFlow(topology: Topology, rule: AclRule, index: number, flow: Flow, member: Value<AddressSet>): AclRuleOnFlow | undefined {
    const unknowns: Note[] = [];
    const readings: Note[] = [];
    const family = flow.family;
    const dst = addressMatch(topology, rule.destination, rule.destinationAddressGroup, family, "destination", unknowns);
    const common = and(
        tri(rule.enabled, (e) => e),
        tri(rule.ipVersion, (x) => x === family),
        tri(rule.protocol, (p) => protocolCovers(p, flow)),
        destinationCovers(dst, member, family, unknowns),
    );
    if (common === false) return undefined;
    noteUnknown(unknowns, rule.enabled, "enabled");
    noteUnknown(unknowns, rule.ipVersion, "ipVersion");
    noteUnknown(unknowns, rule.protocol, "protocol");
    noteUnknown(unknowns, rule.action, "action");
    const sameAsSources = !rule.sourceAddressGroup && isSourceSubnetCidr(rule.source, rule.sourceFromSubnet, flow);
    if (sameAsSources) readings.push({ code: "acl-source-is-source-cidr", rule: { index, rule }, name: flow.unknownSources!.name });
    const src = sameAsSources ? exact(universeOf(family)) : addressMatch(topology, rule.source, rule.sourceAddressGroup, family, "source", unknowns);
    // Port conditions: the destination port on TCP/UDP; on other protocols restricted ports follow the
    // reading for restricted ICMP (an allow covers nothing, a deny everything).
    const ported = hasPorts(flow.protocol);
    if (ported) noteUnknown(unknowns, rule.destinationPorts, "destinationPort");
    else {
        for (const [ports, side] of [[rule.destinationPorts, "destination"], [rule.sourcePorts, "source"]] as const) {
            if (ports.state === "known" && portsCover(ports, flow, "allow") === false) {
                readings.push({ code: "acl-restricted-ports", rule: { index, rule }, side, ports: formatPorts(ports.value), protocol: protocolName(flow.protocol) });
            }
        }
    }
    const portsFor = (a: Action): Tri => (ported ? portsCover(rule.destinationPorts, flow, a) : and(portsCover(rule.destinationPorts, flow, a), portsCover(rule.sourcePorts, flow, a)));
    const asAllow = gate(gate(src, common), portsFor("allow"));
    const asDeny = gate(gate(src, common), portsFor("deny"));
    if (asAllow.maybe.isEmpty() && asDeny.maybe.isEmpty()) return undefined;
    if (ported) noteUnknown(unknowns, rule.sourcePorts, "sourcePort");
    return { rule, index, action: rule.action, asAllow, asDeny, sourcePorts: ported ? rule.sourcePorts : { state: "known", value: SOURCE_PORTS }, unknowns, readings };
}
