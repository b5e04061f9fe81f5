/**
 * The readers on artefacts of the real Pulumi CLI v3.276.0 (captured by `npm run e2e` with
 * ELB_HEALTH_CAPTURE_FIXTURES=1, test/e2e/artefacts.e2e.test.ts): `preview --json --show-sames`,
 * the streaming JSON events and `stack export`, secrets and unknowns included. The engine's own
 * verdicts (its policyEvent entries) are the expected answer for `elb-health check` on the other
 * files of the same run, so the parsers stay guarded on machines without Go.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { catalogue } from "../../policies";
import { check } from "../../src/cli/check";
import { eventsToSarif, parseEngineEvents } from "../../src/cli/engine-events";
import { InputError, readCheckInput, readStackFile } from "../../src/cli/inputs";
import { MACHINE_PATHS, portable } from "../e2e/portable";
import { fixture, sarifValidator } from "./support";

const ENGINE = path.join(__dirname, "..", "fixtures", "engine");
const file = (name: string) => path.join(ENGINE, name);
const SECRET = "e2e-canary-admin-pass-5d1c";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const PACK = "huaweicloud-elb-health";

type Triple = string;
const triples = (xs: { policy: string; urn: string; level: string }[]): Triple[] => xs.map((x) => `${x.level} ${x.policy} ${x.urn.slice(x.urn.lastIndexOf("::") + 2)}`).sort();

/** What the engine reported for this pack in an event stream. */
function engineVerdicts(name: string, pack = PACK): Triple[] {
    const ev = parseEngineEvents(fs.readFileSync(file(name), "utf8"), name, (m) => new Error(m));
    return triples(ev.violations.filter((v) => v.policyPackName === pack).map((v) => ({ policy: v.policyName, urn: v.urn, level: v.enforcementLevel })));
}

function checked(name: string, configFile?: string): Triple[] {
    const r = check({ definitions: catalogue, file: file(name), configFile });
    return triples(r.findings.map((f) => ({ policy: f.policy, urn: f.urn, level: f.level })));
}

describe("captured engine artefacts", () => {
    it("are the real CLI's (version in the prelude config, engine event kinds, no plaintext secret)", () => {
        for (const name of fs.readdirSync(ENGINE)) expect(fs.readFileSync(file(name), "utf8"), name).not.toContain(SECRET);
        const ev = parseEngineEvents(fs.readFileSync(file("events-preview-broken.jsonl"), "utf8"), "x", (m) => new Error(m));
        expect(ev.finished).toBe(true);
        expect(ev.counts.preludeEvent).toBe(1);
        expect(ev.counts.policyLoadEvent).toBe(1);
        expect(fs.readFileSync(file("preview-broken.json"), "utf8")).toContain(UNKNOWN);
        expect(fs.readFileSync(file("preview-broken.json"), "utf8")).toContain('"[secret]"');
        expect(fs.readFileSync(file("stack-export-known.json"), "utf8")).toContain('"ciphertext"');
    });

    it("first preview (IDs unknown): check on preview --json --show-sames = the engine's verdicts (9 mandatory, 3 advisory)", () => {
        const engine = engineVerdicts("events-preview-broken.jsonl");
        expect(engine.filter((t) => t.startsWith("mandatory"))).toHaveLength(9);
        expect(engine.filter((t) => t.startsWith("advisory"))).toHaveLength(3);
        expect(checked("preview-broken.json")).toEqual(engine);
    });

    it("preview after up (IDs known): same steps take their ID and outputs from oldState", () => {
        const find = (i: { resources: readonly { name: string }[] }, name: string) => i.resources.find((r) => r.name === name) as { props: Record<string, unknown> } | undefined;
        const input = readStackFile(file("preview-known.json"));
        const subnet = find(input, "app-subnet");
        expect(subnet?.props.id).toMatch(/^sim-[0-9a-f]{16}$/);
        expect(subnet?.props.ipv4SubnetId).toBe(`${subnet?.props.id}-v4`);
        const server = find(input, "web-0");
        expect(server?.props.accessIpV4).toBe("192.168.2.10");
        // The updated rule keeps its ID and carries its new inputs.
        const rule = find(input, "web-sg-http-1");
        expect(rule?.props.id).toMatch(/^sim-/);
        expect(rule?.props.remoteIpPrefix).toBe("10.0.0.0/8");
    });

    it("preview after up: check = the engine's verdicts, exactly the members behind the changed group", () => {
        const engine = engineVerdicts("events-preview-known.jsonl");
        expect(engine).toEqual(["mandatory elb-security-group-admits-health-check web-member-0", "mandatory elb-security-group-admits-health-check web-member-1"]);
        expect(checked("preview-known.json")).toEqual(engine);
    });

    it("stack export after an all-advisory up: check with the same config = what the up reported", () => {
        const engine = engineVerdicts("events-up-known.jsonl");
        expect(engine).toHaveLength(2);
        expect(checked("stack-export-known.json", fixture("config-advisory.json"))).toEqual(engine);
        expect(readStackFile(file("stack-export-known.json")).sourcePositions.size).toBeGreaterThan(20);
    });

    it("event streams are read by check as the engine's verdicts: exit code, summary, every pack", () => {
        const r = check({ definitions: catalogue, file: file("events-two-packs.jsonl") });
        expect(r.events?.violations.length).toBe(5);
        expect(r.findings).toEqual([]);
        expect(r.exitCode).toBe(1);
        expect(r.summary.mandatory).toBe(5);
        expect(r.output).toContain("naive-unknown v1.0.0 naive-read");
        expect(r.output).not.toContain(SECRET);
        const clean = readCheckInput(file("events-preview-known.jsonl"));
        expect(clean.kind).toBe("events");
        expect(() => check({ definitions: catalogue, file: file("events-up-known.jsonl"), configFile: fixture("config-advisory.json") })).toThrow(InputError);
    });

    it("events → SARIF: valid 2.1.0, one run per pack, our rules with IDs and the fingerprints check gives", () => {
        const validate = sarifValidator();
        const events = check({ definitions: catalogue, file: file("events-two-packs.jsonl"), format: "sarif" });
        const log = JSON.parse(events.output);
        expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
        expect(log.runs.map((r: { tool: { driver: { name: string } } }) => r.tool.driver.name)).toEqual([PACK, "naive-unknown"]);
        expect(log.runs[0].results.map((x: { ruleId: string; level: string }) => `${x.ruleId} ${x.level}`)).toEqual(["HWELB-004 error", "HWELB-004 error"]);
        expect(log.runs[1].results.map((x: { ruleId: string }) => x.ruleId)).toEqual(["naive-read", "naive-read", "naive-read"]);
        const fromPreview = JSON.parse(check({ definitions: catalogue, file: file("preview-known.json"), format: "sarif" }).output);
        const prints = (l: { runs: { results: { partialFingerprints: Record<string, string> }[] }[] }) => l.runs[0].results.map((x) => x.partialFingerprints["elbHealthFinding/v1"]).sort();
        expect(prints(log)).toEqual(prints(fromPreview));
        // A clean stream still gives a valid log with this pack's (empty) run.
        const empty = JSON.parse(eventsToSarif({ violations: [], resources: new Set(), finished: true, counts: {} }, { definitions: catalogue }));
        expect(validate(empty)).toBe(true);
        expect(empty.runs[0].results).toEqual([]);
    });

    it("source positions recorded by the engine: SARIF points at program.ts and the declaring line", () => {
        // (test/e2e checks these lines against the program itself; here, that the reader carries them through.)
        const input = readStackFile(file("preview-known.json"));
        const r = check({ definitions: catalogue, file: file("preview-known.json"), format: "sarif" });
        const results = JSON.parse(r.output).runs[0].results;
        expect(results).toHaveLength(2);
        for (const res of results) {
            const urn = res.locations[0].logicalLocations[0].fullyQualifiedName;
            // Captured relative to the repository root (test/e2e/portable.ts), so the default source root finds the file.
            const m = /^project:\/\/\/examples\/web-tier\/program\.ts#(\d+),(\d+)$/.exec(input.sourcePositions.get(urn) ?? "");
            expect(m, urn).not.toBeNull();
            expect(res.locations[0].physicalLocation.artifactLocation.uri).toBe("examples/web-tier/program.ts");
            expect(res.locations[0].physicalLocation.region).toEqual({ startLine: Number(m?.[1]), startColumn: Number(m?.[2]) });
        }
    });

    it("a stream cut short is an input error naming the line", () => {
        const text = fs.readFileSync(file("events-preview-known.jsonl"), "utf8");
        const cut = text.slice(0, text.length - 40);
        expect(() => parseEngineEvents(cut, "cut.jsonl", (m) => new InputError(m))).toThrow(/cut\.jsonl: line \d+: not a JSON event \(the stream ends in the middle of an event\)/);
    });
});

