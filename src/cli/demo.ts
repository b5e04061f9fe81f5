/**
 * `npm run demo` / `elb-health demo`: capture the example program as a first preview (every ID
 * unknown), run the real pack (the compiled dist/index.js of this package) in its own process over
 * the analyzer protocol, and print what `pulumi preview --policy-pack <repo>` would print.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { knownOutputs } from "../../examples/web-tier/huaweicloud";
import { webTier, type Variant } from "../../examples/web-tier/program";
import { fixCode } from "../fix/snippets";
import { runPack } from "../host/analyzer-host";
import { capturePlan } from "../host/capture";
import type { Plan } from "../host/plan";
import { buildTopology } from "../model/build";
import type { PolicyDefinition } from "../policy/definition";
import { packageRoot } from "../report/package-info";
import { runPolicies } from "../report/run-policies";
import { InputError, parseStack } from "./inputs";
import { printPreviewViolations } from "./preview";

export interface DemoOptions {
    variant?: Variant;
    /** Exit 1 when the pack reports mandatory violations (as `pulumi preview` would fail). */
    failOnMandatory?: boolean;
    out?: Pick<NodeJS.WritableStream, "write">;
    colour?: boolean;
    /** The catalogue: run in process on the same plan for the code of a fix. */
    definitions?: readonly PolicyDefinition[];
}

export async function demo(opts: DemoOptions = {}): Promise<number> {
    const variant = opts.variant ?? "broken";
    const out = opts.out ?? process.stdout;
    const packDir = packageRoot();
    if (!fs.existsSync(path.join(packDir, "dist", "index.js"))) throw new InputError(`${packDir}: the pack is not built (no dist/index.js); run npm run build`);
    const plan = await capturePlan({ program: () => webTier(variant), project: "web-tier", stack: "dev", mode: "preview", config: { "web-tier:variant": variant }, computedOutputs: knownOutputs });
    out.write(`Previewing the example program web-tier (variant "${variant}", ${plan.resources.length} resources, every ID unknown as in a first preview)\n`);
    out.write(`with the policy pack in ${packDir}, started by run-policy-pack and driven over gRPC as \`pulumi preview --policy-pack\` does.\n\n`);
    const result = await runPack({ packDir, plan });
    const mandatory = printPreviewViolations(result, plan, out, opts.colour ?? false);
    if (opts.definitions) out.write(codeOfFirstSecurityGroupFix(plan, opts.definitions));
    out.write(`\nPack start ${(result.timings.startMs / 1000).toFixed(2)} s, Analyze ${result.timings.analyzeMs.toFixed(0)} ms, AnalyzeStack ${result.timings.analyzeStackMs.toFixed(0)} ms.\n`);
    return opts.failOnMandatory && mandatory > 0 ? 1 : 0;
}

/** What `elb-health check` prints under a security-group finding of the same plan: the Pulumi TypeScript of its fix. */
function codeOfFirstSecurityGroupFix(plan: Plan, definitions: readonly PolicyDefinition[]): string {
    const findings = runPolicies(buildTopology(parseStack(plan).resources), undefined, { definitions });
    const f = findings.find((x) => x.policy === "elb-security-group-admits-health-check" && x.level === "mandatory" && (x.fixes ?? []).length > 0);
    if (!f) return "";
    const name = f.urn.slice(f.urn.lastIndexOf("::") + 2);
    const code = fixCode(f.fixes!, "typescript")
        .split("\n")
        .map((l) => `    ${l}`)
        .join("\n");
    return `\nCode to paste for ${name} (${f.policy}), as \`elb-health check\` prints it under the finding:\n${code}\n`;
}
