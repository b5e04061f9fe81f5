/**
 * The layers run one way (README: request → model → reach → findings → adapters): every import
 * of the shipped TypeScript is read with the compiler's own pre-processor and checked against
 * the rules below. Each rule is also run on a made-up graph that breaks it, so it can fail.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..", "..");

interface Edge {
    from: string;
    to: string;
}

function tsFiles(dir: string): string[] {
    const out: string[] = [];
    for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
        const rel = path.posix.join(dir, e.name);
        if (e.isDirectory()) out.push(...tsFiles(rel));
        else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) out.push(rel);
    }
    return out;
}

/** Repository-relative file → the repository-relative files it imports (static, dynamic and require). */
function importEdges(files: readonly string[]): Edge[] {
    const edges: Edge[] = [];
    for (const file of files) {
        const info = ts.preProcessFile(fs.readFileSync(path.join(ROOT, file), "utf8"), true, true);
        for (const ref of info.importedFiles) {
            if (!ref.fileName.startsWith(".")) continue;
            edges.push({ from: file, to: resolve(path.posix.join(path.posix.dirname(file), ref.fileName)) });
        }
    }
    return edges;
}

function resolve(spec: string): string {
    for (const candidate of [`${spec}.ts`, `${spec}/index.ts`, spec]) if (fs.existsSync(path.join(ROOT, candidate))) return path.posix.normalize(candidate);
    throw new Error(`cannot resolve import ${spec}`);
}

/** The layer a file belongs to: src/<folder>, or the top folder, or "root" for index.ts, lib.ts, cli.ts. */
export function folderOf(file: string): string {
    const parts = file.split("/");
    if (parts.length === 1) return "root";
    return parts[0] === "src" ? `src/${parts[1]}` : parts[0];
}

/** Cycles between folders, each as a path a → b → ... → a. */
export function folderCycles(edges: readonly Edge[]): string[][] {
    return cycles(edges.map((e) => ({ from: folderOf(e.from), to: folderOf(e.to) })));
}

/** Cycles in a directed graph (self-loops ignored), each as a path a → b → ... → a. */
export function cycles(edges: readonly Edge[]): string[][] {
    const graph = new Map<string, Set<string>>();
    for (const { from: a, to: b } of edges) {
        if (a === b) continue;
        if (!graph.has(a)) graph.set(a, new Set());
        graph.get(a)!.add(b);
    }
    const found: string[][] = [];
    const state = new Map<string, "open" | "done">();
    const stack: string[] = [];
    const visit = (n: string) => {
        state.set(n, "open");
        stack.push(n);
        for (const m of graph.get(n) ?? []) {
            if (state.get(m) === "open") found.push([...stack.slice(stack.indexOf(m)), m]);
            else if (!state.has(m)) visit(m);
        }
        stack.pop();
        state.set(n, "done");
    };
    for (const n of [...graph.keys()].sort()) if (!state.has(n)) visit(n);
    return found;
}

/** Imports from src/ upward into the catalogue or an entry point: the catalogue is passed in. */
export function upwardImports(edges: readonly Edge[]): Edge[] {
    return edges.filter((e) => e.from.startsWith("src/") && (e.to.startsWith("policies/") || folderOf(e.to) === "root"));
}

/** The demo (src/cli/demo.ts and the preview block it prints) is the one place report/CLI code runs the analyzer host. */
const DEMO = new Set(["src/cli/demo.ts", "src/cli/preview.ts"]);

export function hostImports(edges: readonly Edge[]): Edge[] {
    return edges.filter((e) => (e.from.startsWith("src/report/") || e.from.startsWith("src/cli/")) && e.to.startsWith("src/host/") && !DEMO.has(e.from));
}

const shipped = ["index.ts", "lib.ts", "cli.ts", ...tsFiles("src"), ...tsFiles("policies"), ...tsFiles("examples")];
const edges = importEdges(shipped);
const show = (es: readonly Edge[]) => es.map((e) => `${e.from} → ${e.to}`);

describe("layers", () => {
    it("reads the imports of every shipped file", () => {
        expect(shipped.length).toBeGreaterThan(50);
        expect(edges).toContainEqual({ from: "cli.ts", to: "policies/index.ts" });
        expect(edges).toContainEqual({ from: "src/cli/demo.ts", to: "src/host/analyzer-host.ts" });
    });

    it("nothing under src/ imports policies/ or an entry point", () => {
        expect(show(upwardImports(edges))).toEqual([]);
    });

    it("src/report and src/cli import src/host only to run the demo", () => {
        expect(show(hostImports(edges))).toEqual([]);
    });

    it("no cycle between folders", () => {
        expect(folderCycles(edges)).toEqual([]);
    });

    it("no cycle between files (type-only imports included)", () => {
        expect(cycles(edges)).toEqual([]);
    });

    it("the reachability core and the model do not import @pulumi/policy", () => {
        const sdk = shipped
            .filter((f) => /^src\/(reach|model|net)\//.test(f))
            .filter((f) => ts.preProcessFile(fs.readFileSync(path.join(ROOT, f), "utf8"), true, true).importedFiles.some((r) => r.fileName.startsWith("@pulumi/policy")));
        expect(sdk).toEqual([]);
    });

    it("every package imported by shipped code, tests, bench or scripts is declared in package.json", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
        const declared = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)]);
        const runtime = new Set(Object.keys(pkg.dependencies));
        const files = [...shipped, ...tsFiles("test"), ...tsFiles("bench")];
        const undeclared: string[] = [];
        for (const f of files) {
            for (const r of ts.preProcessFile(fs.readFileSync(path.join(ROOT, f), "utf8"), true, true).importedFiles) {
                if (r.fileName.startsWith(".") || r.fileName.startsWith("node:")) continue;
                const parts = r.fileName.split("/");
                const name = r.fileName.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
                // Type-only packages come from @types/<name>.
                const known = declared.has(name) || declared.has(`@types/${name}`);
                // Shipped code may use runtime dependencies only (types excepted).
                const shippedOk = !shipped.includes(f) || runtime.has(name) || declared.has(`@types/${name}`);
                if (!known || !shippedOk) undeclared.push(`${f}: ${name}`);
            }
        }
        expect(undeclared).toEqual([]);
    });

    it("each rule fails on a graph that breaks it", () => {
        const bad: Edge[] = [
            { from: "src/report/findings.ts", to: "policies/index.ts" },
            { from: "src/report/run-policies.ts", to: "src/host/analyzer-host.ts" },
            { from: "src/policy/definition.ts", to: "src/report/findings.ts" },
            { from: "src/crossguard/one-pass.ts", to: "lib.ts" },
        ];
        expect(show(upwardImports(bad))).toEqual(["src/report/findings.ts → policies/index.ts", "src/crossguard/one-pass.ts → lib.ts"]);
        expect(show(hostImports(bad))).toEqual(["src/report/run-policies.ts → src/host/analyzer-host.ts"]);
        expect(show(hostImports([{ from: "src/cli/demo.ts", to: "src/host/capture.ts" }]))).toEqual([]);
        expect(folderCycles([...bad, { from: "src/report/formats.ts", to: "src/policy/definition.ts" }])).toEqual([["src/policy", "src/report", "src/policy"]]);
        expect(folderCycles([{ from: "src/model/build.ts", to: "src/model/types.ts" }])).toEqual([]);
    });
});
