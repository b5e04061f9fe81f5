/**
 * `npm run bench`: our pack against an empty baseline pack (bench/baseline-pack), both driven
 * through the analyzer host exactly as the engine drives them, on synthetic stacks of 1k, 10k and
 * 50k resources. Reports medians and the ratios ours/baseline measured in the same run; writes
 * bench/RESULTS.md and bench/results.json. `--small` (CI): 1k resources, one run each.
 * At 10k it also measures the alternative the pack chose against: the SDK running the nine stack
 * policies one by one (ELB_HEALTH_NO_ONE_PASS=1), each deserializing the stack.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AnalyzerSession, runPack, type AnalysisResult } from "../src/host/analyzer-host";
import { generatePlan } from "./generate";

const ROOT = path.resolve(__dirname, "..", "..");
const BASELINE = path.join(ROOT, "bench", "baseline-pack");
const small = process.argv.includes("--small");
const sizes = small ? [1000] : [1000, 10_000, 50_000];
const runsFor = (n: number) => (small ? 1 : n >= 50_000 ? 1 : 3);

interface Sample {
    startMs: number;
    analyzeMs: number;
    analyzeStackMs: number;
    totalMs: number;
    peakRssMb: number;
    findings: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(packDir: string, n: number, runs: number, env: Record<string, string> = {}): Promise<Sample> {
    const plan = generatePlan(n);
    const samples: Sample[] = [];
    for (let i = 0; i < runs; i++) {
        const r: AnalysisResult = await runPack({ packDir, plan, env, timeoutMs: 120_000 });
        samples.push({ ...r.timings, peakRssMb: (r.peakRssBytes ?? 0) / 2 ** 20, findings: r.diagnostics.length });
    }
    const pick = (k: keyof Sample) => median(samples.map((s) => s[k]));
    return { startMs: pick("startMs"), analyzeMs: pick("analyzeMs"), analyzeStackMs: pick("analyzeStackMs"), totalMs: pick("totalMs"), peakRssMb: pick("peakRssMb"), findings: pick("findings") };
}

/**
 * Start-up alone, the packs started in turn so that drift on the machine hits both alike: median of
 * each, and the median of the paired differences (ours − baseline).
 */
async function measureStart(pairs: number): Promise<{ ours: number; baseline: number; difference: number; pairs: number }> {
    const startOnce = async (packDir: string) => {
        const session = await AnalyzerSession.start({ packDir, project: "bench", stack: "dev", dryRun: true });
        await session.stop();
        return session.startMs;
    };
    const ours: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < pairs; i++) {
        baseline.push(await startOnce(BASELINE));
        ours.push(await startOnce(ROOT));
    }
    return { ours: median(ours), baseline: median(baseline), difference: median(ours.map((o, i) => o - baseline[i])), pairs };
}

async function main() {
    process.stderr.write("start-up, packs started in turn...\n");
    const start = await measureStart(small ? 3 : 11);
    const rows: { size: number; actual: number; ours: Sample; baseline: Sample; alternatives: { label: string; sample: Sample }[] }[] = [];
    for (const size of sizes) {
        const runs = runsFor(size);
        const actual = generatePlan(size).resources.length;
        process.stderr.write(`size ${size} (${actual} resources), ${runs} run(s) each...\n`);
        const baseline = await measure(BASELINE, size, runs);
        const ours = await measure(ROOT, size, runs);
        const alternatives = [];
        if (size === 10_000) {
            alternatives.push({ label: "ours, one by one, each deserializing the stack", sample: await measure(ROOT, size, runs, { ELB_HEALTH_NO_ONE_PASS: "1" }) });
        }
        rows.push({ size, actual, ours, baseline, alternatives });
    }
    const f = (x: number, d = 0) => x.toFixed(d);
    const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : "-");
    const lines = [
        "# Benchmark results",
        "",
        `Command: \`npm run bench${small ? ":ci" : ""}\` (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} cores). Times are medians in ms; "baseline" is bench/baseline-pack (one no-op resource policy, one no-op stack policy), measured in the same run.`,
        "",
        "| resources | pack | start | Analyze (all resources) | AnalyzeStack | end to end | peak RSS MB | diagnostics |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ];
    for (const r of rows) {
        lines.push(`| ${r.actual} | baseline | ${f(r.baseline.startMs)} | ${f(r.baseline.analyzeMs)} | ${f(r.baseline.analyzeStackMs)} | ${f(r.baseline.totalMs)} | ${f(r.baseline.peakRssMb)} | ${r.baseline.findings} |`);
        lines.push(`| ${r.actual} | ours | ${f(r.ours.startMs)} | ${f(r.ours.analyzeMs)} | ${f(r.ours.analyzeStackMs)} | ${f(r.ours.totalMs)} | ${f(r.ours.peakRssMb)} | ${r.ours.findings} |`);
        for (const a of r.alternatives) lines.push(`| ${r.actual} | ${a.label} | ${f(a.sample.startMs)} | ${f(a.sample.analyzeMs)} | ${f(a.sample.analyzeStackMs)} | ${f(a.sample.totalMs)} | ${f(a.sample.peakRssMb)} | ${a.sample.findings} |`);
    }
    lines.push("", "| resources | start ours−baseline ms | Analyze ratio | AnalyzeStack ratio | end-to-end ratio | peak RSS ratio |", "|---:|---:|---:|---:|---:|---:|");
    for (const r of rows) {
        lines.push(`| ${r.actual} | ${f(r.ours.startMs - r.baseline.startMs)} | ${ratio(r.ours.analyzeMs, r.baseline.analyzeMs)} | ${ratio(r.ours.analyzeStackMs, r.baseline.analyzeStackMs)} | ${ratio(r.ours.totalMs, r.baseline.totalMs)} | ${ratio(r.ours.peakRssMb, r.baseline.peakRssMb)} |`);
    }
    const big = rows.find((r) => r.size === 50_000);
    const ten = rows.find((r) => r.size === 10_000);
    if (big && ten) lines.push("", `Scaling, ours: AnalyzeStack 50k/10k = ${ratio(big.ours.analyzeStackMs, ten.ours.analyzeStackMs)}, end to end 50k/10k = ${ratio(big.ours.totalMs, ten.ours.totalMs)} (resources ×${(big.actual / ten.actual).toFixed(1)}).`);
    lines.push("", `Start-up alone (${start.pairs} starts of each, in turn): baseline ${f(start.baseline)} ms, ours ${f(start.ours)} ms; ours − baseline, median of the paired differences: ${f(start.difference)} ms. The start column above is one start per run, so it carries the machine's noise.`);
    const md = lines.join("\n") + "\n";
    const out = small ? path.join(ROOT, "bench", "out") : path.join(ROOT, "bench");
    fs.mkdirSync(out, { recursive: true });
    // The "Real engine" section comes from bench/real-engine.sh: keep it.
    const target = path.join(out, small ? "RESULTS-small.md" : "RESULTS.md");
    const previous = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : "";
    const realEngine = previous.indexOf("\n## Real engine");
    fs.writeFileSync(target, realEngine < 0 ? md : md + previous.slice(realEngine));
    fs.writeFileSync(path.join(out, small ? "results-small.json" : "results.json"), JSON.stringify({ start, rows }, null, 2) + "\n");
    process.stdout.write(md);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
