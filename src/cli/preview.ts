/** Diagnostics laid out the way `pulumi preview` shows its "Policy Violations:" block (pulumi-policy.md §2.1). */
import type { AnalysisResult, Diagnostic } from "../host/analyzer-host";
import type { Plan } from "../host/plan";
import { paint } from "../report/colour";

const ORDER: Record<Diagnostic["enforcementLevel"], number> = { mandatory: 0, remediate: 0, advisory: 1, disabled: 2 };

/** Prints the block and a summary line; returns the number of mandatory violations. */
export function printPreviewViolations(result: AnalysisResult, plan: Plan, out: Pick<NodeJS.WritableStream, "write">, colour = false): number {
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const c = paint(colour);
    const diags = [...result.diagnostics].sort((a, b) => ORDER[a.enforcementLevel] - ORDER[b.enforcementLevel] || a.urn.localeCompare(b.urn) || a.policyName.localeCompare(b.policyName));
    if (diags.length > 0) out.write(c.bold("Policy Violations:") + "\n");
    for (const d of diags) {
        const r = byUrn.get(d.urn);
        const where = r ? `${r.name}: ${r.type}` : d.urn || "stack";
        const level = d.enforcementLevel === "advisory" ? c.yellow(`[${d.enforcementLevel}]`) : c.red(`[${d.enforcementLevel}]`);
        out.write(`    ${level}  ${d.policyPackName} v${d.policyPackVersion}  ${c.bold(d.policyName)} (${where})\n`);
        for (const line of d.message.split("\n")) out.write(`    ${line}\n`);
        out.write("\n");
    }
    const mandatory = diags.filter((d) => d.enforcementLevel === "mandatory" || d.enforcementLevel === "remediate").length;
    const policies = new Set(diags.map((d) => d.policyName)).size;
    const counts = `${mandatory} mandatory, ${diags.length - mandatory} advisory policy violation(s) from ${policies} policies of ${result.pack.name} v${result.pack.version}`;
    out.write(mandatory > 0 ? `${c.red(counts)}: pulumi preview would fail.\n` : `${counts}: pulumi preview would pass.\n`);
    return mandatory;
}
