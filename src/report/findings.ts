/**
 * THE report shape: every output format (text, JSON, SARIF) and the library render ReportEntry,
 * built here from the pipeline's ReportedFinding, so the formats cannot drift apart.
 */
import type { FixOperation } from "../fix/operations";
import type { FlowExplanation } from "../policy/explain";
import { docsReference, type Level, type PolicyDefinition, type Severity, type Verdict, type Witness } from "../policy/definition";
import type { ReportedFinding } from "../policy/evaluate";

export interface ReportEntry {
    /** Policy name (the CrossGuard name), e.g. "elb-pool-has-listener". */
    policy: string;
    /** Stable policy ID, e.g. "HWELB-001". */
    id: string;
    severity: Severity;
    level: Level;
    /** The resource to fix; "" when the finding is about the stack (or the configuration) as a whole. */
    urn: string;
    resource: { name: string; type: string };
    message: string;
    verdict: Verdict | null;
    witness: Witness | null;
    /** What to change: the finding's own fix, else the policy's remediation. */
    fix: string | null;
    /** The fix as operations on the plan (docs/fix-operations.md); [] when none is given as data. */
    fixes: FixOperation[];
    /** Reachability findings: each flow checked, with its verdict and blocking component. */
    explanation: FlowExplanation[] | null;
    exemption: ReportedFinding["exemption"] | null;
    /** The policy's documentation page. */
    docs: string | null;
}

export interface Summary {
    mandatory: number;
    advisory: number;
    /** Advisory because an exemption applied. */
    exempted: number;
    resources: number;
}

/** URN → name and (unqualified) type: urn:pulumi:<stack>::<project>::<parent$type>::<name>. */
export function resourceOf(urn: string): { name: string; type: string } {
    const parts = urn.split("::");
    if (parts.length < 4) return { name: urn === "" ? "(stack)" : urn, type: "" };
    return { name: parts.slice(3).join("::"), type: parts[2].split("$").pop() ?? "" };
}

const LEVEL_ORDER: Record<Level, number> = { mandatory: 0, advisory: 1 };

/** Findings as report entries, in a stable order: by resource, then mandatory first, then policy ID. */
export function toEntries(findings: readonly ReportedFinding[], definitions: readonly PolicyDefinition[]): ReportEntry[] {
    const byName = new Map(definitions.map((d) => [d.name, d]));
    return findings
        .map((f): ReportEntry => {
            const def = byName.get(f.policy);
            return {
                policy: f.policy,
                id: f.policyId,
                severity: f.severity,
                level: f.level,
                urn: f.urn,
                resource: resourceOf(f.urn),
                message: f.message,
                verdict: f.verdict ?? null,
                witness: f.witness ?? null,
                fix: f.fix ?? def?.remediation ?? null,
                fixes: f.fixes ?? [],
                explanation: f.explanation ?? null,
                exemption: f.exemption ?? null,
                docs: def ? docsReference(def) : null,
            };
        })
        .sort((a, b) => a.urn.localeCompare(b.urn) || LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] || a.id.localeCompare(b.id) || a.message.localeCompare(b.message));
}

export function summarize(findings: readonly ReportedFinding[], resources: number): Summary {
    const mandatory = findings.filter((f) => f.level === "mandatory").length;
    return { mandatory, advisory: findings.length - mandatory, exempted: findings.filter((f) => f.exemption).length, resources };
}
