/**
 * Turns reachability verdicts into findings, one per member and policy: the member, its server,
 * each failing flow (source, protocol, port), a witness, the blocking rule, and the rule to add.
 * Members with weight 0 or a disabled health check never get a mandatory finding (seed).
 */
import { operationsForFinding } from "../fix/operations";
import { protocolName, ICMP } from "../net/protocols";
import type { FlowCheck, MemberReachability } from "../reach";
import type { CheckContext, Finding } from "./definition";
import { label } from "./describe";
import { blockerText, explainCheck } from "./explain";
import { assumptionTexts, fixText, noteText, reasonText, sourceText, subjectText } from "./reach-text";

export interface ReachSelection {
    /** Which checks this policy owns. */
    checks: (c: FlowCheck) => boolean;
    /** What failed, for the headline: "its security groups do not admit ...". */
    what: string;
    /** What could not be decided: "its security groups admit ...". */
    question: string;
    /** Report member-level undetermined verdicts (flows could not be computed)? */
    reportUndeterminedMember: (r: MemberReachability) => boolean;
}

export function reachFindings(ctx: CheckContext, sel: ReachSelection): Finding[] {
    const findings: Finding[] = [];
    for (const r of ctx.reachability()) {
        const m = r.member;
        const who = memberLabel(r);
        const related = relatedUrns(r);
        if (r.undetermined) {
            if (sel.reportUndeterminedMember(r)) findings.push({ urn: m.urn, class: "undetermined", verdict: "undetermined", related, message: `Cannot tell whether ${who} can be health-checked: ${noteText(r.undetermined)}.` });
            continue;
        }
        const mine = r.checks.filter(sel.checks);
        const failing = mine.filter((c) => c.state === "blocked" || c.state === "partial");
        const open = mine.filter((c) => c.state === "undetermined");
        if (failing.length > 0) {
            const waived = r.notes.weightZero ? "the member has weight 0, so its health-check result is irrelevant" : r.notes.checkDisabled ? (r.notes.noMonitor ? "the pool has no health check, so members are treated as healthy" : "the health check is disabled, so members are treated as healthy") : undefined;
            const worst = failing.some((c) => c.state === "blocked") ? "blocked" : "partial";
            const lines = failing.map((c) => `- ${flowLine(c)}`);
            const assumptions = [...new Set(failing.flatMap(assumptionTexts))].map((a) => `Assumption: ${a}.`);
            findings.push({
                urn: m.urn,
                class: waived ? "warning" : "violation",
                verdict: worst,
                witness: failing[0].witness,
                fix: fixText(failing[0]),
                fixes: operationsForFinding(ctx.topology, failing),
                explanation: mine.map((c) => explainCheck(ctx.topology, c)),
                related: [...related, ...failing.flatMap((c) => (c.subjectUrn ? [c.subjectUrn] : []))],
                message: [`${who}: ${sel.what}.${waived ? ` Not mandatory: ${waived}.` : ""}`, ...lines, ...assumptions].join("\n"),
            });
            continue;
        }
        if (open.length > 0) {
            const reasons = [...new Set(open.map((c) => reasonText(c) ?? "a value is unknown at preview"))];
            findings.push({
                urn: m.urn,
                class: "undetermined",
                verdict: "undetermined",
                related,
                explanation: mine.map((c) => explainCheck(ctx.topology, c)),
                message: `Cannot tell whether ${sel.question} for ${who}: ${reasons.slice(0, 3).join("; ")}.`,
            });
        }
    }
    return findings;
}

function memberLabel(r: MemberReachability): string {
    // An AS group's registration stands for every instance it launches.
    if (r.member.attachedServer || r.member.attachProblem) return `ECS instance "${r.member.name}" added to AS group ${r.member.scalingGroup ? `"${r.member.scalingGroup.name}"` : "(not resolved)"}${r.pool ? ` (${label(r.pool)})` : ""}`;
    if (r.member.scalingGroup) return `the instances of AS group "${r.member.name}"${r.pool ? ` in ${label(r.pool)}` : ""}`;
    const parts: string[] = [];
    if (r.pool) parts.push(label(r.pool));
    if (r.backend.state === "nic") parts.push(`${r.backend.server ? "server" : "interface"} "${(r.backend.server ?? r.backend.holder).name}"`);
    if (r.member.address.state === "known") parts.push(r.member.address.value);
    return `${label(r.member)}${parts.length ? ` (${parts.join(", ")})` : ""}`;
}

function relatedUrns(r: MemberReachability): string[] {
    const out: string[] = [];
    if (r.pool) out.push(r.pool.urn);
    if (r.backend.state === "nic") out.push((r.backend.server ?? r.backend.holder).urn);
    return out;
}

function flowText(c: FlowCheck): string {
    const f = c.flow;
    const what = f.protocol === ICMP ? "icmp" : `${protocolName(f.protocol)} port ${f.port}`;
    return `${what} (${f.purpose}) from ${sourceText(f.sourceLabel)}`;
}

function flowLine(c: FlowCheck): string {
    const w = c.witness;
    const example = w ? ` (e.g. from ${w.source}${w.sourcePort !== undefined ? ` source port ${w.sourcePort}` : ""}${w.port !== undefined ? ` to port ${w.port}` : ""})` : "";
    const side = c.kind === "network-acl-lb-subnet" ? " leaving the load balancer's subnet (outbound)" : "";
    const blocked = c.flow.unknownSources ? `every address ${subjectText(c.flow.unknownSources.name)} may take is` : `${c.blocked.toString()}`;
    return `${flowText(c)}${side}: ${c.state}, ${blocked} blocked${example}: ${blockerText(c.blockedBy)}. Fix: ${fixText(c)}.`;
}
