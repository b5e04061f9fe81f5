/**
 * `elb-health fix`, the code under each finding (`--fix-language`), SARIF fixes, and the snippets
 * themselves: every TypeScript snippet of every fixture parses.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { catalogue } from "../../policies";
import { check } from "../../src/cli/check";
import { fix } from "../../src/cli/fix";
import { parseStack } from "../../src/cli/inputs";
import type { FixOperation } from "../../src/fix/operations";
import { fixCode, sdkClass, toTypeScript, toYaml, variableName } from "../../src/fix/snippets";
import { buildTopology } from "../../src/model/build";
import { runPolicies } from "../../src/report/run-policies";
import { fixture, inputFixture, runCli, sarifValidator } from "../cli/support";
import { loadFixtures, renderFixture, type Mode } from "../support/fixture-stack";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "elb-fix-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const definitions = catalogue;
const REACH = new Set(["elb-security-group-admits-health-check", "elb-security-group-admits-icmp", "elb-network-acl-admits-health-check"]);

describe("elb-health fix", () => {
    for (const file of ["engine/preview-broken.json", "stack-export-broken.json"]) {
        it(`${file}: the fixed file re-checks without the reachability findings, in the same format`, () => {
            const before = check({ file: inputFixture(file), definitions });
            const r = fix({ file: inputFixture(file), definitions });
            expect(r.applied).toBeGreaterThan(0);
            const out = path.join(tmp, path.basename(file));
            fs.writeFileSync(out, r.output);
            const after = check({ file: out, definitions });
            expect(after.input.format).toBe(before.input.format);
            const reach = (x: typeof before) => x.findings.filter((f) => f.level === "mandatory" && REACH.has(f.policy));
            expect(reach(before).length).toBeGreaterThan(0);
            expect(reach(after).map((f) => f.message)).toEqual([]);
            // Nothing new; what is left is what has no fix as data.
            const keys = new Set(before.findings.map((f) => `${f.policy} ${f.urn} ${f.level}`));
            expect(after.findings.filter((f) => !keys.has(`${f.policy} ${f.urn} ${f.level}`)).map((f) => f.message)).toEqual([]);
            expect(after.summary.mandatory).toBe(r.unfixedMandatory);
        });
    }

    it("the command: --output, exit 0 once every mandatory finding is fixed, 1 while some have no fix as data, usage errors", () => {
        const out = path.join(tmp, "cli-fixed.json");
        // The demo's broken variant (a real first preview): 9 mandatory findings, each with fixes.
        const r = runCli(["fix", inputFixture("engine/preview-broken.json"), "--output", out]);
        expect(r.stderr).toMatch(/^elb-health: \d+ fix operation\(s\) applied for \d+ finding\(s\); fixed file written/);
        expect(r.code).toBe(0);
        expect(runCli(["check", out]).stdout).toMatch(/^0 mandatory/m);
        // A first preview of an IPv6 pool behind a priority-1 deny: the deny cannot be narrowed around a CIDR not known yet.
        const v6 = loadFixtures().find((f) => f.file.endsWith("fail-tf-dualstack-nlb-ipv6-deny-priority-1.json"))!;
        const v6File = path.join(tmp, "ipv6-first-preview.json");
        fs.writeFileSync(v6File, JSON.stringify(renderFixture(v6, "unknown").plan));
        const open = runCli(["fix", v6File, "--output", path.join(tmp, "ipv6-fixed.json")]);
        expect(open.stderr).toMatch(/^elb-health: 0 fix operation\(s\) applied for 0 finding\(s\); 1 mandatory finding\(s\) have no fix as data/);
        expect(open.code).toBe(1);
        const clean = runCli(["fix", fixture("plan-correct.json")]);
        expect(clean.code).toBe(0);
        expect(JSON.parse(clean.stdout)).toEqual(JSON.parse(fs.readFileSync(fixture("plan-correct.json"), "utf8")));
        expect(runCli(["fix"]).stderr).toMatch(/fix needs a file/);
        expect(runCli(["fix", fixture("plan-correct.json"), "--format", "json"]).stderr).toMatch(/--format is an option of check/);
        expect(runCli(["check", fixture("plan-correct.json"), "--fix-language", "go"]).stderr).toMatch(/--fix-language must be typescript, yaml or none/);
        expect(runCli(["fix", fixture("missing.json")]).code).toBe(2);
    });
});

describe("code to paste", () => {
    const text = (fixLanguage?: "typescript" | "yaml" | "none") => check({ file: inputFixture("engine/preview-broken.json"), definitions, fixLanguage }).output;

    it("the text report prints TypeScript under a security-group finding by default, YAML or nothing on request", () => {
        const ts = text();
        expect(ts).toContain('    Code to paste (Pulumi TypeScript):\n      const gameSgElbHcIcmp1921681024 = new huaweicloud.vpc.SecgroupRule("game-sg-elb-hc-icmp-192-168-1-0-24", {\n          securityGroupId: gameSg.id,');
        expect(ts).toContain("// appAcl (app-acl): insert into ingressRules at the start:");
        const yaml = text("yaml");
        expect(yaml).toContain("    Code to paste (Pulumi YAML):\n      resources:\n        game-sg-elb-hc-icmp-192-168-1-0-24:\n          type: huaweicloud:Vpc/secgroupRule:SecgroupRule\n          properties:\n            securityGroupId: ${game-sg.id}");
        expect(yaml).toContain('# app-acl: insert into properties.ingressRules at the start:\n      - action: allow\n        protocol: tcp');
        const none = text("none");
        expect(none).not.toContain("Code to paste");
        // Only the code differs.
        expect(ts.split("\n").filter((l) => !l.startsWith("      ") && !l.includes("Code to paste"))).toEqual(none.split("\n"));
    });

    it("names: variables from resource names, SDK classes from type tokens in both styles", () => {
        expect(variableName("web-sg")).toBe("webSg");
        expect(variableName("1st-group")).toBe("r1stGroup");
        expect(sdkClass("huaweicloud:Vpc/secgroupRule:SecgroupRule")).toBe("huaweicloud.vpc.SecgroupRule");
        expect(sdkClass("huaweicloud:NetworkAcl/aclRule:AclRule")).toBe("huaweicloud.networkacl.AclRule");
        expect(sdkClass("huaweicloud:index/networkingSecgroupRule:NetworkingSecgroupRule")).toBe("huaweicloud.NetworkingSecgroupRule");
    });

    it("every TypeScript snippet of every failing fixture parses (both ID modes)", () => {
        let snippets = 0;
        const parse = (code: string) => (ts.createSourceFile("fix.ts", code, ts.ScriptTarget.ES2022, true) as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
        for (const f of loadFixtures().filter((x) => x.expect.length > 0)) {
            for (const mode of f.modes ?? (["known", "unknown"] as Mode[])) {
                const raw = parseStack(renderFixture(f, mode).plan).resources;
                const ops: FixOperation[] = runPolicies(buildTopology(raw), f.config ? { [f.policy]: f.config } : undefined, { today: "2026-11-24", definitions }).flatMap((x) => x.fixes ?? []);
                for (const op of ops) {
                    const code = toTypeScript(op);
                    // An insert is a comment and an item of a list: parse it inside one.
                    const unit = op.op === "insert-item" ? `const list = [\n${code}\n];` : code;
                    expect(parse(unit).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")), unit).toEqual([]);
                    expect(toYaml(op).length).toBeGreaterThan(0);
                    snippets++;
                }
            }
        }
        expect(snippets).toBeGreaterThan(100);
        expect(parse("const x = {")).not.toEqual([]); // the check can fail
    });

    it("SARIF: a finding with a known source position in a TypeScript program carries the snippet as a fix", () => {
        // The real CLI's preview: the engine recorded each resource's position in the example program.
        const program = fs.readFileSync(path.join(__dirname, "..", "..", "examples", "web-tier", "program.ts"), "utf8").split("\n");
        const line = program.findIndex((l) => l.includes('new hw.DedicatedMember("game-member-0"')) + 1;
        expect(line).toBeGreaterThan(0);
        const doc = JSON.parse(fs.readFileSync(inputFixture("engine/preview-broken.json"), "utf8"));
        for (const step of doc.steps) if (!step.urn.endsWith("::game-member-0")) delete step.newState?.sourcePosition;
        const file = path.join(tmp, "positions.json");
        fs.writeFileSync(file, JSON.stringify(doc));
        const log = JSON.parse(check({ file, format: "sarif", definitions }).output);
        expect(sarifValidator()(log)).toBe(true);
        const withFixes = log.runs[0].results.filter((r: { fixes?: unknown }) => r.fixes);
        expect(withFixes).toHaveLength(1);
        const change = withFixes[0].fixes[0].artifactChanges[0];
        expect(change.artifactLocation.uri).toBe("examples/web-tier/program.ts");
        expect(change.replacements[0].deletedRegion).toEqual({ startLine: line, startColumn: 1, endLine: line, endColumn: 1 });
        expect(change.replacements[0].insertedContent.text).toBe(fixCode(withFixes[0].properties.fixOperations, "typescript") + "\n");
        expect(change.replacements[0].insertedContent.text).toContain('new huaweicloud.vpc.SecgroupRule("game-sg-elb-hc-icmp-192-168-1-0-24"');
    });
});
