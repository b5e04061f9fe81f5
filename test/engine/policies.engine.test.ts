/**
 * Engine level: the real pack (dist/index.js) started by run-policy-pack and driven over gRPC as
 * `pulumi preview --policy-pack` drives it, with the SDK's real unknown sentinels. Every policy
 * fixture, in both renderings, through one pack process (Configure is sent again per fixture).
 */
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AnalyzerSession, runPack, type Diagnostic, type PackInfo } from "../../src/host/analyzer-host";
import { PolicyConfigError } from "../../src/policy/pack-config";
import { capturePlan } from "../../src/host/capture";
import { knownOutputs } from "../../examples/web-tier/huaweicloud";
import { webTier } from "../../examples/web-tier/program";
import { loadFixtures, renderFixture, type Mode, type TokenStyle } from "../support/fixture-stack";

const PACK_DIR = path.resolve(__dirname, "..", "..");
const GENERIC_UNKNOWN = /can't run policy .* during preview/;
const INDEX_TOO = /^(tf-|dedicated-ipv6|dedicated-ip-backend|dedicated-active-standby)/;
const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

let session: AnalyzerSession;
let pack: PackInfo;

beforeAll(async () => {
    session = await AnalyzerSession.start({ packDir: PACK_DIR, project: "fixtures", stack: "test", dryRun: true });
    pack = await session.info();
});
afterAll(async () => {
    await session?.stop();
});

describe("the pack over the analyzer protocol", () => {
    it("describes its nine policies with levels, severities and config schemas", () => {
        expect(pack.name).toBe("huaweicloud-elb-health");
        expect(pack.policies.map((p) => p.name)).toContain("elb-pool-has-listener");
        const sg = pack.policies.find((p) => p.name === "elb-security-group-admits-health-check")!;
        expect(sg.enforcementLevel).toBe("mandatory");
        expect(sg.severity).toBe("high");
        expect(Object.keys(sg.configSchema?.properties ?? {})).toEqual(expect.arrayContaining(["sharedElbSourceRanges", "dedicatedSource", "exemptions", "onUndetermined"]));
    });

    const fixtures = loadFixtures();
    for (const f of fixtures) {
        // Stacks of the other backend kinds (IPv6, IP as a backend, active/standby) also in the index token style.
        const styles: TokenStyle[] = INDEX_TOO.test(f.base) ? ["static", "index"] : ["static"];
        for (const [mode, style] of (f.modes ?? (["known", "unknown"] as Mode[])).flatMap((m) => styles.map((s) => [m, s] as const))) {
            it(`${f.file} [${mode} IDs${style === "index" ? ", index tokens" : ""}]`, async () => {
                await session.configure(pack, f.config ? { [f.policy]: f.config } : undefined);
                const plan = renderFixture(f, mode, style).plan;
                const diags: Diagnostic[] = await session.analyzeStack(plan.resources);
                expect(diags.filter((d) => GENERIC_UNKNOWN.test(d.message))).toEqual([]);
                const mine = diags.filter((d) => d.policyName === f.policy);
                const got = mine.map((d) => `${nameOf(d.urn)}:${d.enforcementLevel}`).sort();
                expect(got, mine.map((d) => d.message).join("\n")).toEqual(f.expect.map((e) => `${e.resource}:${e.level}`).sort());
            });
        }
    }

    it("per-resource Analyze never reports the generic unknown-value diagnostic", async () => {
        await session.configure(pack);
        const plan = renderFixture(fixtures[0], "unknown").plan;
        for (const r of plan.resources) expect(await session.analyze(r)).toEqual([]);
    });
});

describe("the example program through the pack", () => {
    const capture = (variant: "broken" | "correct") =>
        capturePlan({ program: () => webTier(variant), project: "web-tier", stack: "dev", mode: "preview", config: { "web-tier:variant": variant }, computedOutputs: knownOutputs });

    it("broken variant: mandatory violations of policies 1-6, never the generic unknown diagnostic", async () => {
        const result = await runPack({ packDir: PACK_DIR, plan: await capture("broken") });
        const mandatory = new Set(result.diagnostics.filter((d) => d.enforcementLevel === "mandatory").map((d) => d.policyName));
        for (const p of ["elb-pool-has-listener", "elb-listener-lb-has-address", "elb-health-check-config", "elb-security-group-admits-health-check", "elb-security-group-admits-icmp", "elb-network-acl-admits-health-check"]) {
            expect(mandatory, p).toContain(p);
        }
        expect(result.diagnostics.filter((d) => GENERIC_UNKNOWN.test(d.message))).toEqual([]);
    });

    it("correct variant: no mandatory violation", async () => {
        const result = await runPack({ packDir: PACK_DIR, plan: await capture("correct") });
        expect(result.diagnostics.filter((d) => d.enforcementLevel === "mandatory").map((d) => d.message)).toEqual([]);
    });
});

describe("policy config, as the analyzer host validates it (the engine's reconciliation in src/policy/pack-config.ts; test/e2e checks the real engine)", () => {
    it("rejects a malformed CIDR, naming the policy and property", async () => {
        await expect(session.configure(pack, { "elb-security-group-admits-health-check": { sharedElbSourceRanges: ["100.125.0.0/33"] } })).rejects.toThrow(
            /validating policy config for "huaweicloud-elb-health": elb-security-group-admits-health-check: sharedElbSourceRanges\.0: must be a CIDR block/,
        );
    });

    it("rejects an unknown policy name and an invalid level", async () => {
        await expect(session.configure(pack, { "elb-no-such-policy": "mandatory" })).rejects.toThrow(PolicyConfigError);
        await expect(session.configure(pack, { all: "strict" })).rejects.toThrow(/is not a valid enforcement level/);
    });

    it("an unknown property passes the engine's schema but the pack reports it as a mandatory violation", async () => {
        await session.configure(pack, { "elb-pool-has-listener": { sharedElbSourceRange: ["100.125.0.0/16"] } });
        const diags = await session.analyzeStack(renderFixture(loadFixtures()[0], "unknown").plan.resources);
        const bad = diags.find((d) => d.policyName === "elb-pool-has-listener");
        expect(bad?.enforcementLevel).toBe("mandatory");
        expect(bad?.message).toMatch(/unknown property "sharedElbSourceRange"/);
    });

    it("level advisory turns a mandatory finding into an advisory one", async () => {
        const f = loadFixtures().find((x) => x.file.endsWith("fail-shared-no-listener.json"))!;
        await session.configure(pack, { "elb-pool-has-listener": "advisory" });
        const diags = await session.analyzeStack(renderFixture(f, "unknown").plan.resources);
        expect(diags.filter((d) => d.policyName === "elb-pool-has-listener").map((d) => d.enforcementLevel)).toEqual(["advisory"]);
    });
});
