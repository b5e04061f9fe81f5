/** The JSON report and its fix operations validate against the published schemas (docs/schemas). */
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { describe, expect, it } from "vitest";
import { catalogue } from "../../policies";
import { check } from "../../src/cli/check";
import { parseStack } from "../../src/cli/inputs";
import { buildTopology } from "../../src/model/build";
import { summarize, toJson } from "../../src/report/formats";
import { runPolicies } from "../../src/report/run-policies";
import { inputFixture } from "../cli/support";
import { loadFixtures, renderFixture, type Mode } from "../support/fixture-stack";

const SCHEMAS = path.join(__dirname, "..", "..", "docs", "schemas");
const load = (f: string) => JSON.parse(fs.readFileSync(path.join(SCHEMAS, f), "utf8"));
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
ajv.addSchema(load("fix-operations.schema.json"), "fix-operations.schema.json");
const validateReport = ajv.compile(load("report.schema.json"));
const validateOps = ajv.getSchema("fix-operations.schema.json")!;

function expectValid(doc: unknown, what: string) {
    const ok = validateReport(doc);
    expect(ok, `${what}: ${ajv.errorsText(validateReport.errors, { separator: "\n" })}`).toBe(true);
}

describe("docs/schemas", () => {
    it("validate the JSON report of every policy fixture, in both ID modes", () => {
        let findings = 0;
        let ops = 0;
        for (const f of loadFixtures()) {
            for (const mode of f.modes ?? (["known", "unknown"] as Mode[])) {
                const raw = parseStack(renderFixture(f, mode).plan).resources;
                const found = runPolicies(buildTopology(raw), f.config ? { [f.policy]: f.config as never } : undefined, { today: "2026-11-24", definitions: catalogue });
                const doc = JSON.parse(toJson(found, summarize(found, raw.length), catalogue));
                expectValid(doc, `${f.file} [${mode}]`);
                findings += doc.findings.length;
                ops += doc.fixes.length;
            }
        }
        expect(findings).toBeGreaterThan(100);
        expect(ops).toBeGreaterThan(100);
    });

    it("validate the JSON report of the CLI fixtures", () => {
        for (const file of ["engine/preview-broken.json", "stack-export-broken.json", "plan-correct.json"]) {
            expectValid(JSON.parse(check({ file: inputFixture(file), format: "json", definitions: catalogue }).output), file);
        }
    });

    it("reject malformed operations", () => {
        const good = { op: "set-property", urn: "urn:pulumi:s::p::huaweicloud:Vpc/secgroup:Secgroup::web", property: "name", value: "x" };
        expect(validateOps([good])).toBe(true);
        expect(validateOps([{ ...good, op: "patch" }])).toBe(false);
        expect(validateOps([{ op: "insert-item", urn: good.urn, property: "ingressRules", index: -1, value: {} }])).toBe(false);
        expect(validateOps([{ op: "add-resource", type: "huaweicloud:Vpc/secgroupRule:SecgroupRule", name: "Web SG", urn: good.urn, inputs: {} }])).toBe(false);
        expect(validateOps([{ op: "remove-resource", urn: "web" }])).toBe(false);
    });
});
