/**
 * Every fixture with findings, in both ID modes: the fixes of its findings, applied to the plan (and to
 * the same plan as `pulumi preview --json` and `pulumi stack export` output), make the re-check clean
 * for each finding that carries fixes, and no new mandatory finding appears.
 */
import { describe, expect, it } from "vitest";
import { parseStack } from "../../src/cli/inputs";
import { applyFixes } from "../../src/fix/apply";
import { mergeOperations, type FixOperation } from "../../src/fix/operations";
import { catalogue } from "../../policies";
import type { PolicyConfigFile } from "../../src/policy/pack-config";
import { buildTopology } from "../../src/model/build";
import type { ReportedFinding } from "../../src/policy/evaluate";
import { runPolicies } from "../../src/report/run-policies";
import { loadFixtures, renderFixture, type Fixture, type Mode, type TokenStyle } from "../support/fixture-stack";

const TODAY = "2026-11-24";
const fixtures = loadFixtures().filter((f) => f.expect.length > 0);

function run(doc: unknown, f: Fixture): ReportedFinding[] {
    const config: PolicyConfigFile | undefined = f.config ? ({ [f.policy]: f.config } as PolicyConfigFile) : undefined;
    return runPolicies(buildTopology(parseStack(doc).resources), config, { today: TODAY, definitions: catalogue });
}

const key = (x: ReportedFinding) => `${x.policy} ${x.urn}`;

type Shape = "plan" | "preview" | "stack-export";
function shaped(plan: { resources: unknown[] }, shape: Shape): unknown {
    if (shape === "plan") return plan;
    if (shape === "preview") return { steps: plan.resources.map((r) => ({ op: "same", urn: (r as { urn: string }).urn, newState: r })), changeSummary: {} };
    return { version: 3, deployment: { manifest: { time: "", magic: "", version: "" }, resources: plan.resources } };
}

let fixed = 0;
let operations = 0;
let renderings = 0;

describe("elb-health fix: applying the fixes closes the findings", () => {
    for (const f of fixtures) {
        for (const [mode, style, shape] of (f.modes ?? (["known", "unknown"] as Mode[])).flatMap((m) => [[m, "static", "plan"], [m, "index", m === "known" ? "stack-export" : "preview"]] as [Mode, TokenStyle, Shape][])) {
            it(`${f.file} [${mode} IDs, ${style} tokens, ${shape}]`, () => {
                const doc = shaped(renderFixture(f, mode, style).plan, shape);
                const before = run(doc, f);
                const mine = before.filter((x) => x.policy === f.policy && (x.fixes ?? []).length > 0);
                if (mine.length === 0) return;
                renderings++;
                const ops: FixOperation[] = mergeOperations(before.map((x) => x.fixes ?? []));
                const after = run(applyFixes(doc, ops).doc, f);
                const still = after.filter((x) => mine.some((m) => key(m) === key(x)));
                expect(still.map((x) => x.message), JSON.stringify(ops, null, 1)).toEqual([]);
                const wasMandatory = new Set(before.filter((x) => x.level === "mandatory").map(key));
                expect(after.filter((x) => x.level === "mandatory" && !wasMandatory.has(key(x))).map((x) => x.message)).toEqual([]);
                fixed += mine.length;
                operations += ops.length;
            });
        }
    }
    it("fixed findings across renderings (printed)", () => {
        console.log(`fix: ${renderings} renderings, ${fixed} findings fixed by ${operations} operations`);
        expect(fixed).toBeGreaterThan(0);
    });
});

describe("narrowing a priority-1 deny", () => {
    it("cuts exactly the blocked sources on the blocked ports out of the deny, and adds the allow at priority 1", () => {
        const f = loadFixtures().find((x) => x.file.endsWith("fail-priority-1-deny-all-ports.json"))!;
        const found = run(renderFixture(f, "known").plan, f).find((x) => x.policy === f.policy)!;
        const ops = found.fixes!;
        expect(ops[0]).toEqual({ op: "remove-resource", urn: expect.stringMatching(/::web-sg-deny-125$/) });
        const added = ops.filter((o) => o.op === "add-resource").map((o) => (o.op === "add-resource" ? o.inputs : {}));
        // The deny keeps every other port from 100.125.0.0/16; nothing else is denied anew.
        expect(added.filter((i) => i.action === "deny")).toEqual([expect.objectContaining({ protocol: "tcp", ports: "1-79,81-8079,8081-65535", remoteIpPrefix: "100.125.0.0/16", priority: 1 })]);
        expect(added.filter((i) => i.action === "allow").map((i) => [i.ports, i.remoteIpPrefix, i.priority])).toEqual([
            ["8080", "100.125.0.0/16", 1],
            ["80", "100.125.0.0/16", 1],
        ]);
    });
});
