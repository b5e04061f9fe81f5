/** docs/ci stays true: its config example is one the engine (and the CLI) accepts, and the CLI options it uses exist. */
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { catalogue } from "../../policies";
import { USAGE } from "../../src/cli/main";
import { reconcileConfig } from "../../src/policy/pack-config";
import { PACK_NAME, policyMeta } from "../../src/report/run-policies";
import { ROOT } from "./support";


const md = fs.readFileSync(path.join(ROOT, "docs", "ci", "github-actions.md"), "utf8");
const workflowText = fs.readFileSync(path.join(ROOT, "docs", "ci", "elb-health.yml"), "utf8");

describe("docs/ci", () => {
    it("the policy config examples pass the engine's reconciliation and schemas", () => {
        const blocks = [...md.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]));
        expect(blocks.length).toBeGreaterThan(0);
        for (const b of blocks) expect(() => reconcileConfig(PACK_NAME, catalogue.map(policyMeta), b)).not.toThrow();
    });

    it("every elb-health option used exists", () => {
        const used = [...(md + workflowText).matchAll(/elb-health check[^\n]*(?:\\\n[^\n]*)*/g)].flatMap((m) => m[0].match(/--[a-z-]+/g) ?? []);
        expect(used.length).toBeGreaterThan(3);
        for (const o of new Set(used)) expect(USAGE, o).toContain(o);
    });

    it("the example workflow is valid YAML with the gate and the SARIF upload", () => {
        const wf = yaml.load(workflowText) as { jobs: Record<string, { steps: { run?: string; uses?: string }[] }> };
        const steps = Object.values(wf.jobs).flatMap((j) => j.steps);
        expect(steps.some((s) => s.run?.includes("--policy-pack node_modules/huaweicloud-elb-health"))).toBe(true);
        expect(steps.some((s) => s.run?.includes("npx elb-health check") && s.run.includes("--format sarif"))).toBe(true);
        expect(steps.some((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"))).toBe(true);
    });

    it("names the Pulumi Cloud commands for org-wide enforcement", () => {
        expect(md).toContain("pulumi policy publish");
        expect(md).toMatch(/pulumi policy enable my-org\/huaweicloud-elb-health latest --policy-group \S+ --config \S+/);
    });
});
