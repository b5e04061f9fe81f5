/** One report shape, three renderings: text, JSON, SARIF 2.1.0 (validated against the OASIS schema). */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Log, ReportingDescriptor, Result, Run } from "sarif";
import { describe, expect, it } from "vitest";
import { catalogue } from "../../policies";
import { check } from "../../src/cli/check";
import { docsPath, docsUrl } from "../../src/policy/definition";
import { docsLinks } from "../../src/policy/package";
import { resourceOf, toEntries } from "../../src/report/findings";
import { fingerprint, toJson, toSarif, toText } from "../../src/report/formats";
import { engineFixture, fixture, inputFixture, sarifValidator } from "./support";

/** The resource of a SARIF result: its URN (fullyQualifiedName) and name, from the one logical location. */
const logical = (r: Result) => r.locations?.[0]?.logicalLocations?.[0] ?? {};

const validate = sarifValidator();
// The broken example variant as the real CLI previews it (test/fixtures/engine).
const broken = check({ definitions: catalogue, file: engineFixture("preview-broken.json") });
const triples = (xs: { policy: string; urn: string; level: string }[]) => xs.map((x) => `${x.policy}|${x.urn}|${x.level}`).sort();
const ESC = "\u001b[";

describe("text", () => {
    it("groups findings by resource, one header per URN, then a summary line", () => {
        const text = broken.output;
        for (const urn of new Set(broken.findings.map((f) => f.urn))) expect(text.split("\n").filter((l) => l === `  ${urn}`)).toHaveLength(1);
        expect(text).toContain("api-pool  huaweicloud:Elb/pool:Pool\n  urn:pulumi:dev::web-tier::huaweicloud:Elb/pool:Pool::api-pool\n  [mandatory] HWELB-001 elb-pool-has-listener (high severity)\n");
        expect(text.trimEnd().split("\n").pop()).toBe("9 mandatory, 3 advisory finding(s) in 25 resource(s): the deployment would be blocked.");
        expect(text).not.toContain(ESC);
    });

    it("is coloured only for a terminal without NO_COLOR, or when asked", () => {
        expect(toText(broken.findings, broken.summary, true, catalogue)).toContain(ESC);
        const tty = Object.assign(process.stdout, {}) as NodeJS.WriteStream;
        const saved = { isTTY: tty.isTTY, noColor: process.env.NO_COLOR };
        try {
            tty.isTTY = true;
            delete process.env.NO_COLOR;
            expect(toText(broken.findings, broken.summary, tty, catalogue)).toContain(ESC);
            process.env.NO_COLOR = "1";
            expect(toText(broken.findings, broken.summary, tty, catalogue)).not.toContain(ESC);
        } finally {
            tty.isTTY = saved.isTTY;
            if (saved.noColor === undefined) delete process.env.NO_COLOR;
            else process.env.NO_COLOR = saved.noColor;
        }
    });

    it("says so when there is nothing to report", () => {
        const clean = check({ definitions: catalogue, file: fixture("plan-correct.json") });
        expect(clean.output).toBe("0 mandatory, 0 advisory finding(s) in 26 resource(s).\n");
        expect(clean.exitCode).toBe(0);
        expect(clean.notes).toEqual([]);
    });

    it("notes a file without any ELB resource (probably the wrong file)", () => {
        const file = path.join(os.tmpdir(), `elb-health-no-elb-${process.pid}.json`);
        fs.writeFileSync(file, JSON.stringify({ version: 1, resources: [{ urn: "urn:pulumi:s::p::huaweicloud:Vpc/vpc:Vpc::vpc", type: "huaweicloud:Vpc/vpc:Vpc", outputs: { cidr: "10.0.0.0/16" } }] }));
        try {
            expect(check({ definitions: catalogue, file }).notes).toEqual([`${file}: no Huawei Cloud ELB load balancer, pool or member in the file: nothing to check`]);
        } finally {
            fs.rmSync(file);
        }
    });
});

