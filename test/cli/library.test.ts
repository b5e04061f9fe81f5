/**
 * The library entry (lib.ts → dist/lib.js): what it exports, that loading it starts nothing, and an
 * organization's own pack composed from it (test/fixtures/cli/composed-pack) run through the analyzer host.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { knownOutputs } from "../../examples/web-tier/huaweicloud";
import { webTier } from "../../examples/web-tier/program";
import * as lib from "../../lib";
import { runPack } from "../../src/host/analyzer-host";
import { capturePlan } from "../../src/host/capture";
import { fixture, ROOT, sarifValidator } from "./support";

const key = (policy: string, urn: string, level: string) => `${policy} | ${urn} | ${level}`;

describe("lib exports", () => {
    it("the catalogue and each policy definition", () => {
        expect(lib.catalogue.map((d) => d.id)).toEqual(["HWELB-001", "HWELB-002", "HWELB-003", "HWELB-004", "HWELB-005", "HWELB-006", "HWELB-007", "HWELB-008", "HWELB-009"]);
        const named = Object.values(lib).filter((v) => typeof v === "object" && v !== null && "check" in v && "id" in v);
        expect(new Set(named)).toEqual(new Set(lib.catalogue));
        expect(lib.elbPoolHasListener.name).toBe("elb-pool-has-listener");
    });

    it("crossGuardPolicies: one stack policy per definition, or a chosen subset", () => {
        const all = lib.crossGuardPolicies();
        expect(all.map((p) => p.name)).toEqual(lib.catalogue.map((d) => d.name));
        for (const p of all) expect(typeof (p as { validateStack?: unknown }).validateStack).toBe("function");
        expect(lib.crossGuardPolicies([lib.elbHealthCheckConfig]).map((p) => p.name)).toEqual(["elb-health-check-config"]);
    });

    it("the core pipeline composes: file → topology → reachability → evaluatePolicy → SARIF", () => {
        const input = lib.readStackFile(fixture("stack-export-broken.json"));
        const topology = lib.buildTopology(input.resources);
        expect(lib.analyzeReachability(topology, lib.defaultReachConfig).length).toBe(topology.members.length);
        const cache = new lib.ReachCache();
        const findings = lib.catalogue.flatMap((d) => lib.evaluatePolicy(d, topology, { cache, today: "2026-11-24" }));
        expect(findings.filter((f) => f.level === "mandatory")).toHaveLength(9);
        const sarif = JSON.parse(lib.toSarif(findings, { sourceRoot: "." }));
        expect(sarifValidator()(sarif)).toBe(true);
        expect(lib.toJson(findings, lib.summarize(findings, input.resources.length))).toContain('"mandatory": 9');
    });

    it("loading dist/lib.js starts no server and prints nothing", () => {
        const r = spawnSync(process.execPath, ["-e", `const l = require(${JSON.stringify(path.join(ROOT, "dist", "lib.js"))}); console.log(l.catalogue.length, typeof l.crossGuardPolicies)`], { encoding: "utf8", timeout: 30_000 });
        expect(r.status, r.stderr).toBe(0);
        expect(r.stdout).toBe("9 function\n");
    });
});

describe("an organization's pack composed from the library", () => {
    const capture = (variant: "broken" | "correct") => capturePlan({ program: () => webTier(variant), project: "web-tier", stack: "dev", mode: "preview", config: { "web-tier:variant": variant }, computedOutputs: knownOutputs });

    it("serves the ELB policies next to its own, and they report what the project's pack reports", async () => {
        const plan = await capture("broken");
        const composed = await runPack({ packDir: fixture("composed-pack"), plan, env: { ELB_HEALTH_TRACE: "1" } });
        // The ELB policies ran as one pass next to the org's own resource policy.
        expect(composed.stderr).toContain("elb-health: one pass by elb-pool-has-listener for 9 policies");
        expect(composed.pack.name).toBe("org-pack");
        expect(composed.pack.version).toBe("2.3.0");
        expect(composed.pack.policies.map((p) => p.name)).toEqual([...lib.catalogue.map((d) => d.name), "org-elb-members-named"]);

        const own = composed.diagnostics.filter((d) => d.policyName === "org-elb-members-named");
        expect(own.map((d) => d.enforcementLevel)).toContain("advisory");
        expect(own.length).toBe(plan.resources.filter((r) => /Elb\/member:Member$/.test(r.type)).length);
        for (const d of composed.diagnostics) expect(d.policyPackName).toBe("org-pack");

        const original = await runPack({ packDir: ROOT, plan });
        const elbOnly = (ds: typeof composed.diagnostics) => [...new Set(ds.filter((d) => d.policyName.startsWith("elb-")).map((d) => key(d.policyName, d.urn, d.enforcementLevel)))].sort();
        expect(elbOnly(composed.diagnostics)).toEqual(elbOnly(original.diagnostics));
        expect(elbOnly(composed.diagnostics).some((k) => k.startsWith("elb-pool-has-listener | ") && k.endsWith("::api-pool | mandatory"))).toBe(true);
    });

    it("an org's own stack policies reading the same resources get props objects of their own, which the ELB policies neither share nor change", async () => {
        const plan = await capture("broken");
        const composed = await runPack({ packDir: fixture("composed-pack-stack"), plan, env: { ELB_HEALTH_TRACE: "1" } });
        expect(composed.stderr).toContain("elb-health: one pass by elb-pool-has-listener for 9 policies");
        const counts = composed.diagnostics.filter((d) => d.policyName === "org-inventory-count").map((d) => d.message.split("\n").pop());
        // The first org policy marked every props object it got; neither the ELB policies nor the last org policy saw a mark or an ELB policy's object.
        expect(counts).toEqual([`resources=${plan.resources.length} sharedWithElb=0 markedBeforeMe=0 elbSawMark=0`]);
        const original = await runPack({ packDir: ROOT, plan });
        const elbOnly = (ds: typeof composed.diagnostics) => ds.filter((d) => d.policyName.startsWith("elb-")).map((d) => `${key(d.policyName, d.urn, d.enforcementLevel)} | ${d.message}`).sort();
        expect(elbOnly(composed.diagnostics)).toEqual(elbOnly(original.diagnostics));
        expect(elbOnly(composed.diagnostics).length).toBeGreaterThan(5);
    });

    it("takes the org's policy config for the ELB policies like the project's pack", async () => {
        const plan = await capture("broken");
        const result = await runPack({ packDir: fixture("composed-pack"), plan, config: { all: "advisory", "org-elb-members-named": "disabled" } });
        expect(result.diagnostics.filter((d) => d.enforcementLevel === "mandatory")).toEqual([]);
        expect(result.diagnostics.some((d) => d.policyName === "org-elb-members-named")).toBe(false);
        expect(result.diagnostics.some((d) => d.policyName === "elb-pool-has-listener")).toBe(true);
    });
});
