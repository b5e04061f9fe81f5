/** The three input formats → RawResource[], and every way a file can be wrong. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InputError, MAX_INPUT_BYTES, parseStack, readStackFile } from "../../src/cli/inputs";
import { buildTopology } from "../../src/model/build";
import type { RawResource } from "../../src/model/types";
import { engineFixture, fixture } from "./support";

const SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** A resource of the input by name, its props read as an object (the model's reader checks them in the pack). */
const byName = (input: { resources: readonly RawResource[] }, name: string) => input.resources.find((r) => r.name === name) as Read | undefined;
type Read = RawResource & { props: Record<string, unknown> };
const propsOf = (r: RawResource) => r.props as Record<string, unknown>;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "elb-health-inputs-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
function write(name: string, content: string | object): string {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
    return file;
}
function errorOf(fn: () => unknown): string {
    try {
        fn();
    } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as Error).message;
    }
    throw new Error("expected an InputError");
}

describe("pulumi preview --json (the real CLI's, test/fixtures/engine)", () => {
    // A first preview (every step a create, IDs unknown) and one after `pulumi up` (sames and an update).
    const input = readStackFile(engineFixture("preview-broken.json"));
    const known = readStackFile(engineFixture("preview-known.json"));

    it("reads every live step's newState, sames included", () => {
        expect(input.format).toBe("preview");
        expect(input.resources).toHaveLength(25); // the stack and 24 resources (no default-provider step)
        expect(input.notes).toEqual([]);
        expect(known.format).toBe("preview");
        expect(known.resources).toHaveLength(25);
        expect(byName(known, "vpc")).toBeDefined(); // op "same" (--show-sames)
        expect(known.notes).toEqual([]);
    });

    it("skips deletions: oldState-only steps, delete-replaced, newState.delete", () => {
        const urn = (name: string) => `urn:pulumi:dev::web-tier::huaweicloud:Elb/pool:Pool::${name}`;
        const state = (name: string, extra: object = {}) => ({ urn: urn(name), type: "huaweicloud:Elb/pool:Pool", outputs: { name }, ...extra });
        const parsed = parseStack({
            steps: [
                { op: "create", urn: urn("kept"), newState: state("kept") },
                { op: "delete", urn: urn("old-pool"), oldState: state("old-pool") },
                { op: "delete-replaced", urn: urn("replaced"), oldState: state("replaced"), newState: state("replaced") },
                { op: "same", urn: urn("pending"), newState: state("pending", { delete: true }) },
            ],
        });
        expect(parsed.resources.map((r) => r.name)).toEqual(["kept"]);
    });

    it("takes outputs, falling back to inputs, and keeps unknowns and [secret] as they are", () => {
        const pool = byName(input, "web-pool")!;
        expect(pool.props.id).toBeUndefined(); // a create's newState has no id in a preview
        expect(pool.props.listenerId).toBe(SENTINEL);
        expect(pool.propertyDependencies?.listenerId).toEqual(["urn:pulumi:dev::web-tier::huaweicloud:Elb/listener:Listener::web-http"]);
        const sg = byName(input, "web-sg")!; // no outputs in a first preview
        expect(sg.props).toMatchObject({ name: "web-sg", description: "HTTP backends behind the shared ELB" });
        expect(byName(input, "game-0")!.props.adminPass).toBe("[secret]");
    });

    it("records source positions by URN", () => {
        const program = fs.readFileSync(path.join(__dirname, "..", "..", "examples", "web-tier", "program.ts"), "utf8").split("\n");
        const line = program.findIndex((l) => l.includes('new hw.SharedMonitor("web-check"')) + 1;
        expect(line).toBeGreaterThan(0);
        expect(input.sourcePositions.get("urn:pulumi:dev::web-tier::huaweicloud:Elb/monitor:Monitor::web-check")).toBe(`project:///examples/web-tier/program.ts#${line},5`);
    });

    it("keeps one state per URN (replacement steps repeat it) and notes hidden sames", () => {
        const urn = "urn:pulumi:dev::p::huaweicloud:Elb/pool:Pool::pool";
        const state = (name: string) => ({ urn, type: "huaweicloud:Elb/pool:Pool", outputs: { name } });
        const parsed = parseStack({
            steps: [
                { op: "replace", urn, oldState: state("old"), newState: state("new") },
                { op: "create-replacement", urn, newState: state("new") },
                { op: "delete-replaced", urn, oldState: state("old") },
            ],
            changeSummary: { replace: 1, same: 4 },
        });
        expect(parsed.resources.map((r) => propsOf(r).name)).toEqual(["new"]);
        expect(parsed.notes.join()).toMatch(/4 unchanged resource\(s\) are not in the file.*--show-sames/);
    });
});

