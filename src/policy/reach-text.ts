/**
 * The English of the reachability core's data (src/reach): why a verdict cannot be told, readings,
 * where health checks come from, rule labels and the fix sentence. The core says none of it in words.
 */
import { AddressSet } from "../net/addresses";
import { formatPorts } from "../net/ports";
import { hasPorts, protocolName } from "../net/protocols";
import type { Ref, SecurityGroupRule, Value } from "../model/types";
import type { AclRuleRef, Blocker, FixAction, Flow, FlowCheck, Missing, Note, SourceLabel, Subject } from "../reach";

/** A few CIDRs for a sentence: "100.125.0.0/16, 100.126.0.0/16" or "a, b, ... and 12 more". */
export function cidrList(cidrs: readonly string[], max = 6): string {
    if (cidrs.length <= max) return cidrs.join(", ");
    return `${cidrs.slice(0, max).join(", ")} and ${cidrs.length - max} more`;
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

/** Rule position and name, as the sentences cite ACL rules: `rule 2 'deny-all'`. */
export const aclRuleRef = (r: AclRuleRef) => `rule ${r.index + 1} '${r.rule.label}'`;

/** "the health-check port", "the IPv6 CIDR of backend subnet app". */
export function subjectText(s: Subject): string {
    switch (s.of) {
        case "health-check-protocol":
            return "the health-check protocol";
        case "pool-protocol":
            return "the pool protocol";
        case "member-address":
            return "the member's address";
        case "health-check-port":
            return "the health-check port";
        case "member-port":
            return "the member port";
        case "backend-subnet-ipv6":
            return `whether backend subnet ${s.subnet} has IPv6`;
        case "subnet-cidr":
            return `the IPv${s.family} CIDR of backend subnet ${s.subnet}`;
        case "lb-backend-subnets":
            return `the backend subnets of ${s.lb}`;
        case "vpc-cidr":
            return `the CIDR of VPC ${s.vpc}`;
        case "vpc-secondary-cidrs":
            return `the secondary CIDRs of VPC ${s.vpc}`;
    }
}

/** Why a value cannot be used: "the health-check port (port) is unknown at preview". */
function valueText(what: string, v: Missing): string {
    switch (v.state) {
        case "unknown":
            return `${what} (${v.path}) is unknown at preview`;
        case "invalid":
            return `${what} (${v.path}) is invalid (expected ${v.expected})`;
        case "absent":
            return `${what} is not set`;
        default:
            return `${what} cannot be used`;
    }
}

const FIELDS: Partial<Record<string, string>> = { source: "the source address", destination: "the destination address", icmpType: "the ICMP type and code (portRangeMin, portRangeMax)" };

/** "remoteIpPrefix is unknown at preview" / "ports is invalid (expected ...)". */
function ruleValueText(field: string, v: Missing): string {
    const what = FIELDS[field] ?? field;
    switch (v.state) {
        case "unknown":
            return `${what} is unknown at preview`;
        case "invalid":
            return `${what} is invalid (expected ${v.expected})`;
        default:
            return `${what} cannot be read`;
    }
}

function refText(ref: Ref): string {
    switch (ref.state) {
        case "unresolved":
            return ref.reason;
        case "external":
            return "it is not in this stack";
        case "invalid":
            return `invalid: expected ${ref.expected}`;
        default:
            return ref.state;
    }
}

function groupNotKnown(ref: Ref): string {
    switch (ref.state) {
        case "external":
            return `the security group at ${ref.path} is not in this stack, so its rules are not known`;
        case "unresolved":
            return ref.reason;
        case "invalid":
            return `the security group at ${ref.path} is invalid (expected ${ref.expected})`;
        default:
            return `the security group at ${ref.path} is not a security group of this stack`;
    }
}

export function noteText(n: Note): string {
    switch (n.code) {
        case "value":
            return valueText(subjectText(n.what), n.value);
        case "rule-value":
            return ruleValueText(n.field, n.value);
        case "priority-omitted":
            return "priority is not set (Terraform documents 1, one Huawei API reference 100)";
        case "address-group-missing":
            return n.external ? `its address group (${n.path}) is not in this stack` : `its address group (${n.path}) cannot be resolved`;
        case "address-group-addresses":
            return `the addresses of address group ${n.group} ${n.invalid ? "are invalid" : "are unknown at preview"}`;
        case "address-group-ip-version":
            return `the ipVersion of address group ${n.group} is unknown`;
        case "member-address-unknown":
            return "the member's address is unknown at preview";
        case "member-address-partial-destination":
            return "the member's address is unknown at preview and the rule's destination covers only part of its subnet";
        case "sg-several-remotes":
            return `rule ${sgRuleLabel(n.rule)} names several remotes: taken to allow only sources in all of them and to deny sources in any of them`;
        case "sg-restricted-icmp":
            return `rule ${sgRuleLabel(n.rule)} restricts ICMP types (ports ${n.ports}); which ICMP types the ELB sends is not documented, so a restricted ICMP allow is taken to admit nothing and a restricted ICMP deny to drop everything`;
        case "acl-restricted-ports":
            return `${aclRuleRef(n.rule)} restricts ${n.side} ports (${n.ports}) on ${n.protocol}, which has none: taken to admit nothing when it allows and to drop everything when it denies`;
        case "sg-remote-is-source-cidr":
            return `rule ${sgRuleLabel(n.rule)}: remoteIpPrefix is unknown at preview and comes from the backend subnet alone, so it is taken to be ${subjectText(n.name)}`;
        case "acl-source-is-source-cidr":
            return `${aclRuleRef(n.rule)}: its source address is unknown at preview and comes from the backend subnet alone, so it is taken to be ${subjectText(n.name)}`;
        case "binding-order-unknown":
            return "the binding order of the security groups is not known at preview (they were matched through dependencies): a source counts as admitted only if some group allows it and none denies it";
        case "same-subnet-filtered":
            return 'the load balancer and the member share a subnet; whether a network ACL filters traffic inside one subnet is not confirmed by Huawei, so it is assumed to (set aclSameSubnet to "not-filtered" to assume the opposite)';
        case "same-subnet-not-filtered":
            return `the load balancer and the member share subnet ${n.subnet} and aclSameSubnet is "not-filtered": traffic from ${n.inside} is taken not to pass its network ACL`;
        case "group-not-known":
            return groupNotKnown(n.ref);
        case "no-security-groups":
            return "the server names no security group, so it gets the default security group, whose rules are not in this stack";
        case "security-groups-value":
            return n.value.state === "invalid" ? `its security groups (${n.value.path}) are invalid (expected ${n.value.expected})` : `its security groups (${n.value.path ?? ""}) are unknown at preview`;
        case "sg-rule-unknowns":
            return `rule ${sgRuleLabel(n.rule)} of security group ${n.group}: ${n.unknowns.map(noteText).join(", ")}`;
        case "binding-order-conflict":
            return `the binding order of security groups ${n.groups.map((g) => ("name" in g ? g.name : `security group at ${g.path}`)).join(", ")} is unknown at preview and one allows what another denies`;
        case "rule-values-unknown":
            return "a rule's values are unknown at preview";
        case "acl-rules-unknown":
            return `the ${n.direction === "ingress" ? "inbound" : "outbound"} rules of network ACL ${n.acl} ${n.invalid ? "are invalid" : "are unknown at preview"}`;
        case "acl-enabled-unknown":
            return `whether network ACL ${n.acl} is enabled is unknown at preview`;
        case "acl-rule-unknowns":
            return `${aclRuleRef(n.rule)} of network ACL ${n.acl}: ${[...new Set(n.unknowns.map(noteText))].join(", ")}`;
        case "acl-values-unknown":
            return `the rules of network ACL ${n.acl} have values unknown at preview`;
        case "model":
            return n.text;
        case "member-outside":
            return `the member's address ${n.address} is not on a server or network interface in this stack${n.ipBackend ? " (an IP as a backend server: in another VPC, or on premises)" : ""}, so its security groups are not known`;
        case "member-no-subnet":
            return "the member names no subnet (IP as a backend), so the network ACL on its path is not known";
        case "member-subnet-unresolved":
            return `the member's subnet cannot be resolved (${refText(n.ref)})`;
        case "lb-no-subnets":
            return `${n.lb} names neither backend nor VIP subnets, so which subnet's network ACL its health checks leave through is not known`;
        case "unknown-sources-partial":
            return `${noteText(n.reason)}, and the ${n.by === "security-groups" ? "security groups admit" : "network ACL admits"} only part of the addresses it may take`;
        case "check-protocol-unsupported":
            return `the health-check protocol ${n.protocol} is not one the checks know`;
        case "pool-protocol-unsupported":
            return `the pool protocol ${n.protocol} does not say which transport reaches the member`;
        case "member-address-not-ip":
            return "the member's address is not an IP address";
        case "as-group-ip-version":
            return `the instances of AS group ${n.group} are registered with their IPv${n.family} address (lbaasListeners protocolVersion) on their first network`;
        case "address-ipv6-subnet-id":
            return `the member's address is unknown at preview: its subnetId is the IPv6 subnet ID of ${n.subnet}, so it is an IPv6 address`;
        case "address-pool-ip-version":
            return `the member's address is unknown at preview: pool ${n.pool} takes IPv${n.family} members only (ipVersion ${n.ipVersion})`;
        case "address-no-ipv6-subnet":
            return "the member's address is unknown at preview: it is taken to be an IPv4 address (its subnet has no known IPv6 CIDR)";
        case "address-layer7":
            return "the member's address is unknown at preview: the pool's listeners are HTTP/HTTPS, and an application load balancer talks IPv4 to its backends";
        case "address-nic-no-ipv6":
            return "the member's address is unknown at preview: its server's network interface has IPv6 disabled, so it is an IPv4 address";
        case "ip-version-ambiguous":
            return `the member's address is unknown at preview and its subnet ${n.subnet} has IPv4 and IPv6 CIDRs, so its IP version cannot be told (set the pool's ipVersion to v4 or v6 to say which)`;
        case "pool-not-in-stack":
            return `the member's pool (${n.path}) is not in this stack`;
        case "pool-unresolved":
            return `the member's pool (${n.path}) is not resolved`;
        case "any-port-no-check-port":
            return "the pool forwards any port and the health check sets no port, so the probed port is not known";
        case "member-port-invalid":
            return `the member port ${n.port} is not a port 1-65535`;
        case "sources-empty":
            return `${sourceText(n.sources)} holds no IPv${n.family} address, so the source of health checks to this IPv${n.family} member is not known`;
        case "lb-unresolved":
            return "the member's load balancer is not resolved, so the addresses it sends health checks from are not known";
        case "subnet-ipv6-cidr-pending":
            return `the IPv6 CIDR of backend subnet ${n.subnet} (ipv6Cidr) is assigned when the subnet is created, so it is unknown at preview`;
        case "backend-subnets-no-ipv6":
            return `IPv6 is not enabled on backend subnet${n.subnets.length === 1 ? "" : "s"} ${n.subnets.join(", ")} of ${n.lb} (ipv6Enable), so the load balancer cannot reach this IPv6 member; Huawei's docs: without IPv6 on the backend subnet the load balancer cannot route IPv6 requests`;
        case "vpc-unresolved":
            return `the VPC of ${n.lb} is not resolved, so the addresses it sends health checks from are not known`;
    }
}

/** "shared ELB source ranges 100.125.0.0/16, 100.126.0.0/16", "backend subnet lb (192.168.1.0/24) of elb". */
export function sourceText(l: SourceLabel): string {
    const cidrs = (c: readonly string[]) => c.join(", ");
    switch (l.kind) {
        case "shared":
            return `shared ELB source ranges ${cidrs(l.cidrs) || "(none of this IP version)"}`;
        case "pending":
            return `${subjectText(l.name)} (not known until the subnet is created)`;
        case "backend-subnets":
            return `backend subnet${l.subnets.length === 1 ? "" : "s"} ${l.subnets.map((s) => `${s.name} (${cidrs(s.cidrs)})`).join(", ")} of ${l.lb}`;
        case "vpc-ipv6-subnets":
            return `the IPv6 subnets of VPC ${l.vpc} (${cidrs(l.cidrs) || "none known"})`;
        case "vpc":
            return `VPC ${l.vpc} (${cidrs(l.cidrs)})`;
        case "cidrs":
            return cidrs(l.cidrs);
    }
}

/** Why a check is undetermined, in one sentence. */
export const reasonText = (c: Pick<FlowCheck, "reason">): string | undefined => (c.reason && c.reason.length > 0 ? c.reason.map(noteText).join("; ") : undefined);

/** The readings a check rests on. */
export const assumptionTexts = (c: Pick<FlowCheck, "assumptions">): string[] => c.assumptions.map(noteText);

/** What a flow is, as the fix sentences say it: "tcp port 80", "icmp". */
const portText = (protocol: string, port: string | undefined, destination = false) => (port !== undefined ? `${protocol} ${destination ? "destination " : ""}port ${port}` : protocol);

/** The change that admits a blocked flow, as one sentence (from FlowCheck.fix and the blocking rule). */
export function fixText(c: Pick<FlowCheck, "fix" | "blockedBy" | "flow">): string | undefined {
    const f = c.fix;
    if (!f) return undefined;
    const sentence = fixSentence(f, c.blockedBy, c.flow);
    // Sources not known until a subnet is created: the sentence names them by what they will be.
    const unknown = c.flow.unknownSources;
    if (!unknown) return sentence;
    return sentence.split(AddressSet.anyOf(c.flow.family).toCidrs().join(", ")).join(subjectText(unknown.name));
}

function fixSentence(f: FixAction, blocker: Blocker | undefined, flow: Flow): string {
    switch (f.kind) {
        case "add-security-group-rule": {
            const r = f.rule;
            const deny = blocker?.kind === "deny-rule" ? blocker : undefined;
            const ahead = f.place === "ahead-of-blocking-deny" && deny ? ` (ahead of deny rule ${sgRuleLabel(deny.rule)})` : "";
            const earlier = f.place === "bound-before-blocking-deny" && deny ? ` (bound before ${deny.group}, whose deny rule ${sgRuleLabel(deny.rule)} an allow there cannot outrank)` : "";
            const v6 = r.ethertype === "IPv6" ? " with ethertype IPv6" : "";
            const rules = r.remoteIpPrefixes.length === 1 ? `an ingress rule${v6}` : `ingress rules${v6} (one per CIDR, or one with an address group)`;
            return `add ${rules} to security group ${f.groupName}${earlier}: allow ${portText(r.protocol, r.ports)} from ${cidrList(r.remoteIpPrefixes)}${r.priority !== undefined ? ` with priority ${r.priority}${ahead}` : ""}`;
        }
        case "remove-or-narrow-deny": {
            const n = f.rules.length;
            const list = f.rules.map((d) => `${sgRuleLabel(d.rule)} in security group ${d.groupName}`);
            const what = portText(protocolName(flow.protocol), hasPorts(flow.protocol) ? String(flow.port) : undefined);
            return `remove or narrow deny rule${n === 1 ? "" : "s"} ${list.slice(0, 3).join(", ")}${list.length > 3 ? ` and ${list.length - 3} more` : ""} so that ${n === 1 ? "it no longer covers" : "they no longer cover"} ${what} from ${cidrList(f.narrow.missing)}: an allow rule cannot outrank a deny of the same priority, and no security group bound earlier can admit the traffic`;
        }
        case "add-acl-rule": {
            const r = f.rule;
            const rules = r.sourceCidrs.length === 1 ? `an ${f.direction} rule` : `${f.direction} rules (one per source CIDR)`;
            const before = f.before ? ` before rule ${f.before.position} '${f.before.label}'` : "";
            return `add ${rules} to network ACL ${f.aclName}${before}: allow ${portText(r.protocol, r.destinationPort, true)} from ${cidrList(r.sourceCidrs)}${r.destination ? ` to ${r.destination}` : ""}`;
        }
    }
}