describe("captured artefacts carry no machine paths", () => {
    it("no committed artefact names a folder of the machine that captured it", () => {
        const names = fs.readdirSync(ENGINE);
        expect(names.length).toBeGreaterThanOrEqual(7);
        for (const name of names) {
            const text = fs.readFileSync(file(name), "utf8");
            for (const p of MACHINE_PATHS) expect(text.includes(p), `${name} contains "${p}"`).toBe(false);
        }
    });

    it("the capture rewrites source positions relative to the repository and absolute paths as placeholders", () => {
        const dirs = { root: "/work/repo", workspace: "/tmp/elb-health-e2e-Ab12", project: "/tmp/elb-health-e2e-Ab12/project", home: "/home/someone", tmp: "/tmp" };
        const raw = [
            '"sourcePosition": "project:///../../../work/repo/examples/web-tier/program.ts#78,13"',
            '"sourcePosition": "project:///index.ts#3,1"',
            '"policyPacks": {"huaweicloud-elb-health|local|/work/repo": ""}',
            '"message": "using pulumi-language-nodejs from $PATH at /work/repo/test/stand-in/language-nodejs/pulumi-language-nodejs\\n"',
            '"backend": "file:///tmp/elb-health-e2e-Ab12/state", "home": "/home/someone/.pulumi", "other": "/tmp/x", "kept": "/work/repo2"',
        ].join("\n");
        const out = portable(raw, dirs);
        expect(out).toContain('"project:///examples/web-tier/program.ts#78,13"');
        expect(out).toContain('"project:///index.ts#3,1"'); // inside the project folder: already portable
        expect(out).toContain('"huaweicloud-elb-health|local|<repo>"');
        expect(out).toContain("from $PATH at <repo>/test/stand-in/language-nodejs/");
        expect(out).toContain('"file://<workspace>/state"');
        expect(out).toContain('"<home>/.pulumi"');
        expect(out).toContain('"<tmp>/x"');
        expect(out).toContain('"/work/repo2"'); // another folder whose name starts like the repository's is not touched
        expect(portable(out, dirs)).toBe(out);
    });
});