describe("pulumi stack export", () => {
    const input = readStackFile(fixture("stack-export-broken.json"));

    it("reads deployment.resources, skipping resources pending deletion", () => {
        expect(input.format).toBe("stack-export");
        expect(input.resources).toHaveLength(26);
        const pools = input.resources.filter((r) => r.name === "web-pool");
        expect(pools).toHaveLength(1);
        expect(propsOf(pools[0]).listenerId).toBe("web-http-id");
    });

    it("puts the state's id into props.id and keeps propertyDependencies", () => {
        const lb = byName(input, "web-lb")!;
        expect(lb.props.id).toBe("web-lb-id");
        expect(lb.propertyDependencies?.vipSubnetId).toEqual(["urn:pulumi:dev::web-tier::huaweicloud:Vpc/subnet:Subnet::web-subnet"]);
    });

    it("passes encrypted and plaintext secrets through untouched (the reader treats them as unknown)", () => {
        expect(byName(input, "web-0")!.props.adminPass).toEqual({ [SIG]: SECRET_SIG, ciphertext: "v1:pw-canary-ciphertext-YmFy" });
        expect(byName(input, "web-1")!.props.adminPass).toEqual({ [SIG]: SECRET_SIG, plaintext: JSON.stringify("plaintext-canary-7f3a") });
        // A secret where the model reads a value: unknown, not decoded.
        const topology = buildTopology([
            { urn: "urn:pulumi:s::p::huaweicloud:Vpc/secgroupRule:SecgroupRule::r", type: "huaweicloud:Vpc/secgroupRule:SecgroupRule", name: "r", propertyDependencies: {}, props: { direction: "ingress", protocol: "tcp", securityGroupId: "sg-1", remoteIpPrefix: { [SIG]: SECRET_SIG, plaintext: JSON.stringify("10.0.0.0/8") } } },
        ]);
        expect(JSON.stringify(topology.securityGroupRules[0])).not.toContain("10.0.0.0/8");
    });

    it("reads a bare deployment ({manifest, resources})", () => {
        const bare = readStackFile(fixture("deployment-correct.json"));
        expect(bare.format).toBe("stack-export");
        expect(bare.resources).toHaveLength(26);
        expect(parseStack({ deployment: { manifest: {}, resources: null } }).resources).toEqual([]);
    });
});

describe("the project's plan format", () => {
    it("reads version 1 plans with their names", () => {
        const input = readStackFile(fixture("plan-correct.json"));
        expect(input.format).toBe("plan");
        expect(input.resources).toHaveLength(26);
        expect(byName(input, "web-check")!.type).toBe("huaweicloud:Elb/monitor:Monitor");
    });
});

describe("bad input: one message naming the file and what is wrong", () => {
    it("not JSON: a line and column, never the text", () => {
        const file = write("broken.json", '{\n  "steps": [\n    {"op": hunter2-secret}\n  ]\n}');
        const message = errorOf(() => readStackFile(file));
        expect(message).toMatch(new RegExp(`^${file}: not valid JSON`));
        expect(message).not.toContain("hunter2");
    });

    it("a byte-order mark is not an error", () => {
        expect(readStackFile(write("bom.json", "\uFEFF" + JSON.stringify({ version: 1, resources: [] }))).format).toBe("plan");
    });

    it("empty and whitespace-only files", () => {
        expect(errorOf(() => readStackFile(write("empty.json", "")))).toMatch(/empty\.json: the file is empty$/);
        expect(errorOf(() => readStackFile(write("blank.json", " \n\t\n")))).toMatch(/blank\.json: the file is empty$/);
    });

    it("missing file and directory", () => {
        expect(errorOf(() => readStackFile(path.join(tmp, "nope.json")))).toMatch(/nope\.json: cannot read the file \(ENOENT\)/);
        expect(errorOf(() => readStackFile(tmp))).toMatch(/not a regular file/);
    });

    it("a file over the size limit is refused before it is read", () => {
        const file = path.join(tmp, "huge.json");
        fs.writeFileSync(file, "{");
        fs.truncateSync(file, MAX_INPUT_BYTES + 1); // sparse: no disk used
        expect(errorOf(() => readStackFile(file))).toMatch(/huge\.json: the file is 512 MiB; at most 512 MiB is read/);
    });

    it.each([
        [[1, 2], /expected a JSON object .* found an array/],
        ["text", /found a string/],
        [{ hello: 1 }, /unrecognised format/],
        [{ steps: {} }, /steps: expected an array/],
        [{ steps: [3] }, /steps\[0\]: expected an object, found a number/],
        [{ steps: [{ op: "create", newState: { type: "t" } }] }, /steps\[0\]\.newState\.urn: expected a string, found undefined/],
        [{ steps: [{ op: "create", newState: { urn: "u", type: "t", outputs: [1] } }] }, /steps\[0\]\.newState\.outputs: expected an object, found an array/],
        [{ deployment: { manifest: {}, resources: {} } }, /deployment\.resources: expected an array/],
        [{ deployment: { resources: [{ urn: "u" }] } }, /deployment\.resources\[0\]\.type: expected a string/],
        [{ manifest: {}, resources: ["x"] }, /resources\[0\]: expected an object/],
        [{ version: 2, resources: [] }, /plan format 2 is not supported/],
        [{ version: 1, resources: [{ urn: "u", type: 5 }] }, /resources\[0\]\.type: expected a string, found a number/],
        [{ manifest: {}, resourcePlans: {} }, /pulumi preview --save-plan.*--show-sames/],
    ])("wrong shape %j", (data, expected) => {
        expect(errorOf(() => parseStack(data, "in.json"))).toMatch(new RegExp(`^in\\.json: .*${expected.source}`));
    });

    it("recognises a stream of engine events", () => {
        const file = write("events.json", '{"sequence":0,"timestamp":1,"preludeEvent":{"config":{}}}\n{"sequence":1,"timestamp":1,"summaryEvent":{}}\n');
        expect(errorOf(() => readStackFile(file))).toMatch(/stream of engine events/);
    });
});
