/**
 * The benchmark in its CI size (1k resources, one run per pack): it must run end to end and write
 * its report. Times are printed, never asserted (budgets are judged from bench/RESULTS.md).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..", "..");

describe("benchmark, small mode", () => {
    it("runs ours and the baseline pack and reports the ratios", () => {
        const out = execFileSync(process.execPath, [path.join(ROOT, "dist", "bench", "run.js"), "--small"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
        console.log(out);
        const report = fs.readFileSync(path.join(ROOT, "bench", "out", "RESULTS-small.md"), "utf8");
        expect(report).toMatch(/\| \d+ \| baseline \|/);
        expect(report).toMatch(/\| \d+ \| ours \|/);
        expect(report).toContain("AnalyzeStack ratio");
        expect(report).toMatch(/Start-up alone \(3 starts of each, in turn\): baseline \d+ ms, ours \d+ ms/);
    });
});
