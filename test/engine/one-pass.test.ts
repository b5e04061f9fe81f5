/**
 * The pack evaluates all enabled policies in one pass per AnalyzeStack (src/crossguard/one-pass.ts).
 * What the engine receives must be exactly what the SDK produces running the nine policies one by
 * one (ELB_HEALTH_NO_ONE_PASS=1) — under every kind of policy config, including a disabled first
 * policy (the one that normally runs the pass), per-policy levels, remediate, and config properties.
 */
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { knownOutputs } from "../../examples/web-tier/huaweicloud";
import { webTier } from "../../examples/web-tier/program";
import { AnalyzerSession, type Diagnostic, type PackInfo } from "../../src/host/analyzer-host";
import type { PolicyConfigFile } from "../../src/policy/pack-config";
import { capturePlan } from "../../src/host/capture";
import type { PlanResource } from "../../src/host/plan";
import { loadFixtures, renderFixture } from "../support/fixture-stack";

const PACK_DIR = path.resolve(__dirname, "..", "..");
const start = (env: Record<string, string>) => AnalyzerSession.start({ packDir: PACK_DIR, project: "web-tier", stack: "dev", dryRun: true, env: { ELB_HEALTH_TRACE: "1", ...env } });
const canonical = (ds: Diagnostic[]) => ds.map((d) => JSON.stringify(d)).sort();

/** The pack's stderr line for a call: written before the response, but the pipe may deliver it after. */
async function expectLog(session: AnalyzerSession, from: number, text: string): Promise<void> {
    for (let waited = 0; waited < 5000 && !session.log.slice(from).includes(text); waited += 50) await new Promise((r) => setTimeout(r, 50));
    expect(session.log.slice(from)).toContain(text);
}

let onePass: AnalyzerSession;
let perPolicy: AnalyzerSession;
let pack: PackInfo;
let plans: { name: string; resources: PlanResource[] }[];

beforeAll(async () => {
    [onePass, perPolicy] = await Promise.all([start({}), start({ ELB_HEALTH_NO_ONE_PASS: "1" })]);
    pack = await onePass.info();
    await perPolicy.info();
    const capture = (variant: "broken" | "correct") => capturePlan({ program: () => webTier(variant), project: "web-tier", stack: "dev", mode: "preview", config: { "web-tier:variant": variant }, computedOutputs: knownOutputs });
    plans = [
        { name: "example, broken", resources: (await capture("broken")).resources },
        { name: "example, correct", resources: (await capture("correct")).resources },
    ];
    // One fixture per policy, in the unknown-ID rendering: every policy has something to say.
    const seen = new Set<string>();
    for (const f of loadFixtures()) {
        if (seen.has(f.policy) || f.expect.length === 0) continue;
        seen.add(f.policy);
        plans.push({ name: f.file, resources: renderFixture(f, "unknown").plan.resources });
    }
}, 120_000);
afterAll(async () => {
    await Promise.all([onePass?.stop(), perPolicy?.stop()]);
});

const configs: { name: string; file?: PolicyConfigFile; driver?: string }[] = [
    { name: "defaults", driver: "elb-pool-has-listener" },
    { name: "all advisory", file: { all: "advisory" }, driver: "elb-pool-has-listener" },
    { name: "first policy disabled", file: { "elb-pool-has-listener": "disabled" }, driver: "elb-listener-lb-has-address" },
    {
        name: "mixed levels, remediate, properties",
        file: {
            "elb-pool-has-listener": "disabled",
            "elb-listener-lb-has-address": "disabled",
            "elb-health-check-config": "remediate",
            "elb-security-group-admits-health-check": { enforcementLevel: "advisory", sharedElbSourceRanges: ["100.125.0.0/16"] },
            "elb-network-acl-admits-health-check": { enforcementLevel: "mandatory", onUndetermined: "mandatory" },
        },
        driver: "elb-health-check-config",
    },
    { name: "an invalid-for-us config on a non-driver policy", file: { "elb-security-group-admits-icmp": { exemptions: [{ urn: "*", reason: "legacy", expires: "2020-01-01" }] } }, driver: "elb-pool-has-listener" },
];

