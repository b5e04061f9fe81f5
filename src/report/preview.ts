/** Diagnostics laid out the way `pulumi preview` shows a "Policy Violations" block. */
import type { AnalysisResult } from "../host/analyzer-host";
import type { Plan } from "../host/plan";
import { paint } from "./colour";

/** Prints the block and a summary line; returns the number of mandatory violations. */
export function printPreviewViolations(result: AnalysisResult, plan: Plan, out: NodeJS.WritableStream): number {
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const c = paint(out);
    const order = { mandatory: 0, remediate: 0, advisory: 1, disabled: 2 } as const;
    const diags = [...result.diagnostics].sort((a, b) => order[a.enforcementLevel] - order[b.enforcementLevel] || a.urn.localeCompare(b.urn));
    if (diags.length > 0) out.write(c.bold("Policy Violations:") + "\n");
    for (const d of diags) {
        const r = byUrn.get(d.urn);
        const where = r ? `${r.name}: ${r.type}` : d.urn;
        const level = d.enforcementLevel === "mandatory" ? c.red(`[${d.enforcementLevel}]`) : c.yellow(`[${d.enforcementLevel}]`);
        out.write(`    ${level}  ${d.policyPackName} v${d.policyPackVersion}  ${c.bold(d.policyName)} (${where})\n`);
        for (const line of d.message.split("\n")) out.write(`    ${line}\n`);
        out.write("\n");
    }
    const mandatory = diags.filter((d) => d.enforcementLevel === "mandatory").length;
    const advisory = diags.length - mandatory;
    const policies = new Set(diags.filter((d) => d.enforcementLevel === "mandatory").map((d) => d.policyName));
    out.write(`${mandatory > 0 ? c.red(`${mandatory} mandatory`) : "0 mandatory"} and ${advisory} advisory policy violations from ${policies.size} mandatory policies (${result.pack.name} v${result.pack.version}); ${mandatory > 0 ? "pulumi preview would fail." : "pulumi preview would pass."}\n`);
    return mandatory;
}
