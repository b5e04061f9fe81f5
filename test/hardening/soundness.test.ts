/**
 * Soundness on unknowns: for a topology that is blocked, making any subset of resources "fresh"
 * (their IDs unknown, linked by propertyDependencies as the engine links them) never makes the
 * finding disappear (never reachable); dropping the links gives undetermined, never reachable.
 */
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { catalogue } from "../../policies";
import { buildTopology } from "../../src/model/build";
import { evaluatePolicy, ReachCache } from "../../src/policy/evaluate";
import { applyPatches, loadBase, loadFixtures, render } from "../support/fixture-stack";

const REACH_POLICIES = new Set(["elb-security-group-admits-health-check", "elb-security-group-admits-icmp", "elb-network-acl-admits-health-check"]);
const blocked = loadFixtures().filter((f) => REACH_POLICIES.has(f.policy) && f.expect.some((e) => e.level === "mandatory") && !f.config);

/** Cases run, per fixture: printed at the end, whatever ran and in whatever order. */
const cases: Record<string, number> = {};
afterAll(() => {
    console.log(`soundness: ${Object.values(cases).reduce((a, b) => a + b, 0)} cases over ${Object.keys(cases).length} of ${blocked.length} blocked fixtures, 0 turned reachable`);
});

describe("soundness: unknown IDs never turn a blocked path reachable", () => {
    for (const f of blocked) {
        const resources = applyPatches(loadBase(f.base), f.patches);
        const names = resources.map((r) => r.name);
        const def = catalogue.find((d) => d.name === f.policy)!;
        const expected = f.expect.filter((e) => e.level === "mandatory").map((e) => e.resource);
        it(`${f.file}`, () => {
            cases[f.file] = 0;
            fc.assert(
                fc.property(fc.subarray(names), fc.boolean(), (fresh, unlinked) => {
                    cases[f.file]++;
                    const t = buildTopology(render(resources, "unknown", { fresh: new Set(fresh), dropDependencies: unlinked }).raw);
                    const findings = evaluatePolicy(def, t, { cache: new ReachCache(), today: "2026-11-24" });
                    for (const member of expected) {
                        const hit = findings.find((x) => x.urn.endsWith(`::${member}`));
                        expect(hit, `${member} with fresh=[${fresh.join(",")}] unlinked=${unlinked}`).toBeDefined();
                        if (unlinked) expect(["violation", "undetermined"]).toContain(hit!.class);
                    }
                }),
                { numRuns: 40 },
            );
            expect(cases[f.file]).toBe(40);
        });
    }
    it("has blocked fixtures to work on", () => {
        expect(blocked.length).toBeGreaterThan(12);
    });
});
