/**
 * Under the real Pulumi CLI: --policy-pack-config as the engine validates it, a first preview
 * (every ID unknown) and a preview after `pulumi up` (IDs known) where one security-group rule
 * changed through stack config, and the engine's artefacts of the same runs — `preview --json
 * --show-sames`, the streaming JSON events, `stack export` — read back by `elb-health check`.
 *
 * ELB_HEALTH_CAPTURE_FIXTURES=1 copies the artefacts to test/fixtures/engine/, without this
 * machine's paths (./portable.ts), where `npm test` (test/cli/engine-artefacts.test.ts) reads them
 * on machines without Go.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, Workspace, type Run } from "./engine";
import { policiesBlock, sortViolations, urnName, type Violation } from "./policies-block";
import { portable } from "./portable";

const CLI = path.join(ROOT, "dist", "cli.js");
const FIXTURES = path.join(ROOT, "test", "fixtures", "engine");
const ADVISORY = path.join(ROOT, "test", "fixtures", "cli", "config-advisory.json");
const NAIVE_PACK = path.join(ROOT, "test", "fixtures", "packs", "naive-unknown");
const SECRET = "e2e-canary-admin-pass-5d1c";
const STREAMING = { PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "true" };
const CAPTURE = process.env.ELB_HEALTH_CAPTURE_FIXTURES === "1";

interface Verdict {
    policy: string;
    urn: string;
    level: string;
}
const key = (v: Verdict) => `${v.level} ${v.policy} ${v.urn}`;
const sortVerdicts = (v: Verdict[]) => [...v].sort((a, b) => key(a).localeCompare(key(b)));

/** policyEvent entries of a stream of engine events, of one pack. */
function policyEvents(stream: string, pack = "huaweicloud-elb-health"): Verdict[] {
    const out: Verdict[] = [];
    for (const line of stream.split("\n")) {
        if (!line.trim()) continue;
        const e = JSON.parse(line);
        if (e.policyEvent && e.policyEvent.policyPackName === pack) out.push({ policy: e.policyEvent.policyName, urn: e.policyEvent.resourceUrn ?? "", level: e.policyEvent.enforcementLevel });
    }
    return sortVerdicts(out);
}