describe("JSON", () => {
    const doc = JSON.parse(check({ definitions: catalogue, file: fixture("stack-export-broken.json"), format: "json" }).output);

    it("has the documented shape", () => {
        expect(Object.keys(doc)).toEqual(["tool", "version", "findings", "fixes", "summary"]);
        expect(doc.tool).toBe("huaweicloud-elb-health");
        expect(doc.version).toMatch(/^\d+\.\d+\.\d+/);
        expect(doc.summary).toEqual({ mandatory: 9, advisory: 3, exempted: 0, resources: 26 });
        for (const f of doc.findings) {
            expect(Object.keys(f)).toEqual(["policy", "id", "severity", "level", "urn", "resource", "message", "verdict", "witness", "fix", "fixes", "explanation", "exemption", "docs"]);
            expect(f.id).toMatch(/^HWELB-\d{3}$/);
            expect(typeof f.fix).toBe("string");
        }
        const icmp = doc.findings.find((f: { id: string }) => f.id === "HWELB-005");
        expect(icmp).toMatchObject({ verdict: "blocked", witness: { source: "192.168.1.0", protocol: "icmp" }, resource: { name: "game-member-0", type: "huaweicloud:DedicatedElb/member:Member" } });
        // The explanation and the fix as data: the flow, what blocks it, and a rule admitting exactly the blocked set.
        expect(icmp.explanation[0]).toMatchObject({ check: "security-group", protocol: "icmp", verdict: "blocked", blocked: ["192.168.1.0/24"], blockedBy: { kind: "sg-default-rules" } });
        expect(icmp.fixes).toEqual([expect.objectContaining({ op: "add-resource", inputs: expect.objectContaining({ protocol: "icmp", remoteIpPrefix: "192.168.1.0/24", action: "allow" }) })]);
        expect(doc.fixes.length).toBeGreaterThanOrEqual(doc.findings.filter((f: { fixes: unknown[] }) => f.fixes.length > 0).length);
    });

    it("records exemptions", () => {
        const exempt = JSON.parse(check({ definitions: catalogue, file: fixture("stack-export-broken.json"), format: "json", configFile: fixture("config-exempt.json"), today: "2026-12-01" }).output);
        const pool = exempt.findings.find((f: { id: string; resource: { name: string } }) => f.id === "HWELB-001" && f.resource.name === "api-pool");
        expect(pool).toMatchObject({ level: "advisory", exemption: { by: "config", expires: "2027-01-31" } });
        expect(exempt.findings.some((f: { id: string }) => f.id === "HWELB-005")).toBe(false); // disabled
        expect(exempt.summary).toMatchObject({ mandatory: 7, exempted: 1 });
    });
});

