/**
 * Fixes as data: the change each blocked flow needs, as operations on the plan that anyone can
 * apply without this project's code (docs/fix-operations.md, docs/schemas/fix-operations.schema.json).
 * Inputs carry the Huawei provider's Pulumi input names; a value taken from another resource is
 * `{ ref: <urn>, property: <output name> }`. Each operation admits exactly the blocked sources on the
 * blocked protocol and port, where the reachability core found it works (priority, list order).
 */
import type { Topology } from "../model/topology";
import { AddressSet } from "../net/addresses";
import { IntervalSet } from "../net/intervals";
import { portRange, type PortSet } from "../net/ports";
import { hasPorts, protocolName } from "../net/protocols";
import { indexToken, tokenInfo } from "../model/tokens";
import type { NetworkAcl } from "../model/types";
import type { FixAction, FlowCheck } from "../reach";

/** A value taken from another resource's output (`id` for the resource's ID). */
export interface ResourceRef {
    ref: string;
    property: string;
}

export type FixOperation =
    /** Create a resource. Its URN is `urn`: the stack and project of the resources it refers to. */
    | { op: "add-resource"; type: string; name: string; urn: string; inputs: Record<string, unknown> }
    /** Insert `value` into the list `property` of the resource at `index` of the list as it is in the input (0 = first). */
    | { op: "insert-item"; urn: string; property: string; index: number; value: unknown }
    /** Set a top-level input. */
    | { op: "set-property"; urn: string; property: string; value: unknown }
    /** Delete a resource. */
    | { op: "remove-resource"; urn: string };

const SG_RULE_TERRAFORM = "huaweicloud_networking_secgroup_rule";
const LEGACY_ACL_RULE_TERRAFORM = "huaweicloud_network_acl_rule";

/** The type token of a resource kind, in the token style of a resource the stack already has. */
function tokenLike(styleOf: string, terraform: string, staticToken: string): string {
    return tokenInfo(styleOf)?.style === "index" ? indexToken(terraform) : staticToken;
}

/** The URN type segment of a resource: `urn:pulumi:<stack>::<project>::<type>::<name>`. */
export function typeOfUrn(urn: string): string {
    const parts = urn.split("::");
    return parts.length >= 4 ? (parts[2].split("$").pop() ?? "") : "";
}

/** A new resource's URN beside an existing one (same stack and project, no parent). */
export function siblingUrn(of: string, type: string, name: string): string {
    const parts = of.split("::");
    return `${parts[0]}::${parts[1]}::${type}::${name}`;
}

/** A Pulumi resource name from parts: lower case, [a-z0-9-]. */
export function resourceName(...parts: (string | number)[]): string {
    return parts
        .map((p) => String(p).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, ""))
        .filter((p) => p !== "")
        .join("-");
}

/** The operations that fix one failing flow check; [] when none can be given as data. */
export function operationsForCheck(topology: Topology, check: FlowCheck): FixOperation[] {
    const a = check.fixAction;
    if (!a) return [];
    const source = sourceOf(topology, check);
    switch (a.kind) {
        case "add-security-group-rule":
            return securityGroupRules(a, source);
        case "add-acl-rule":
            return aclRules(topology, a, source);
        case "remove-or-narrow-deny":
            return narrowDenies(topology, [check]);
    }
}

/** The operations that fix a finding's failing checks, each once; narrowings of one deny rule are combined. */
export function operationsForFinding(topology: Topology, checks: readonly FlowCheck[]): FixOperation[] {
    const narrow = checks.filter((c) => c.fixAction?.kind === "remove-or-narrow-deny");
    return mergeOperations([...checks.filter((c) => !narrow.includes(c)).map((c) => operationsForCheck(topology, c)), narrow.length > 0 ? narrowDenies(topology, narrow) : []]);
}

/** How a CIDR of a fix is written: literally, or (sources not known at preview) as the backend subnet's output. */
type SourceOf = (cidr: string) => { value: string | ResourceRef; label: string };
const literalSource: SourceOf = (cidr) => ({ value: cidr, label: cidr });

/**
 * A flow whose sources are one backend subnet's CIDR, not known at preview (assumption 40): its fix
 * admits every address of the family, written as `{ ref: <subnet>, property: "ipv6Cidr" }`, which the
 * checks read as exactly that CIDR.
 */
