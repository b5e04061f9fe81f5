/**
 * Every policy fixture (test/fixtures/policies/<policy>/*.json), in both renderings — all IDs known
 * (an update) and all IDs unknown, linked only by propertyDependencies (a fresh stack at preview) —
 * through the model and the policy pipeline. The engine-level twin is engine.test.ts.
 */
import { describe, expect, it } from "vitest";
import { catalogue } from "../../policies";
import { buildTopology } from "../../src/model/build";
import { evaluatePolicy, ReachCache } from "../../src/policy/evaluate";
import { applyPatches, loadBase, loadFixtures, renderFixture, type Fixture, type Mode, type TokenStyle } from "../support/fixture-stack";

const TODAY = "2026-11-24";
const fixtures = loadFixtures();

function findingsOf(f: Fixture, mode: Mode, policyName = f.policy, style: TokenStyle = "static") {
    const def = catalogue.find((d) => d.name === policyName);
    if (!def) throw new Error(`${f.file}: no policy named ${policyName}`);
    const topology = buildTopology(renderFixture(f, mode, style).raw);
    return evaluatePolicy(def, topology, { today: TODAY, cache: new ReachCache(), config: policyName === f.policy ? f.config : undefined });
}

const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

/** Values marked {"secret": ...} anywhere in a fixture's stack. */
function secretsOf(f: Fixture): string[] {
    const out: string[] = [];
    const walk = (v: unknown): void => {
        if (Array.isArray(v)) v.forEach(walk);
        else if (v !== null && typeof v === "object") {
            const o = v as Record<string, unknown>;
            if (Object.keys(o).length === 1 && typeof o.secret === "string") out.push(...o.secret.split("\n").filter((l) => l.length > 8));
            else Object.values(o).forEach(walk);
        }
    };
    walk(applyPatches(loadBase(f.base), f.patches));
    return out;
}

describe("policy fixtures", () => {
    it("exist for every policy, with a passing and a failing case each", () => {
        for (const def of catalogue) {
            const mine = fixtures.filter((f) => f.policy === def.name);
            expect(mine.some((f) => f.expect.length === 0), `${def.name} has a passing fixture`).toBe(true);
            expect(mine.some((f) => f.expect.length > 0), `${def.name} has a failing fixture`).toBe(true);
        }
    });

    for (const f of fixtures) {
        for (const [mode, style] of (f.modes ?? (["known", "unknown"] as Mode[])).flatMap((m) => [[m, "static"], [m, "index"]] as [Mode, TokenStyle][])) {
            it(`${f.file} [${mode} IDs, ${style} tokens]: ${f.description}`, () => {
                const found = findingsOf(f, mode, f.policy, style);
                const got = found.map((x) => `${nameOf(x.urn)}:${x.level}`).sort();
                const want = f.expect.map((e) => `${e.resource}:${e.level}`).sort();
                expect(got, found.map((x) => x.message).join("\n")).toEqual(want);
                for (const e of f.expect) {
                    // Several findings on one resource (the inline members of an active/standby pool): the one whose message fits.
                    const mine = found.filter((x) => nameOf(x.urn) === e.resource);
                    const match = mine.find((x) => (e.contains ?? []).every((t) => x.message.includes(t))) ?? mine[0];
                    for (const text of e.contains ?? []) expect(match?.message, `message of ${e.resource}`).toContain(text);
                }
                for (const secret of secretsOf(f)) {
                    for (const x of found) expect(x.message).not.toContain(secret);
                }
            });
        }
    }

    it("the unmodified base stacks raise no mandatory finding from any policy", () => {
        for (const base of ["shared-http", "dedicated-udp", "dedicated-active-standby", "dedicated-ipv6", "dedicated-ip-backend", "tf-dualstack-nlb", "tf-ip-backend-peering", "tf-active-standby-http"]) {
            for (const mode of ["known", "unknown"] as Mode[]) {
                const f: Fixture = { file: base, policy: "", description: "", base, patches: [], expect: [] };
                for (const def of catalogue) {
                    const mandatory = findingsOf(f, mode, def.name).filter((x) => x.level === "mandatory");
                    expect(mandatory.map((x) => x.message), `${def.name} on ${base} (${mode})`).toEqual([]);
                }
            }
        }
    });
});