describe("SARIF 2.1.0", () => {
    const sarifOf = (file: string, opts: { sourceRoot?: string; configFile?: string } = {}): Log => JSON.parse(check({ definitions: catalogue, file: inputFixture(file), format: "sarif", ...opts }).output);

    it.each([
        ["engine/preview-broken.json", { sourceRoot: "infra" }],
        ["engine/preview-broken.json", {}],
        ["engine/stack-export-known.json", { sourceRoot: "." }],
        ["stack-export-broken.json", { sourceRoot: ".", configFile: fixture("config-exempt.json") }],
        ["plan-correct.json", { sourceRoot: "." }],
    ])("%s %j validates against the schema", (file, opts) => {
        const log = sarifOf(file, opts);
        expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
        expect(log.runs).toHaveLength(1);
    });

    const log = sarifOf("engine/preview-broken.json", { sourceRoot: "infra" });
    const run = log.runs[0] as Run & { tool: { driver: { rules: ReportingDescriptor[] } }; results: Result[] };

    it("describes every policy as a rule", () => {
        expect(run.tool.driver.name).toBe("huaweicloud-elb-health");
        expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(catalogue.map((d) => d.id));
        for (const [i, d] of catalogue.entries()) {
            expect(run.tool.driver.rules[i]).toMatchObject({
                id: d.id,
                name: d.name,
                shortDescription: { text: d.displayName },
                fullDescription: { text: d.description },
                help: { text: d.remediation },
                defaultConfiguration: { level: d.defaultLevel === "mandatory" ? "error" : "warning" },
                properties: { tags: expect.arrayContaining(["huaweicloud", "elb"]) },
            });
        }
    });

    it("links to docs only where package.json says they are published; otherwise names the page in the package", () => {
        // This package.json names no repository or homepage: no address is made up.
        expect(docsUrl(catalogue[0])).toBeUndefined();
        expect(run.tool.driver.informationUri).toBeUndefined();
        for (const [i, d] of catalogue.entries()) {
            expect(run.tool.driver.rules[i].helpUri).toBeUndefined();
            expect(run.tool.driver.rules[i].help?.markdown).toContain(`See ${docsPath(d)} in the huaweicloud-elb-health package.`);
        }
        expect(JSON.stringify(log)).not.toMatch(/https?:\/\/github\.com/);
        // With a repository or a homepage, the links come from them.
        expect(docsLinks({ repository: { type: "git", url: "git+https://github.com/acme/elb-health.git" } })).toEqual({ base: "https://github.com/acme/elb-health/blob/HEAD/", information: "https://github.com/acme/elb-health/blob/HEAD/README.md" });
        expect(docsLinks({ repository: "github:acme/elb-health", homepage: "https://acme.example/elb" })).toEqual({ base: "https://github.com/acme/elb-health/blob/HEAD/", information: "https://acme.example/elb" });
        expect(docsLinks({ repository: { url: "git@github.com:acme/mono.git", directory: "packs/elb/" } }).base).toBe("https://github.com/acme/mono/blob/HEAD/packs/elb/");
        expect(docsLinks({ repository: "https://gitlab.example/acme/elb.git" })).toEqual({ base: undefined, information: undefined });
        expect(docsLinks({})).toEqual({ base: undefined, information: undefined });
    });

    it("one result per finding: level, message, URN as logical location, rule index", () => {
        expect(run.results).toHaveLength(broken.findings.length);
        expect(triples(run.results.map((r) => ({ policy: run.tool.driver.rules[r.ruleIndex!].name!, urn: logical(r).fullyQualifiedName!, level: r.level === "error" ? "mandatory" : "advisory" })))).toEqual(triples(broken.findings));
        for (const r of run.results) {
            expect(run.tool.driver.rules[r.ruleIndex!].id).toBe(r.ruleId);
            expect(r.message.text?.length).toBeGreaterThan(0);
        }
    });

    it("physical locations: the source position under --source-root, else the project file", () => {
        const at = (name: string) => run.results.find((r) => logical(r).name === name)?.locations?.[0]?.physicalLocation;
        // The engine recorded every resource's position (project:///examples/web-tier/program.ts#line,col).
        const program = fs.readFileSync(path.join(__dirname, "..", "..", "examples", "web-tier", "program.ts"), "utf8").split("\n");
        const line = program.findIndex((l) => l.includes('new hw.SharedMonitor("web-check"')) + 1;
        expect(line).toBeGreaterThan(0);
        expect(at("web-check")).toEqual({ artifactLocation: { uri: "infra/examples/web-tier/program.ts" }, region: { startLine: line, startColumn: 5 } });
        expect(run.results.every((r) => r.locations?.[0]?.physicalLocation?.artifactLocation?.uri === "infra/examples/web-tier/program.ts")).toBe(true);
        // A file without source positions (a hand-made export): the project file under --source-root, else none.
        const noPositions = (sourceRoot?: string) => sarifOf("stack-export-broken.json", { sourceRoot }).runs[0].results ?? [];
        expect(new Set(noPositions("infra").map((r) => r.locations?.[0]?.physicalLocation?.artifactLocation?.uri))).toEqual(new Set(["infra/Pulumi.yaml"]));
        expect(noPositions().filter((r) => r.locations?.[0]?.physicalLocation)).toEqual([]);
        // Without a source root, results with a source position still get one.
        const bare = sarifOf("engine/preview-broken.json").runs[0].results ?? [];
        expect(bare.map((r) => r.locations?.[0]?.physicalLocation?.artifactLocation?.uri)).toEqual(bare.map(() => "examples/web-tier/program.ts"));
    });

    it("fingerprints are stable per (policy, URN) across runs and input formats", () => {
        const fp = (l: Log) => (l.runs[0].results ?? []).map((r) => `${r.ruleId}|${logical(r).fullyQualifiedName}|${r.partialFingerprints?.["elbHealthFinding/v1"]}`).sort();
        expect(fp(sarifOf("engine/preview-broken.json"))).toEqual(fp(log));
        expect(fp(sarifOf("stack-export-broken.json"))).toEqual(fp(log));
        const distinct = new Set(run.results.map((r) => `${r.ruleId}|${logical(r).fullyQualifiedName}`));
        expect(new Set(run.results.map((r) => r.partialFingerprints?.["elbHealthFinding/v1"])).size).toBe(distinct.size);
        expect(fingerprint({ policy: "a", urn: "u" })).not.toBe(fingerprint({ policy: "b", urn: "u" }));
    });

    it("exempted findings carry a suppression", () => {
        const exempt = sarifOf("stack-export-broken.json", { configFile: fixture("config-exempt.json") }).runs[0].results?.filter((r) => r.suppressions) ?? [];
        expect(exempt).toHaveLength(1);
        expect(exempt[0]).toMatchObject({ ruleId: "HWELB-001", level: "warning", suppressions: [{ kind: "external", justification: expect.stringContaining("TICKET-123") }] });
    });
});

describe("one report shape", () => {
    it("text, JSON and SARIF carry the same findings in the same order", () => {
        const entries = toEntries(broken.findings, catalogue);
        const json = JSON.parse(toJson(broken.findings, broken.summary, catalogue)).findings;
        const sarif: Result[] = (JSON.parse(toSarif(broken.findings, { definitions: catalogue })) as Log).runs[0].results ?? [];
        expect(json).toEqual(entries);
        expect(sarif.map((r) => r.ruleId)).toEqual(entries.map((e) => e.id));
        expect(sarif.map((r) => r.message.text)).toEqual(entries.map((e) => e.message));
        const text = toText(broken.findings, broken.summary, false, catalogue);
        let at = 0;
        for (const e of entries) {
            at = text.indexOf(`${e.id} ${e.policy}`, at);
            expect(at, e.id).toBeGreaterThanOrEqual(0);
        }
    });

    it("names resources from their URNs", () => {
        expect(resourceOf("urn:pulumi:dev::p::my:comp:C$huaweicloud:Elb/pool:Pool::a::b")).toEqual({ name: "a::b", type: "huaweicloud:Elb/pool:Pool" });
        expect(resourceOf("")).toEqual({ name: "(stack)", type: "" });
    });
});