function sourceOf(topology: Topology, check: FlowCheck): SourceOf {
    const subnetUrn = check.flow.unknownSources?.subnet;
    const subnet = subnetUrn ? topology.byUrn.get(subnetUrn) : undefined;
    if (!subnet) return literalSource;
    const any = AddressSet.anyOf(check.flow.family).toCidrs().join(",");
    const property = check.flow.family === 6 ? "ipv6Cidr" : "cidr";
    return (cidr) => (cidr === any ? { value: { ref: subnet.urn, property }, label: `${subnet.name}-${property}` } : literalSource(cidr));
}

function securityGroupRules(a: Extract<FixAction, { kind: "add-security-group-rule" }>, source: SourceOf = literalSource): FixOperation[] {
    const type = tokenLike(typeOfUrn(a.groupUrn), SG_RULE_TERRAFORM, "huaweicloud:Vpc/secgroupRule:SecgroupRule");
    const r = a.rule;
    return r.remoteIpPrefixes.map((prefix) => {
        const { value: cidr, label } = source(prefix);
        const name = resourceName(a.groupName, "elb-hc", r.protocol, r.ports ?? "", label);
        return {
            op: "add-resource" as const,
            type,
            name,
            urn: siblingUrn(a.groupUrn, type, name),
            inputs: {
                securityGroupId: { ref: a.groupUrn, property: "id" },
                direction: "ingress",
                ethertype: r.ethertype,
                protocol: r.protocol,
                ...(r.ports !== undefined ? { ports: r.ports } : {}),
                remoteIpPrefix: cidr,
                action: "allow",
                // Priority 100 (the lowest) when any priority works: the reading that never depends on the default.
                priority: r.priority ?? 100,
                description: "ELB health checks",
            },
        };
    });
}

function aclRules(topology: Topology, a: Extract<FixAction, { kind: "add-acl-rule" }>, source: SourceOf = literalSource): FixOperation[] {
    const acl = topology.byUrn.get(a.aclUrn) as NetworkAcl | undefined;
    if (!acl || (acl.kind !== "networkAcl" && acl.kind !== "legacyAcl")) return [];
    const list = a.direction === "inbound" ? acl.ingress : acl.egress;
    if (list.state !== "known") return [];
    const index = a.before ? a.before.position - 1 : list.value.length;
    const r = a.rule;
    const ruleOf = (cidr: string) => ({
        action: "allow",
        protocol: r.protocol,
        ipVersion: r.ipVersion,
        sourceIpAddress: source(cidr).value,
        ...(r.destination ? { destinationIpAddress: r.destination } : {}),
        ...(r.destinationPort !== undefined ? { destinationPort: r.destinationPort } : {}),
    });
    if (acl.kind === "networkAcl") {
        const property = a.direction === "inbound" ? "ingressRules" : "egressRules";
        return r.sourceCidrs.map((cidr) => ({ op: "insert-item" as const, urn: acl.urn, property, index, value: ruleOf(cidr) }));
    }
    // Deprecated ACLs list separate AclRule resources by ID.
    const type = tokenLike(acl.type, LEGACY_ACL_RULE_TERRAFORM, "huaweicloud:NetworkAcl/aclRule:AclRule");
    const property = a.direction === "inbound" ? "inboundRules" : "outboundRules";
    return r.sourceCidrs.flatMap((cidr): FixOperation[] => {
        const name = resourceName(acl.name, "elb-hc", r.protocol, r.destinationPort ?? "", source(cidr).label, r.destination ?? "");
        const urn = siblingUrn(acl.urn, type, name);
        return [
            { op: "add-resource", type, name, urn, inputs: { name: name.slice(0, 64), ...ruleOf(cidr) } },
            { op: "insert-item", urn: acl.urn, property, index, value: { ref: urn, property: "id" } },
        ];
    });
}

/**
 * Priority-1 denies no allow can outrank (every `remove-or-narrow-deny` check of a finding at once): each
 * deny rule that matches missing sources is replaced by deny rules for what it covered less the missing
 * sources on the blocked port (same protocol, ports and priority), and an allow at priority 1 admits the
 * missing sources. Given as data only when every such rule is a plain one (known protocol and ports, one
 * CIDR or no remote); else [] (the sentence says what to do).
 */
