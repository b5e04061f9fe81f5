/** The analyzer host and plan capture, with a tiny pack of their own (not the product's entry). */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { describe, expect, it } from "vitest";
import { runPack } from "../../src/host/analyzer-host";
import { capturePlan } from "../../src/host/capture";
import type { Plan } from "../../src/host/plan";

const NAIVE = path.join(__dirname, "..", "fixtures", "packs", "naive-unknown");

function plan(poolId: unknown): Plan {
    const urn = (t: string, n: string) => `urn:pulumi:dev::p::${t}::${n}`;
    const member = urn("huaweicloud:Elb/member:Member", "m");
    return {
        version: 1, organization: "o", project: "p", stack: "dev", dryRun: true,
        resources: [{ urn: member, type: "huaweicloud:Elb/member:Member", name: "m", custom: true, inputs: { poolId }, outputs: { poolId }, dependencies: [], propertyDependencies: {} }],
    };
}

const alive = (pid: number) => {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
};

describe("analyzer host", () => {
    it("sends the SDK's real unknown sentinel: a naive policy gets the SDK's generic advisory", async () => {
        const r = await runPack({ packDir: NAIVE, plan: plan(unknownValue) });
        expect(r.diagnostics).toHaveLength(1);
        expect(r.diagnostics[0].enforcementLevel).toBe("advisory");
        expect(r.diagnostics[0].message).toMatch(/can't run policy 'naive-read' from policy pack 'naive-unknown@v1.0.0' during preview: string value at .poolId/);
    });

    it("returns a known value's diagnostic with policy, level and URN", async () => {
        const r = await runPack({ packDir: NAIVE, plan: plan("pool-1") });
        expect(r.diagnostics.map((d) => [d.policyName, d.enforcementLevel, d.urn.split("::").pop()])).toEqual([["naive-read", "mandatory", "m"]]);
        expect(r.diagnostics[0].message).toContain("pool is pool-1");
    });

    it("validates config against the policy's schema before analysis, like the engine", async () => {
        await expect(runPack({ packDir: NAIVE, plan: plan("x"), config: { "naive-read": { limit: 0 } } })).rejects.toThrow(/naive-read: limit: must be >= 1/);
    });

    it("always stops the pack process it started", async () => {
        const pids: number[] = [];
        const r = await runPack({ packDir: NAIVE, plan: plan("x"), env: {} });
        expect(r.timings.startMs).toBeGreaterThan(0);
        // The pid is gone once runPack returns, also when it fails.
        const { AnalyzerSession } = await import("../../src/host/analyzer-host");
        const s = await AnalyzerSession.start({ packDir: NAIVE, project: "p", stack: "dev", dryRun: true });
        pids.push(s.pid!);
        expect(alive(s.pid!)).toBe(true);
        await s.stop();
        expect(pids.every((p) => !alive(p))).toBe(true);
    });
});

describe("plan capture", () => {
    class Thing extends pulumi.CustomResource {
        constructor(name: string, args: Record<string, pulumi.Input<unknown>>) {
            super("test:index:Thing", name, args);
        }
    }
    const program = () => {
        const a = new Thing("a", { size: 1, secret: pulumi.secret("s3cr3t-value") });
        new Thing("b", { ref: a.id, plain: "x" });
    };

    it("preview: ids are unknown sentinels and the link survives in propertyDependencies", async () => {
        const p = await capturePlan({ program, project: "p", stack: "dev", mode: "preview" });
        const b = p.resources.find((r) => r.name === "b")!;
        expect(b.inputs.ref).toBe(unknownValue);
        expect(b.propertyDependencies.ref).toEqual([p.resources.find((r) => r.name === "a")!.urn]);
        expect(p.resources[0].type).toBe("pulumi:pulumi:Stack");
        expect(p.resources.some((r) => r.type === "pulumi:providers:test")).toBe(true);
        const a = p.resources.find((r) => r.name === "a")!;
        expect(a.outputs.id).toBe(unknownValue);
        // Secrets in the engine's wire encoding.
        expect(a.inputs.secret).toMatchObject({ value: "s3cr3t-value" });
    });

    it("known-ids: ids are literals", async () => {
        const p = await capturePlan({ program, project: "p", stack: "dev", mode: "known-ids" });
        expect(p.resources.find((r) => r.name === "b")!.inputs.ref).toBe("a-id");
        expect(p.dryRun).toBe(false);
    });
});