describe("one pass per AnalyzeStack, identical to the SDK running each policy", () => {
    it("before any Configure call: every policy at its own level", async () => {
        const before = onePass.log.length;
        const [a, b] = await Promise.all([onePass.analyzeStack(plans[0].resources), perPolicy.analyzeStack(plans[0].resources)]);
        expect(a.some((d) => d.enforcementLevel === "mandatory")).toBe(true);
        expect(canonical(a)).toEqual(canonical(b));
        await expectLog(onePass, before, "elb-health: one pass by elb-pool-has-listener for 9 policies");
    });

    for (const c of configs) {
        it(c.name, async () => {
            await Promise.all([onePass.configure(pack, c.file), perPolicy.configure(pack, c.file)]);
            for (const p of plans) {
                const before = onePass.log.length;
                const [a, b] = await Promise.all([onePass.analyzeStack(p.resources), perPolicy.analyzeStack(p.resources)]);
                expect(canonical(a), `${c.name} / ${p.name}`).toEqual(canonical(b));
                await expectLog(onePass, before, `elb-health: one pass by ${c.driver} for `);
            }
            expect(perPolicy.log).not.toContain("one pass by");
        }, 120_000);
    }

    it("after a pass, the engine still sees nine stack policies", async () => {
        await onePass.configure(pack);
        await onePass.analyzeStack(plans[0].resources);
        const info = await onePass.info();
        expect(info.policies.map((p) => p.policyType)).toEqual(pack.policies.map(() => "stack"));
    });

    it("with one policy enabled, the SDK runs it itself", async () => {
        const file: PolicyConfigFile = { all: "disabled", "elb-security-group-admits-health-check": "mandatory" };
        await Promise.all([onePass.configure(pack, file), perPolicy.configure(pack, file)]);
        const before = onePass.log.length;
        const [a, b] = await Promise.all([onePass.analyzeStack(plans[0].resources), perPolicy.analyzeStack(plans[0].resources)]);
        expect(a.length).toBeGreaterThan(0);
        expect(canonical(a)).toEqual(canonical(b));
        await expectLog(onePass, before, "elb-health: per-policy pass (1 enabled)");
    });

    it("a secret without a value (encrypted) reads as unknown instead of failing the request, in one pass and one by one", async () => {
        await Promise.all([onePass.configure(pack), perPolicy.configure(pack)]);
        const encrypted = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:zz" };
        const resources = plans[0].resources.map((r) => (/Elb\/member:Member$/.test(r.type) ? { ...r, outputs: { ...r.outputs, address: encrypted } } : r));
        expect(resources.filter((r) => r.outputs.address === encrypted).length).toBeGreaterThan(0);
        const before = [onePass.log.length, perPolicy.log.length];
        const [a, b] = await Promise.all([onePass.analyzeStack(resources), perPolicy.analyzeStack(resources)]);
        expect(canonical(a)).toEqual(canonical(b));
        // The broken example is still analyzed: the request did not fail.
        expect(a.some((d) => d.enforcementLevel === "mandatory")).toBe(true);
        await expectLog(onePass, before[0], "elb-health: a secret without a value read as unknown; AnalyzeStack run again");
        await expectLog(perPolicy, before[1], "elb-health: a secret without a value read as unknown; AnalyzeStack run again");
    });

    it("the violations of the broken example carry each policy's own name and description", async () => {
        await onePass.configure(pack);
        const ds = await onePass.analyzeStack(plans[0].resources);
        const names = new Set(ds.map((d) => d.policyName));
        expect(names.size).toBeGreaterThanOrEqual(6);
        for (const d of ds) expect(d.description).toBe(pack.policies.find((p) => p.name === d.policyName)!.description);
    });
});
