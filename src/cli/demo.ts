/**
 * `npm run demo` / `elb-health demo`: capture the example program's broken variant as a preview
 * (every ID unknown), run the real pack process over the analyzer protocol, and print what
 * `pulumi preview --policy-pack .` would print.
 */
import * as path from "node:path";
import { capturePlan } from "../host/capture";
import { runPack } from "../host/analyzer-host";
import { knownOutputs } from "../../examples/web-tier/huaweicloud";
import { webTier, type Variant } from "../../examples/web-tier/program";
import { printPreviewViolations } from "../report/preview";

/** The repository root: the folder with package.json and the compiled pack (dist/index.js). */
export const PACK_DIR = path.resolve(__dirname, "..", "..", "..");

export async function demo(opts: { variant?: Variant; failOnMandatory?: boolean; out?: NodeJS.WritableStream }): Promise<number> {
    const variant = opts.variant ?? "broken";
    const out = opts.out ?? process.stdout;
    const plan = await capturePlan({ program: () => webTier(variant), project: "web-tier", stack: "dev", mode: "preview", config: { "web-tier:variant": variant }, computedOutputs: knownOutputs });
    out.write(`Previewing the example program web-tier (variant "${variant}", ${plan.resources.length} resources, every ID unknown as in a first preview)\n`);
    out.write(`with the policy pack in ${PACK_DIR}, started by run-policy-pack and driven over gRPC as \`pulumi preview --policy-pack\` does.\n\n`);
    const result = await runPack({ packDir: PACK_DIR, plan });
    const mandatory = printPreviewViolations(result, plan, out);
    out.write(`\nPack start ${(result.timings.startMs / 1000).toFixed(2)} s, Analyze ${result.timings.analyzeMs.toFixed(0)} ms, AnalyzeStack ${result.timings.analyzeStackMs.toFixed(0)} ms.\n`);
    return opts.failOnMandatory && mandatory > 0 ? 1 : 0;
}
