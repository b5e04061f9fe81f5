/**
 * Parity: the CLI (a plan file read back, the catalogue through evaluatePolicy) and the real pack
 * (dist/index.js over gRPC, as `pulumi preview --policy-pack` runs it) report the same set of
 * (policy, URN, level) for every policy fixture in both ID modes and for the example program.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { knownOutputs } from "../../examples/web-tier/huaweicloud";
import { webTier, type Variant } from "../../examples/web-tier/program";
import { catalogue } from "../../policies";
import { check } from "../../src/cli/check";
import { AnalyzerSession, type Diagnostic, type PackInfo } from "../../src/host/analyzer-host";
import { capturePlan, type CaptureMode } from "../../src/host/capture";
import type { PolicyConfigFile } from "../../src/policy/pack-config";
import type { Plan } from "../../src/host/plan";
import { loadFixtures, renderFixture, type Mode } from "../support/fixture-stack";
import { ROOT } from "./support";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "elb-health-parity-"));
let session: AnalyzerSession;
let pack: PackInfo;
beforeAll(async () => {
    session = await AnalyzerSession.start({ packDir: ROOT, project: "parity", stack: "test", dryRun: true });
    pack = await session.info();
});
afterAll(async () => {
    await session?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
});

const key = (policy: string, urn: string, level: string) => `${policy} | ${urn} | ${level}`;

/** What the pack reports for a plan: per-resource Analyze and the one AnalyzeStack, as the engine calls them. */
async function viaPack(plan: Plan, config?: PolicyConfigFile): Promise<string[]> {
    await session.configure(pack, config);
    const diags: Diagnostic[] = [];
    for (const r of plan.resources) diags.push(...(await session.analyze(r)));
    diags.push(...(await session.analyzeStack(plan.resources)));
    return [...new Set(diags.map((d) => key(d.policyName, d.urn, d.enforcementLevel)))].sort();
}

/** What the CLI reports for the same plan, written to a file and read back. */
function viaCli(name: string, plan: Plan, config?: PolicyConfigFile): string[] {
    const file = path.join(tmp, `${name.replace(/[^\w.-]+/g, "_")}.json`);
    fs.writeFileSync(file, JSON.stringify(plan));
    let configFile: string | undefined;
    if (config) fs.writeFileSync((configFile = file.replace(/\.json$/, ".config.json")), JSON.stringify(config));
    const { findings } = check({ file, configFile, format: "json", definitions: catalogue });
    return [...new Set(findings.map((f) => key(f.policy, f.urn, f.level)))].sort();
}

describe("policy fixtures: CLI and pack agree", () => {
    for (const f of loadFixtures()) {
        for (const mode of f.modes ?? (["known", "unknown"] as Mode[])) {
            it(`${f.file} [${mode} IDs]`, async () => {
                const plan = renderFixture(f, mode).plan;
                const config = f.config ? { [f.policy]: f.config } : undefined;
                const pack = await viaPack(plan, config);
                expect(viaCli(`${f.file}-${mode}`, plan, config)).toEqual(pack);
                // The fixture's own policy must be among them when it expects findings.
                if (f.expect.length > 0) expect(pack.some((k) => k.startsWith(`${f.policy} |`))).toBe(true);
            });
        }
    }
});

describe("the example program: CLI and pack agree", () => {
    const capture = (variant: Variant, mode: CaptureMode) => capturePlan({ program: () => webTier(variant), project: "web-tier", stack: "dev", mode, config: { "web-tier:variant": variant }, computedOutputs: knownOutputs });
    const configs: [string, PolicyConfigFile | undefined][] = [
        ["default config", undefined],
        ["all advisory, one disabled", { all: "advisory", "elb-security-group-admits-icmp": "disabled" }],
        ["remediate, onUndetermined mandatory", { "elb-pool-has-listener": "remediate", "elb-security-group-admits-health-check": { onUndetermined: "mandatory" } }],
    ];
    for (const variant of ["broken", "correct"] as const) {
        for (const mode of ["preview", "known-ids"] as const) {
            for (const [label, config] of configs) {
                it(`${variant} [${mode}], ${label}`, async () => {
                    const plan = await capture(variant, mode);
                    const pack = await viaPack(plan, config);
                    expect(viaCli(`${variant}-${mode}-${label}`, plan, config)).toEqual(pack);
                    if (variant === "broken" && config === undefined) expect(pack.filter((k) => k.endsWith("| mandatory")).length).toBeGreaterThan(5);
                });
            }
        }
    }
});
