/**
 * The examples on the policy pages are run, not just shown. example-stack.json is the README's
 * example stack as data, and examples.json holds each page's failing and fixed change as patches
 * (same format as the policy fixtures). Four checks:
 * - the example stack passes every policy;
 * - each failing change produces every message line that the page quotes under "Failing example";
 * - each fixed change passes its policy;
 * - both are tried with IDs known (an update) and unknown (a first preview).
 * If a message's wording changes, this test names the page that needs the new text.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { catalogue } from "../../policies";
import { buildTopology } from "../../src/model/build";
import type { PolicyDefinition } from "../../src/policy/definition";
import { evaluatePolicy, ReachCache } from "../../src/policy/evaluate";
import { applyPatches, render, type Mode, type Patch, type StackResource } from "../support/fixture-stack";

const HERE = __dirname;
const DOCS = path.join(HERE, "..", "..", "docs", "policies");
const TODAY = "2026-11-24";
const MODES: Mode[] = ["known", "unknown"];

const stack = (JSON.parse(fs.readFileSync(path.join(HERE, "example-stack.json"), "utf8")) as { resources: StackResource[] }).resources;
const examples = (JSON.parse(fs.readFileSync(path.join(HERE, "examples.json"), "utf8")) as { examples: Record<string, { failing: Patch[]; fixed: Patch[] }> }).examples;

/** Every line of every finding of `def`, as CrossGuard shows it (the ID prefixes the first line). */
function messageLines(def: PolicyDefinition, patches: Patch[], mode: Mode): string[] {
    const topology = buildTopology(render(applyPatches(stack, patches), mode).raw);
    return evaluatePolicy(def, topology, { today: TODAY, cache: new ReachCache() }).flatMap((f) => `[${def.id}] ${f.message}`.split("\n"));
}

/** The lines of the first ```text block under "## Failing example". */
function quotedLines(page: string): string[] {
    const section = page.split(/^## /m).find((s) => s.startsWith("Failing example"));
    const block = section && /```text\n([\s\S]*?)```/.exec(section);
    return block ? block[1].split("\n").filter((l) => l.trim() !== "") : [];
}

describe("docs example stack", () => {
    it.each(MODES)("passes every policy (IDs %s)", (mode) => {
        for (const def of catalogue) expect(messageLines(def, [], mode), def.name).toEqual([]);
    });
});

describe.each(catalogue.map((d) => [d.name, d] as const))("docs examples: %s", (name, def) => {
    const example = examples[name];

    it("has a failing and a fixed example", () => {
        expect(example, `examples.json has no entry for ${name}`).toBeDefined();
        expect(example.failing.length).toBeGreaterThan(0);
    });

    it("the failing example produces the message lines the page quotes", () => {
        const quoted = quotedLines(fs.readFileSync(path.join(DOCS, `${name}.md`), "utf8"));
        expect(quoted.length, `a \`\`\`text block under "Failing example" in ${name}.md`).toBeGreaterThan(0);
        const actual = messageLines(def, example.failing, "known");
        for (const line of quoted) expect(actual, `${name}.md quotes a line the policy does not produce`).toContain(line);
    });

    it.each(MODES)("the failing example fails, the fixed one passes (IDs %s)", (mode) => {
        expect(messageLines(def, example.failing, mode).length).toBeGreaterThan(0);
        expect(messageLines(def, example.fixed, mode)).toEqual([]);
    });
});
