/**
 * The example program under the real Pulumi CLI (scripts/pulumi-cli.sh), with this repository as
 * `--policy-pack`: exit codes and the Policies block, compared with what `npm run demo` reports
 * for the same program.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, Workspace } from "./engine";
import { packHeaders, policiesBlock, sortViolations, type Violation } from "./policies-block";

const CLI = path.join(ROOT, "dist", "cli.js");

/** The (policy, resource, level) multiset `elb-health demo` prints for a variant. */
function demoViolations(variant: "broken" | "correct"): Violation[] {
    const r = spawnSync(process.execPath, [CLI, "demo", "--variant", variant, "--no-color"], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const out: Violation[] = [];
    for (const line of r.stdout.split("\n")) {
        const m = /^ {4}\[(mandatory|advisory)\] {2}\S+ v\S+ {2}(\S+) \(([^:]+): [^)]+\)$/.exec(line);
        if (m) out.push({ level: m[1], policy: m[2], resource: m[3] });
    }
    return sortViolations(out);
}

describe("pulumi preview --policy-pack <repo> on the example program", () => {
    let broken: Workspace;
    let correct: Workspace;
    beforeAll(async () => {
        [broken, correct] = await Promise.all([Workspace.create({ config: { variant: "broken" } }), Workspace.create({ config: { variant: "correct" } })]);
    });
    afterAll(() => {
        broken?.remove();
        correct?.remove();
    });

    it("broken variant: exits non-zero, and the Policies block names exactly what the demo reports", async () => {
        const r = await broken.preview(["--policy-pack", ROOT]);
        expect(r.code, r.stdout + r.stderr).toBe(1);
        expect(packHeaders(r.stdout)).toEqual([`❌ huaweicloud-elb-health@v0.1.0 (local: ${ROOT})`]);
        const engine = policiesBlock(r.stdout);
        const demo = demoViolations("broken");
        expect(demo.filter((v) => v.level === "mandatory")).toHaveLength(9);
        expect(demo.filter((v) => v.level === "advisory")).toHaveLength(3);
        expect(engine).toEqual(demo);
    });

    it("correct variant: exits 0 with no violation, as the demo", async () => {
        const r = await correct.preview(["--policy-pack", ROOT]);
        expect(r.code, r.stdout + r.stderr).toBe(0);
        expect(policiesBlock(r.stdout)).toEqual([]);
        expect(packHeaders(r.stdout)).toEqual([`✅ huaweicloud-elb-health@v0.1.0 (local: ${ROOT})`]);
        expect(demoViolations("correct")).toEqual([]);
    });
});
