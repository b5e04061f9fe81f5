/**
 * Explanations: the reachability core's verdicts (src/reach) as data for the JSON and SARIF reports,
 * and the English the text report and CrossGuard messages show, written from that same data.
 */
import type { Topology } from "../model/topology";
import { protocolName } from "../net/protocols";
import type { Blocker, CheckKind, FlowCheck, FlowPurpose, Shadowing, Verdict, Witness } from "../reach";
import { assumptionTexts, reasonText, sgRuleLabel, sourceText } from "./reach-text";

/** The rule that decides a flow, by position in its list (security group: declaration order of its rules). */
export interface ComponentRule {
    index: number;
    name: string;
    /** The rule's ID when the plan knows it (a separate rule resource). */
    id?: string;
    priority?: number;
    action: "allow" | "deny";
}

/** What drops a flow. */
export type BlockingComponent =
    /** A deny rule of a security group. */
    | { kind: "security-group"; urn: string; name: string; rule: ComponentRule & { urn: string } }
    /** No rule of the bound groups admits the flow; the default rules admit only members of the same group. */
    | { kind: "sg-default-rules"; groups: { urn: string; name: string }[] }
    /** A deny rule of a network ACL. */
    | { kind: "network-acl"; urn: string; name: string; rule: ComponentRule & { urn: string; path: string } }
    /** No rule of a network ACL matches: its implicit default deny decides. */
    | { kind: "acl-default-deny"; urn: string; name: string };

/** An allow rule that would admit the flow but never gets to: `by` matches first (or covers it entirely). */
export interface ShadowingData {
    rule: { index: number; name: string };
    by: { index: number; name: string };
    how: "covered" | "first-match";
}

/** One flow checked for a finding. */
export interface FlowExplanation {
    check: CheckKind;
    purpose: FlowPurpose;
    /** Where the load balancer sends from: a label and the exact CIDR set. */
    source: { label: string; cidrs: string[] };
    protocol: string;
    port?: number;
    ipVersion: 4 | 6;
    verdict: Verdict;
    /** Required sources dropped (CIDRs). */
    blocked: string[];
    witness?: Witness;
    blockedBy?: BlockingComponent;
    shadowing?: ShadowingData;
    /** The resource checked (security group or network ACL) and, for ACLs, the subnet. */
    subject?: { urn: string; name: string };
    subnet?: { urn: string; name: string };
    /** Undetermined: what could not be resolved. */
    reason?: string;
    /** Readings taken where the docs are silent. */
    assumptions?: string[];
}

export function explainCheck(topology: Topology, c: FlowCheck): FlowExplanation {
    const f = c.flow;
    return {
        check: c.kind,
        purpose: f.purpose,
        source: { label: sourceText(f.sourceLabel), cidrs: f.sources.toCidrs() },
        protocol: protocolName(f.protocol),
        ...(f.port !== undefined ? { port: f.port } : {}),
        ipVersion: f.family,
        verdict: c.state,
        blocked: c.blocked.toCidrs(),
        ...(c.witness ? { witness: c.witness } : {}),
        ...(c.blockedBy ? { blockedBy: component(topology, c.blockedBy) } : {}),
        ...(c.blockedBy && "shadowing" in c.blockedBy && c.blockedBy.shadowing ? { shadowing: shadowingData(c.blockedBy.shadowing) } : {}),
        ...(c.subjectUrn ? { subject: { urn: c.subjectUrn, name: c.subjectName ?? "" } } : {}),
        ...(c.subnet ? { subnet: c.subnet } : {}),
        ...(c.reason ? { reason: reasonText(c) } : {}),
        ...(c.assumptions.length > 0 ? { assumptions: assumptionTexts(c) } : {}),
    };
}

function shadowingData(s: Shadowing): ShadowingData {
    return { rule: { index: s.rule.index, name: s.rule.label }, by: { index: s.by.index, name: s.by.label }, how: s.how };
}

function component(topology: Topology, b: Blocker): BlockingComponent {
    switch (b.kind) {
        case "deny-rule": {
            const group = topology.byUrn.get(b.groupUrn);
            const rules = group?.kind === "securityGroup" ? topology.rulesOfGroup(group) : [];
            const index = rules.findIndex((r) => r.urn === b.urn);
            const id = topology.byUrn.get(b.urn)?.id;
            return {
                kind: "security-group",
                urn: b.groupUrn,
                name: b.group,
                rule: { urn: b.urn, index, name: b.name, ...(id ? { id } : {}), ...(typeof b.priority === "number" ? { priority: b.priority } : {}), action: "deny" },
            };
        }
        case "no-rule":
            return { kind: "sg-default-rules", groups: b.groups };
        case "acl-rule": {
            const id = b.ruleUrn !== b.aclUrn ? topology.byUrn.get(b.ruleUrn)?.id : undefined;
            return { kind: "network-acl", urn: b.aclUrn, name: b.aclName, rule: { urn: b.ruleUrn, path: b.rulePath, index: b.index, name: b.label, ...(id ? { id } : {}), action: "deny" } };
        }
        case "acl-default-deny":
            return { kind: "acl-default-deny", urn: b.aclUrn, name: b.aclName };
    }
}

/** `rule 2 'deny-all'`: list position (1-based) and name, as the sentences cite ACL rules. */
const aclRule = (r: { index: number; label: string }) => `rule ${r.index + 1} '${r.label}'`;

export function shadowingText(s: Shadowing): string {
    return s.how === "covered" ? `${aclRule(s.rule)} never matches: ${aclRule(s.by)} covers it` : `${aclRule(s.rule)} would admit it, but ${aclRule(s.by)} matches first`;
}

/** What blocks a flow, in one clause. */
export function blockerText(b: Blocker | undefined): string {
    if (!b) return "";
    switch (b.kind) {
        case "deny-rule":
            return `denied by rule ${sgRuleLabel(b.rule)} of security group ${b.group}`;
        case "no-rule":
            return `no rule admits it in security group${b.groups.length === 1 ? "" : "s"} ${b.groups.map((g) => g.name).join(", ") || "(none)"} (default rules admit only members of the same group)`;
        case "acl-rule":
            return `denied by rule ${b.label} (${b.rulePath}) of network ACL ${b.aclName}${b.shadowing ? `; ${shadowingText(b.shadowing)}` : ""}`;
        case "acl-default-deny":
            return `dropped by the implicit default deny of network ACL ${b.aclName}: no rule admits it${b.shadowing ? `; ${shadowingText(b.shadowing)}` : ""}`;
    }
}
