/**
 * Network ACLs, both resource styles (huaweicloud-resources.md §7):
 * - current `Vpc/networkAcl`: rules inline, in list order (list index = priority), hyphen port strings;
 * - deprecated `NetworkAcl/acl` + `NetworkAcl/aclRule`: rules are separate resources listed by ID
 *   in `inboundRules`/`outboundRules` (that order), colon port strings ("1:100").
 */
import { AddressSet } from "../../net/addresses";
import { ALL_PORTS, type PortSet, type PortStringStyle } from "../../net/ports";
import { formatPath, known, type Path } from "../reader";
import type { AclRule, Entity, LegacyAclRule, NetworkAcl, Ref, Value } from "../types";
import { absent, ACTIONS, entity, ipVersion, TARGETS, type Ctx } from "./context";

/** More rules than any ACL quota; each rule costs a few parses. */
const MAX_RULES = 10_000;

export function networkAcl(c: Ctx): NetworkAcl {
    const { r } = c;
    return entity(c, {
        kind: "networkAcl",
        // Sent as admin_state_up; false = not enforced (§7.1). Absent = enabled.
        enabled: r.bool(["enabled"]),
        // `associatedSubnets[].subnetId` = subnet `id`s (§3.1); no association = inactive ACL.
        subnets: r.has(["associatedSubnets"]) ? c.resolve.refList(["associatedSubnets"], TARGETS.subnetById, ["subnetId"]) : known([]),
        ingress: inlineRules(c, "ingressRules"),
        egress: inlineRules(c, "egressRules"),
    });
}

function inlineRules(c: Ctx, key: "ingressRules" | "egressRules"): Value<AclRule[]> {
    const n = c.r.list([key], MAX_RULES);
    if (n.state === "absent") return known([]);
    if (n.state !== "known") return n;
    const rules: AclRule[] = [];
    for (let i = 0; i < n.value; i++) {
        const name = c.r.string([key, i, "name"], 255);
        rules.push(aclRule(c, [key, i], name.state === "known" && name.value.trim() !== "" ? name.value : `${key}[${i}]`, "list"));
    }
    return known(rules);
}

/** One rule at `at` inside the resource (`[]` for a legacy AclRule resource itself). */
function aclRule(c: Ctx, at: Path, label: string, style: PortStringStyle): AclRule {
    const { r } = c;
    const p = (k: string): Path => [...at, k];
    // Omitted address or port = any (§7.1 console defaults; §7.3 doc defaults).
    const address = (k: string): Value<AddressSet> => (r.unset(p(k)) ? known(AddressSet.ANY) : r.cidr(p(k)));
    const ports = (k: string): Value<PortSet> => (r.unset(p(k)) ? known(ALL_PORTS) : r.ports(p(k), style));
    const group = (k: string): Ref | undefined => (r.unset(p(k)) ? undefined : c.resolve.ref(p(k), TARGETS.addressGroup));
    const rule: AclRule = {
        urn: c.base.urn,
        path: formatPath(at),
        label,
        action: r.oneOf(p("action"), ACTIONS),
        // "any" is an ACL protocol value, case-insensitive (§7.1, §7.3).
        protocol: r.protocol(p("protocol"), true),
        ipVersion: ipVersion(r, p("ipVersion"), 4),
        source: address("sourceIpAddress"),
        destination: address("destinationIpAddress"),
        sourcePorts: ports("sourcePort"),
        destinationPorts: ports("destinationPort"),
        // Only legacy rules have the flag; disabled rules are skipped (§7.3).
        enabled: r.unset(p("enabled")) ? known(true) : r.bool(p("enabled")),
    };
    // An inline rule shares the dependencies of its list: only when the list's sole dependency is a subnet.
    const from = rule.source.state === "unknown" ? c.soleSubnetDependency(p("sourceIpAddress")) : undefined;
    if (from !== undefined) rule.sourceFromSubnet = from;
    const sourceAddressGroup = group("sourceIpAddressGroupId");
    const destinationAddressGroup = group("destinationIpAddressGroupId");
    if (sourceAddressGroup) rule.sourceAddressGroup = sourceAddressGroup;
    if (destinationAddressGroup) rule.destinationAddressGroup = destinationAddressGroup;
    return rule;
}

export function legacyAclRule(c: Ctx): LegacyAclRule {
    return entity(c, { kind: "legacyAclRule", rule: aclRule(c, [], c.base.name, "colon") });
}

export function legacyAcl(c: Ctx): NetworkAcl {
    const { r, resolve } = c;
    const inbound = r.has(["inboundRules"]) ? resolve.refList(["inboundRules"], TARGETS.legacyAclRule) : known<Ref[]>([]);
    const outbound = r.has(["outboundRules"]) ? resolve.refList(["outboundRules"], TARGETS.legacyAclRule) : known<Ref[]>([]);
    const acl: NetworkAcl = entity(c, {
        kind: "legacyAcl",
        // No enabled flag on the legacy ACL (§7.2).
        enabled: absent("enabled"),
        subnets: r.has(["subnets"]) ? resolve.refList(["subnets"], TARGETS.subnetById) : known([]),
        ingress: absent("inboundRules"),
        egress: absent("outboundRules"),
    });
    // The rules are other resources: taken once every entity exists.
    c.after((lookup) => {
        acl.ingress = rulesOf(inbound, "inboundRules", lookup);
        acl.egress = rulesOf(outbound, "outboundRules", lookup);
    });
    return acl;
}

/** The referenced rules in list order; any rule not in the plan makes the whole list unknown (first match decides). */
function rulesOf(refs: Value<Ref[]>, path: string, lookup: (urn: string) => Entity | undefined): Value<AclRule[]> {
    if (refs.state !== "known") return refs;
    const rules: AclRule[] = [];
    for (const ref of refs.value) {
        const e = ref.state === "resolved" ? lookup(ref.urn) : undefined;
        if (!e || e.kind !== "legacyAclRule") return { state: "unknown", path: ref.path || path };
        rules.push(e.rule);
    }
    return known(rules);
}