function narrowDenies(topology: Topology, checks: readonly FlowCheck[]): FixOperation[] {
    /** Per deny rule: the holes to cut (sources, and the port; none = every port, for ICMP). */
    const holes = new Map<string, { family: 4 | 6; sources: IntervalSet; port?: number }[]>();
    const allows: FixOperation[][] = [];
    for (const check of checks) {
        const a = check.fixAction;
        if (a?.kind !== "remove-or-narrow-deny") continue;
        const n = a.narrow;
        const flow = check.flow;
        if (!n.allowIn.urn || n.missing.length === 0) return [];
        const sources = check.blocked.family(flow.family);
        for (const urn of n.denies) {
            const list = holes.get(urn) ?? [];
            list.push({ family: flow.family, sources, ...(hasPorts(flow.protocol) ? { port: flow.port } : {}) });
            holes.set(urn, list);
        }
        allows.push(
            securityGroupRules({
                kind: "add-security-group-rule",
                groupUrn: n.allowIn.urn,
                groupName: n.allowIn.name,
                rule: { direction: "ingress", ethertype: flow.family === 4 ? "IPv4" : "IPv6", protocol: protocolName(flow.protocol), ...(hasPorts(flow.protocol) ? { ports: String(flow.port) } : {}), remoteIpPrefixes: n.missing, action: "allow", priority: 1 },
            }),
        );
    }
    const ops: FixOperation[] = [];
    for (const [urn, cuts] of holes) {
        const rule = topology.byUrn.get(urn);
        if (!rule || rule.kind !== "securityGroupRule") return [];
        const group = topology.deref(rule.group, "securityGroup");
        const { protocol, ports, priority, ethertype, direction } = rule;
        if (!group || protocol.state !== "known" || protocol.value === "any" || priority.state !== "known" || ethertype.state !== "known" || direction.state !== "known") return [];
        if (ports.state !== "known" && ports.state !== "absent") return [];
        if (rule.remotes.length > 1 || rule.remotes.some((r) => r.kind !== "cidr" || r.set.state !== "known")) return [];
        const family = cuts[0].family;
        if (cuts.some((c) => c.family !== family)) return [];
        const remote = rule.remotes[0];
        const covered = remote?.kind === "cidr" && remote.set.state === "known" ? remote.set.value.family(family) : AddressSet.anyOf(family).family(family);
        const all: PortSet = ports.state === "known" ? ports.value : portRange(1, 65535);
        // What stays denied, as (sources, ports) regions: each hole splits every region.
        let regions: [IntervalSet, PortSet][] = [[covered, all]];
        for (const cut of cuts) {
            regions = regions.flatMap(([s, p]): [IntervalSet, PortSet][] => [
                [s.subtract(cut.sources), p],
                [s.intersect(cut.sources), cut.port === undefined ? IntervalSet.EMPTY : p.subtract(portRange(cut.port))],
            ]);
            regions = regions.filter(([s, p]) => !s.isEmpty() && !p.isEmpty());
        }
        const type = tokenLike(typeOfUrn(urn), SG_RULE_TERRAFORM, "huaweicloud:Vpc/secgroupRule:SecgroupRule");
        ops.push({ op: "remove-resource", urn });
        for (const [sources, p] of regions) {
            const portText = ports.state === "absent" && p.equals(all) ? undefined : p.ranges.map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`)).join(",");
            for (const cidr of AddressSet.ofFamily(family, sources).toCidrs()) {
                const name = resourceName(rule.name, "narrowed", portText ?? "", cidr);
                ops.push({
                    op: "add-resource",
                    type,
                    name,
                    urn: siblingUrn(urn, type, name),
                    inputs: {
                        securityGroupId: { ref: group.urn, property: "id" },
                        direction: direction.value,
                        ethertype: ethertype.value === 4 ? "IPv4" : "IPv6",
                        protocol: protocolName(protocol.value),
                        ...(portText !== undefined ? { ports: portText } : {}),
                        remoteIpPrefix: cidr,
                        action: "deny",
                        priority: priority.value,
                        description: `${rule.name}, narrowed to leave out ELB health checks`,
                    },
                });
            }
        }
    }
    return mergeOperations([ops, ...allows]);
}

/** Operations of several checks (or findings), each once, in first-seen order. */
export function mergeOperations(lists: Iterable<readonly FixOperation[]>): FixOperation[] {
    const seen = new Set<string>();
    const out: FixOperation[] = [];
    for (const list of lists) {
        for (const op of list) {
            const key = JSON.stringify(op);
            if (seen.has(key)) continue;
            seen.add(key);
            out.push(op);
        }
    }
    return out;
}
