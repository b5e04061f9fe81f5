/**
 * Docs stay in step with the catalogue: every policy has docs/policies/<name>.md (the URL the pack
 * publishes) naming its ID and name, with a metadata line that matches the code; the catalogue
 * README lists and links every policy in catalogue order; and every --policy-pack-config example
 * uses only keys the policy it configures accepts. Iterates the catalogue, so a new policy
 * needs a page, not an edit here.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { catalogue } from "../../policies";
import { docsPath } from "../../src/policy/definition";
import { configSchema } from "../../src/policy/settings";

const ROOT = path.join(__dirname, "..", "..");
const DOCS = path.join(ROOT, "docs", "policies");
const README = path.join(DOCS, "README.md");

const read = (file: string) => fs.readFileSync(file, "utf8");
const pageOf = (name: string) => path.join(DOCS, `${name}.md`);

/** The ```json blocks of a markdown text, parsed. */
function jsonBlocks(markdown: string): unknown[] {
    return [...markdown.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]));
}

/** Keys in a config entry that the named policy does not accept ([] when all are fine). */
function unknownKeys(policyName: string, entry: unknown): string[] {
    const def = catalogue.find((d) => d.name === policyName);
    if (!def || typeof entry !== "object" || entry === null) return [];
    const allowed = new Set([...Object.keys(configSchema(def.settings).properties), "enforcementLevel"]);
    return Object.keys(entry).filter((k) => !allowed.has(k));
}

describe("policy docs", () => {
    it("the catalogue is not empty and names are unique", () => {
        expect(catalogue.length).toBeGreaterThan(0);
        expect(new Set(catalogue.map((d) => d.name)).size).toBe(catalogue.length);
        expect(new Set(catalogue.map((d) => d.id)).size).toBe(catalogue.length);
    });

    describe.each(catalogue.map((d) => [d.name, d] as const))("%s", (name, def) => {
        it("has a page where the pack's URL points", () => {
            expect(docsPath(def)).toBe(`docs/policies/${name}.md`);
            expect(fs.existsSync(path.join(ROOT, docsPath(def))), `missing ${docsPath(def)}`).toBe(true);
        });

        it("names its ID and name in the title and mentions both", () => {
            const page = read(pageOf(name));
            expect(page).toContain(def.id);
            expect(page).toContain(name);
            const title = page.split("\n").find((l) => l.startsWith("# "));
            expect(title).toBeDefined();
            expect(title).toContain(def.id);
            expect(title).toContain(name);
        });

        it("has a metadata line matching the code (ID, default level, severity)", () => {
            const page = read(pageOf(name));
            const line = page.split("\n").find((l) => l.startsWith("**ID**"));
            expect(line, "metadata line starting with **ID**").toBeDefined();
            expect(line).toContain(`\`${def.id}\``);
            expect(line).toMatch(new RegExp(`\\*\\*Default level\\*\\* ${def.defaultLevel}\\b`));
            expect(line).toMatch(new RegExp(`\\*\\*Severity\\*\\* ${def.severity}\\b`));
            for (const s of def.settings) expect(line).toContain(`\`${s}\``);
        });

        it("has the standard sections", () => {
            const page = read(pageOf(name));
            for (const heading of ["What it checks", "Why health checks fail", "Failing example", "Fixed example", "Configuration", "Limits and assumptions"]) {
                expect(page).toContain(`## ${heading}`);
            }
        });

        it("links only to pages that exist", () => {
            for (const [, target] of read(pageOf(name)).matchAll(/\]\(([^)#:]+\.md)(?:#[^)]*)?\)/g)) {
                expect(fs.existsSync(path.join(DOCS, target)), target).toBe(true);
            }
        });

        it("configures itself in its config example, with only keys it accepts", () => {
            const blocks = jsonBlocks(read(pageOf(name))) as Record<string, unknown>[];
            const own = blocks.filter((b) => b && typeof b === "object" && name in b);
            expect(own.length, "a --policy-pack-config example for this policy").toBeGreaterThan(0);
            for (const block of blocks) {
                for (const [policy, entry] of Object.entries(block)) expect(unknownKeys(policy, entry), `${policy} in ${name}.md`).toEqual([]);
            }
        });
    });
});

describe("catalogue README", () => {
    const readme = read(README);

    it("lists and links every policy with its ID, level and severity, in catalogue order", () => {
        const rows = readme.split("\n").filter((l) => /^\| HWELB-\d{3} \|/.test(l));
        for (const def of catalogue) {
            const row = rows.find((r) => r.includes(`[${def.name}](${def.name}.md)`));
            expect(row, `README row for ${def.name}`).toBeDefined();
            const cells = row!.split("|").map((c) => c.trim());
            expect(cells[1]).toBe(def.id);
            expect(cells[3]).toBe(def.defaultLevel);
            expect(cells[4]).toBe(def.severity);
        }
        const listed = rows.map((r) => r.split("|")[1].trim()).filter((id) => catalogue.some((d) => d.id === id));
        expect(listed).toEqual(catalogue.map((d) => d.id));
    });

    it("links only to pages that exist", () => {
        for (const [, target] of readme.matchAll(/\]\(([^)#:]+\.md)(?:#[^)]*)?\)/g)) {
            expect(fs.existsSync(path.join(DOCS, target)), target).toBe(true);
        }
    });

    it("uses only accepted keys in its config examples", () => {
        for (const block of jsonBlocks(readme) as Record<string, unknown>[]) {
            for (const [policy, entry] of Object.entries(block)) expect(unknownKeys(policy, entry), policy).toEqual([]);
        }
    });
});

describe("references", () => {
    const refs = read(path.join(ROOT, "docs", "references.md"));
    const pages = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? pages(path.join(dir, e.name)) : e.name.endsWith(".md") ? [path.join(dir, e.name)] : []));
    const cited = pages(path.join(ROOT, "docs"))
        .filter((f) => !f.endsWith("references.md"))
        .flatMap((f) => [...read(f).matchAll(/§(\d+(?:\.\d+)?)|open points? (\d+)/g)].map((m) => ({ file: path.relative(ROOT, f), section: m[1], point: m[2] })));

    it("the docs cite sections and open points", () => {
        expect(cited.filter((c) => c.section).length).toBeGreaterThan(30);
        expect(cited.filter((c) => c.point).length).toBeGreaterThan(5);
    });

    it("every § and open point cited under docs/ is listed in docs/references.md", () => {
        const missing = cited.filter((c) => (c.section ? !refs.includes(`<a id="s${c.section.replace(".", "-")}"></a>**§${c.section}**`) : !refs.includes(`<a id="open-point-${c.point}"></a>`)));
        expect(missing).toEqual([]);
    });

    it("names no document by an address (none was checked), and every source it uses is defined", () => {
        expect(refs).not.toMatch(/https?:\/\//);
        const sources = new Set([...refs.matchAll(/^- \*\*([A-Za-z0-9.-]+)\*\*:/gm)].map((m) => m[1]));
        const used = [...refs.matchAll(/Sources: ([^\n]*)\./g)].flatMap((m) => m[1].split(", ")).filter((u) => !u.startsWith("compiled") && !u.startsWith("the Huawei"));
        expect(used.filter((u) => !sources.has(u))).toEqual([]);
    });
});

