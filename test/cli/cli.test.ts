/**
 * The compiled CLI as a child process (run `npm run build` first, as `npm test` does): exit codes,
 * usage and input errors as one line without a stack trace, --output, config files, secrets, demo.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_INPUT_BYTES } from "../../src/cli/inputs";
import { BIN, CLI, fixture, inputFixture, runCli, SECRET_CANARIES, type Run } from "./support";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "elb-health-cli-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, content: string) => {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, content);
    return file;
};

// The broken variant's preview as the real CLI wrote it (test/fixtures/engine), the hand-made exports and our plan format.
const INPUTS = ["engine/preview-broken.json", "stack-export-broken.json", "plan-correct.json", "deployment-correct.json"];
const FORMATS = ["text", "json", "sarif"];
/** Every input in every format, run once and shared by the exit-code and secrets tests. */
const runs = new Map<string, Run>();
beforeAll(() => {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
    for (const file of INPUTS) for (const format of FORMATS) runs.set(`${file} ${format}`, runCli(["check", inputFixture(file), "--format", format]));
});

/** A user error: exit 2, one line on stderr naming what is wrong, nothing on stdout, no stack trace. */
function expectUserError(r: Run, pattern: RegExp) {
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n"), r.stderr).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(pattern);
    expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe("exit codes", () => {
    it.each([
        ["engine/preview-broken.json", 1],
        ["stack-export-broken.json", 1],
        ["plan-correct.json", 0],
        ["deployment-correct.json", 0],
    ])("%s → %i in every format", (file, code) => {
        for (const format of FORMATS) {
            const r = runs.get(`${file} ${format}`)!;
            expect(r.code, r.stderr).toBe(code);
            expect(r.stderr).toBe("");
            if (format !== "text") expect(() => JSON.parse(r.stdout)).not.toThrow();
        }
    });

    it("a config that makes every policy advisory passes the gate", () => {
        const r = runCli(["check", inputFixture("engine/preview-broken.json"), "--config", fixture("config-advisory.json")]);
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(/0 mandatory, 12 advisory finding\(s\)/);
    });

    it("reads standard input for -", () => {
        const r = runCli(["check", "-", "--format", "json"], { input: fs.readFileSync(inputFixture("engine/preview-broken.json"), "utf8") });
        expect(r.code, r.stderr).toBe(1);
        expect(JSON.parse(r.stdout).summary.mandatory).toBe(9);
        expectUserError(runCli(["check", "-"], { input: "" }), /^elb-health: stdin: the file is empty$/);
    });

    it("the bin shim behaves the same", () => {
        expect(runCli(["check", inputFixture("engine/preview-broken.json"), "--format=json"], { entry: BIN }).code).toBe(1);
        expect(runCli(["--version"], { entry: BIN }).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    });
});

describe("--output", () => {
    it("writes the report to the file, a one-line summary to stderr", () => {
        const out = path.join(tmp, "report.sarif");
        const r = runCli(["check", fixture("stack-export-broken.json"), "--format", "sarif", "--output", out]);
        expect(r.code).toBe(1);
        expect(r.stdout).toBe("");
        expect(r.stderr).toBe(`elb-health: 9 mandatory, 3 advisory finding(s); sarif report written to ${out}\n`);
        expect(JSON.parse(fs.readFileSync(out, "utf8")).version).toBe("2.1.0");
    });

    it("an unwritable target is a user error", () => {
        expectUserError(runCli(["check", fixture("plan-correct.json"), "--output", path.join(tmp, "no", "such", "dir.txt")]), /dir\.txt: cannot write the report \(ENOENT\)/);
    });
});

describe("usage errors", () => {
    it.each([
        [[], /missing command/],
        [["lint", "x.json"], /unknown command "lint"/],
        [["check"], /check needs a file/],
        [["check", "a.json", "b.json"], /exactly one file/],
        [["check", "a.json", "--format", "xml"], /--format must be text, json or sarif, not "xml"/],
        [["check", "a.json", "--format"], /--format needs a value/],
        [["check", "a.json", "--today", "24/11/2026"], /--today takes a date/],
        [["check", "a.json", "--frobnicate"], /unknown option --frobnicate/],
        [["demo", "--variant", "weird"], /--variant must be broken or correct/],
        [["demo", "--format", "json"], /--format is an option of check/],
    ])("%j", (args, pattern) => {
        expectUserError(runCli(args as string[]), pattern);
    });

    it("--help prints the usage and exits 0", () => {
        const r = runCli(["--help"]);
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(/^usage:\n {2}elb-health check <file>/);
    });
});

describe("bad input", () => {
    it("not JSON", () => {
        const file = write("not-json.json", "steps:\n  - op: create\n");
        expectUserError(runCli(["check", file]), new RegExp(`^elb-health: ${file}: not valid JSON`));
    });

    it("empty file", () => {
        expectUserError(runCli(["check", write("empty.json", "")]), /empty\.json: the file is empty$/);
    });

    it("wrong shape, with the path of the problem", () => {
        expectUserError(runCli(["check", write("shape.json", JSON.stringify({ steps: [{ op: "create", newState: { urn: "u", type: ["x"] } }] }))]), /shape\.json: steps\[0\]\.newState\.type: expected a string, found an array$/);
        expectUserError(runCli(["check", write("other.json", '{"hello": "world"}')]), /other\.json: unrecognised format/);
    });

    it("a file over the size limit", () => {
        const file = path.join(tmp, "huge.json");
        fs.writeFileSync(file, "{");
        fs.truncateSync(file, MAX_INPUT_BYTES + 4096); // sparse
        expectUserError(runCli(["check", file]), /huge\.json: the file is 512 MiB; at most 512 MiB is read$/);
    });

    it("missing file", () => {
        expectUserError(runCli(["check", path.join(tmp, "missing.json")]), /missing\.json: cannot read the file \(ENOENT\)$/);
    });

    it("bad policy config: unknown policy, schema failure, not JSON", () => {
        const input = inputFixture("engine/preview-broken.json");
        expectUserError(runCli(["check", input, "--config", fixture("config-unknown-policy.json")]), /config-unknown-policy\.json: validating policy config for "huaweicloud-elb-health": "elb-pool-has-listeners" is not a policy of this pack/);
        expectUserError(runCli(["check", input, "--config", fixture("config-bad-cidr.json")]), /config-bad-cidr\.json: .*elb-security-group-admits-health-check: sharedElbSourceRanges\.0: must be a CIDR block/);
        expectUserError(runCli(["check", input, "--config", write("cfg.json", "{all: mandatory}")]), /cfg\.json: not valid JSON/);
        expectUserError(runCli(["check", input, "--config", write("cfg2.json", '{"all": "strict"}')]), /"strict" is not a valid enforcement level/);
    });
});

describe("secrets", () => {
    it("no secret value of any input appears in any output", () => {
        const raw = INPUTS.map((f) => fs.readFileSync(inputFixture(f), "utf8")).join("");
        for (const c of SECRET_CANARIES) expect(raw, `fixture holds ${c}`).toContain(c);
        for (const [what, r] of runs) for (const c of SECRET_CANARIES) expect(r.stdout + r.stderr, what).not.toContain(c);
        // Nor in an error about the file.
        const broken = write("secret-broken.json", fs.readFileSync(fixture("stack-export-broken.json"), "utf8").replace('"ciphertext"', "ciphertext"));
        const r = runCli(["check", broken]);
        expect(r.code).toBe(2);
        for (const c of SECRET_CANARIES) expect(r.stderr).not.toContain(c);
    });
});

describe("demo (the real pack over gRPC)", () => {
    it("prints the Policy Violations block and exits 0 by default", () => {
        const r = runCli(["demo"]);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toContain("Policy Violations:\n");
        expect(r.stdout).toMatch(/^ {4}\[mandatory\] {2}huaweicloud-elb-health v\d+\.\d+\.\d+ {2}elb-pool-has-listener \(api-pool: huaweicloud:Elb\/pool:Pool\)$/m);
        expect(r.stdout).toMatch(/^ {4}Every ELB backend server group \(pool\) must be associated with a listener/m);
        expect(r.stdout).toMatch(/^9 mandatory, 3 advisory policy violation\(s\) from \d+ policies of huaweicloud-elb-health v\S+: pulumi preview would fail\.$/m);
        // The diagnostics point at the code; the demo shows the TypeScript under a security-group finding.
        expect(r.stdout).toContain("\n    Code to paste: run `elb-health check` on `pulumi preview --json --show-sames` output (--fix-language typescript|yaml).\n");
        expect(r.stdout).toMatch(/^Code to paste for web-member-\d \(elb-security-group-admits-health-check\), as `elb-health check` prints it under the finding:\n {4}const webSgElbHc\w+ = new huaweicloud\.vpc\.SecgroupRule\("web-sg-elb-hc-tcp-/m);
    });

    it("--fail-on-mandatory: 1 for the broken variant, 0 for the correct one", () => {
        expect(runCli(["demo", "--fail-on-mandatory"]).code).toBe(1);
        const correct = runCli(["demo", "--variant", "correct", "--fail-on-mandatory"]);
        expect(correct.code, correct.stderr).toBe(0);
        expect(correct.stdout).not.toContain("[mandatory]");
        expect(correct.stdout).toMatch(/pulumi preview would pass\.$/m);
    });
});