function elbHealth(args: string[]): { code: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `elb-health check <file> --format json`: the (policy, URN, level) set. */
function checkVerdicts(file: string, extra: string[] = []): Verdict[] {
    const r = elbHealth(["check", file, "--format", "json", ...extra]);
    expect([0, 1], r.stderr).toContain(r.code);
    return sortVerdicts(JSON.parse(r.stdout).findings.map((f: { policy: string; urn: string; level: string }) => ({ policy: f.policy, urn: f.urn, level: f.level })));
}

const asViolations = (v: Verdict[]): Violation[] => sortViolations(v.map((x) => ({ policy: x.policy, resource: urnName(x.urn), level: x.level })));
const text = (r: Run) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;

function save(ws: Workspace, name: string, content: string): string {
    const file = path.join(ws.dir, name);
    fs.writeFileSync(file, content);
    if (CAPTURE) {
        fs.mkdirSync(FIXTURES, { recursive: true });
        fs.writeFileSync(path.join(FIXTURES, name), portable(content, { root: ROOT, workspace: ws.dir, project: ws.projectDir }));
    }
    return file;
}

describe("--policy-pack-config under the real engine", () => {
    let ws: Workspace;
    beforeAll(async () => {
        ws = await Workspace.create({ config: { variant: "broken" } });
    });
    afterAll(() => ws?.remove());

    it("an all-advisory file: exit 0, every violation of the broken variant reported as advisory", async () => {
        const r = await ws.preview(["--policy-pack", ROOT, "--policy-pack-config", ADVISORY]);
        expect(r.code, text(r)).toBe(0);
        const block = policiesBlock(r.stdout);
        expect(block.length).toBe(12);
        expect(new Set(block.map((v) => v.level))).toEqual(new Set(["advisory"]));
    });

    it("a bad CIDR: the engine's own schema error, before any policy runs", async () => {
        const file = path.join(ws.dir, "bad-cidr.json");
        fs.writeFileSync(file, JSON.stringify({ "elb-security-group-admits-health-check": { sharedElbSourceRanges: ["100.125.0.0/33"] } }));
        const r = await ws.preview(["--policy-pack", ROOT, "--policy-pack-config", file]);
        expect(r.code, text(r)).not.toBe(0);
        expect(r.stdout).toContain("error: validating policy config: huaweicloud-elb-health 0.1.0  elb-security-group-admits-health-check: sharedElbSourceRanges.0: Does not match pattern '^(25[0-5]");
        expect(r.stdout).not.toContain("Policies:");
    });

    it("an unknown property: accepted by the engine, reported by the pack as a mandatory violation", async () => {
        const file = path.join(ws.dir, "unknown-property.json");
        fs.writeFileSync(file, JSON.stringify({ "elb-security-group-admits-health-check": { noSuchProperty: true } }));
        const r = await ws.preview(["--policy-pack", ROOT, "--policy-pack-config", file]);
        expect(r.code, text(r)).toBe(1);
        expect(r.stdout).not.toContain("validating policy config");
        expect(policiesBlock(r.stdout)).toContainEqual({ level: "mandatory", policy: "elb-security-group-admits-health-check", resource: "web-tier-dev" });
        expect(r.stdout).toContain('Invalid policy configuration for elb-security-group-admits-health-check: unknown property "noSuchProperty"');
    });
});

describe("a first preview: every ID unknown", () => {
    let ws: Workspace;
    let block: Violation[];
    let events: string;
    let digest: string;
    beforeAll(async () => {
        ws = await Workspace.create({ config: { variant: "broken" }, secrets: { adminPass: SECRET } });
        const [t, e, d] = await Promise.all([
            ws.preview(["--policy-pack", ROOT]),
            ws.preview(["--json", "--policy-pack", ROOT], STREAMING),
            ws.preview(["--json", "--show-sames"]),
        ]);
        expect(t.code, text(t)).toBe(1);
        expect(e.code, e.stderr).toBe(1);
        expect(d.code, text(d)).toBe(0);
        block = policiesBlock(t.stdout);
        events = save(ws, "events-preview-broken.jsonl", e.stdout);
        digest = save(ws, "preview-broken.json", d.stdout);
    });
    afterAll(() => ws?.remove());

    it("the streaming events carry the same violations as the Policies block", () => {
        expect(asViolations(policyEvents(fs.readFileSync(events, "utf8")))).toEqual(block);
    });

    it("elb-health check on preview --json --show-sames gives the engine's (policy, URN, level) set", () => {
        expect(checkVerdicts(digest)).toEqual(policyEvents(fs.readFileSync(events, "utf8")));
    });

    it("elb-health check on the event stream reports the engine's set and exits 1", () => {
        const r = elbHealth(["check", events, "--format", "json"]);
        expect(r.code, r.stderr).toBe(1);
        const got = sortVerdicts(JSON.parse(r.stdout).violations.map((v: { policyName: string; urn: string; enforcementLevel: string }) => ({ policy: v.policyName, urn: v.urn, level: v.enforcementLevel })));
        expect(got).toEqual(policyEvents(fs.readFileSync(events, "utf8")));
    });

    it("the secret stays a secret in every artefact and report", () => {
        for (const f of [events, digest]) expect(fs.readFileSync(f, "utf8")).not.toContain(SECRET);
        expect(fs.readFileSync(digest, "utf8")).toContain("[secret]");
        for (const format of ["text", "json", "sarif"]) expect(elbHealth(["check", digest, "--format", format]).stdout).not.toContain(SECRET);
    });
});

describe("after pulumi up: IDs known, one security-group rule changed through stack config", () => {
    let ws: Workspace;
    const files: Record<string, string> = {};
    let changed: Violation[];
    let twoPacks: string;
    beforeAll(async () => {
        ws = await Workspace.create({ stack: "known", config: { variant: "correct" }, secrets: { adminPass: SECRET } });
        const up = await ws.run(["up", "--yes", "--skip-preview", "--non-interactive", "--json", "--policy-pack", ROOT], { program: true });
        expect(up.code, text(up)).toBe(0);
        expect(policyEvents(up.stdout)).toEqual([]);
        await ws.ok(["config", "set", "webSgSources", JSON.stringify(["100.125.0.0/16", "10.0.0.0/8"])]);
        const [t, e, d, two] = await Promise.all([
            ws.preview(["--policy-pack", ROOT]),
            ws.preview(["--json", "--policy-pack", ROOT], STREAMING),
            ws.preview(["--json", "--show-sames"]),
            ws.preview(["--json", "--policy-pack", ROOT, "--policy-pack", NAIVE_PACK], STREAMING),
        ]);
        expect(t.code, text(t)).toBe(1);
        expect(e.code, e.stderr).toBe(1);
        expect(d.code, text(d)).toBe(0);
        expect(two.code, two.stderr).toBe(1);
        changed = policiesBlock(t.stdout);
        files.events = save(ws, "events-preview-known.jsonl", e.stdout);
        files.digest = save(ws, "preview-known.json", d.stdout);
        twoPacks = save(ws, "events-two-packs.jsonl", two.stdout);
        // Deploy the change with every policy advisory, so the state holds what the pack flags.
        const up2 = await ws.run(["up", "--yes", "--skip-preview", "--non-interactive", "--json", "--policy-pack", ROOT, "--policy-pack-config", ADVISORY], { program: true });
        expect(up2.code, text(up2)).toBe(0);
        files.up = save(ws, "events-up-known.jsonl", up2.stdout);
        files.exported = save(ws, "stack-export-known.json", (await ws.ok(["stack", "export"])).stdout);
    });
    afterAll(() => ws?.remove());

    it("the next preview fails on exactly the members behind the changed group", () => {
        expect(changed).toEqual([
            { level: "mandatory", policy: "elb-security-group-admits-health-check", resource: "web-member-0" },
            { level: "mandatory", policy: "elb-security-group-admits-health-check", resource: "web-member-1" },
        ]);
    });

    it("preview --json --show-sames (sames without IDs in newState) and the events give that set", () => {
        const engine = policyEvents(fs.readFileSync(files.events, "utf8"));
        expect(asViolations(engine)).toEqual(changed);
        expect(checkVerdicts(files.digest)).toEqual(engine);
    });

    it("stack export after the (advisory) up: elb-health check gives the set the up reported", () => {
        const up = policyEvents(fs.readFileSync(files.up, "utf8"));
        expect(asViolations(up)).toEqual(changed.map((v) => ({ ...v, level: "advisory" })));
        expect(checkVerdicts(files.exported, ["--config", ADVISORY])).toEqual(up);
        expect(checkVerdicts(files.exported).map((v) => v.level)).toEqual(["mandatory", "mandatory"]);
        expect(fs.readFileSync(files.exported, "utf8")).not.toContain(SECRET);
        expect(fs.readFileSync(files.exported, "utf8")).toContain('"ciphertext"');
    });

    it("events of two packs → SARIF: one run per pack, every violation the engine reported", () => {
        const r = elbHealth(["check", twoPacks, "--format", "sarif"]);
        expect(r.code, r.stderr).toBe(1);
        const log = JSON.parse(r.stdout);
        expect(log.runs.map((run: { tool: { driver: { name: string } } }) => run.tool.driver.name)).toEqual(["huaweicloud-elb-health", "naive-unknown"]);
        const ours = log.runs[0].results.map((x: { ruleId: string; level: string; locations: { logicalLocations: { fullyQualifiedName: string }[] }[] }) => `${x.ruleId} ${x.level} ${urnName(x.locations[0].logicalLocations[0].fullyQualifiedName)}`);
        expect(ours).toEqual(["HWELB-004 error web-member-0", "HWELB-004 error web-member-1"]);
        const naive = policyEvents(fs.readFileSync(twoPacks, "utf8"), "naive-unknown");
        expect(naive.map((v) => urnName(v.urn))).toEqual(["game-member-0", "web-member-0", "web-member-1"]); // one per member
        expect(log.runs[1].results.map((x: { ruleId: string }) => x.ruleId)).toEqual(naive.map((v) => v.policy));
    });

    it("source positions: SARIF results point at the program line that declares the member", () => {
        const sourceRoot = path.relative(ROOT, ws.projectDir);
        const r = elbHealth(["check", files.digest, "--format", "sarif", "--source-root", sourceRoot]);
        const results = JSON.parse(r.stdout).runs[0].results;
        const program = fs.readFileSync(path.join(ROOT, "examples", "web-tier", "program.ts"), "utf8").split("\n");
        const memberLine = program.findIndex((l) => l.includes("new hw.SharedMember(`web-member-${i}`")) + 1;
        expect(memberLine).toBeGreaterThan(0);
        expect(results).toHaveLength(2);
        for (const res of results) {
            // Relative to the repository (sourceRoot is the project's folder seen from there).
            expect(path.resolve(ROOT, res.locations[0].physicalLocation.artifactLocation.uri)).toBe(path.join(ROOT, "examples", "web-tier", "program.ts"));
            expect(res.locations[0].physicalLocation.region.startLine).toBe(memberLine);
        }
    });
});
