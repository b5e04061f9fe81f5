/**
 * The hostile-plan generators, fewer cases, through the real pack process over gRPC: the pack
 * never returns the SDK's generic "can't run policy" diagnostic, never fails an RPC, never dies.
 */
import * as path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AnalyzerSession } from "../../src/host/analyzer-host";
import { loadBase, render, type StackResource } from "../support/fixture-stack";
import { CANARY, hostile } from "./hostile";

const PACK_DIR = path.resolve(__dirname, "..", "..");
let session: AnalyzerSession;

beforeAll(async () => {
    session = await AnalyzerSession.start({ packDir: PACK_DIR, project: "fixtures", stack: "test", dryRun: true });
    await session.configure(await session.info());
});
afterAll(() => session?.stop());

function setRandom(resources: StackResource[], r: number, key: number, value: unknown): StackResource[] {
    const out = structuredClone(resources);
    const res = out[r % out.length];
    const keys = Object.keys(res.props);
    res.props[keys[key % keys.length]] = value;
    return out;
}

let cases = 0;
describe("hardening through the analyzer protocol", () => {
    it("hostile values never produce the generic diagnostic, an RPC error, or a dead process", async () => {
        await fc.assert(
            fc.asyncProperty(fc.constantFrom("shared-http", "dedicated-udp", "dedicated-autoscaling", "provider-dedicated-example", "provider-shared-example", "dedicated-ipv6", "dedicated-ip-backend", "dedicated-active-standby", "tf-dualstack-nlb", "tf-ip-backend-peering", "tf-active-standby-http"), fc.array(fc.tuple(fc.nat(), fc.nat(), hostile), { minLength: 1, maxLength: 4 }), fc.constantFrom("known", "unknown") as fc.Arbitrary<"known" | "unknown">, async (base, edits, mode) => {
                cases++;
                let resources = loadBase(base);
                for (const [r, k, v] of edits) resources = setRandom(resources, r, k, v);
                // JSON cannot carry NaN/Infinity; the engine would send them as null.
                const plan = JSON.parse(JSON.stringify(render(resources, mode).plan));
                const diags = await session.analyzeStack(plan.resources);
                expect(diags.filter((d) => /can't run policy/.test(d.message))).toEqual([]);
                expect(diags.filter((d) => d.message.includes(CANARY))).toEqual([]);
            }),
            { numRuns: 100 },
        );
        console.log(`hardening protocol: ${cases} plans through the real pack, 0 generic diagnostics`);
        expect(session.pid && process.kill(session.pid, 0)).toBe(true);
    });
});
