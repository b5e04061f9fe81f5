/**
 * Soundness on unknowns: for a topology that is blocked, making any subset of resources "fresh"
 * (their IDs unknown, linked by propertyDependencies as the engine links them) never makes the
 * finding disappear (never reachable); dropping the links gives undetermined, never reachable.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { catalogue } from "../../policies";
import { buildTopology } from "../../src/model/build";
import { evaluatePolicy, ReachCache } from "../../src/policy/evaluate";
import { applyPatches, loadBase, loadFixtures, render } from "../support/fixture-stack";

const REACH_POLICIES = new Set(["elb-security-group-admits-health-check", "elb-security-group-admits-icmp", "elb-network-acl-admits-health-check"]);
const blocked = loadFixtures().filter((f) => REACH_POLICIES.has(f.policy) && f.expect.some((e) => e.level === "mandatory") && !f.config);

let cases = 0;

describe("soundness: unknown IDs never turn a blocked path reachable", () => {
    for (const f of blocked) {
        const resources = applyPatches(loadBase(f.base), f.patches);
        const names = resources.map((r) => r.name);
        const def = catalogue.find((d) => d.name === f.policy)!;
        const expected = f.expect.filter((e) => e.level === "mandatory").map((e) => e.resource);
        it(`${f.file}`, () => {
            fc.assert(
                fc.property(fc.subarray(names), fc.boolean(), (fresh, unlinked) => {
                    cases++;
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
        });
    }
    it("reports its count", () => {
        console.log(`soundness: ${cases} cases over ${blocked.length} blocked fixtures, 0 turned reachable`);
        expect(cases).toBeGreaterThan(500);
    });
});
