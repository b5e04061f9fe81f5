/**
 * The reachability core returns data, never sentences: every string literal and template of
 * src/reach is read with the compiler and none may hold English prose (three or more words); the
 * words are written in src/policy (reach-text.ts, explain.ts). The few exceptions are listed with
 * why. The detector is also run on made-up sources, so it can fail.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..", "..");
const REACH = "src/reach";

/** Literals allowed in src/reach, by file and text, with why. */
const ALLOWED: { file: string; text: string; why: string }[] = [
    { file: "src/reach/types.ts", text: "bad built-in CIDR", why: "a programming error (a constant of the code does not parse), thrown, never shown for a stack" },
    { file: "src/reach/types.ts", text: "ICMP for UDP health checks", why: "a value of FlowPurpose: an enum the JSON report carries as data" },
    { file: "src/reach/flows.ts", text: "ICMP for UDP health checks", why: "a value of FlowPurpose: an enum the JSON report carries as data" },
];

/** A word: letters, maybe with inner hyphens or apostrophes, maybe followed by punctuation. */
const WORD = /^[A-Za-z][A-Za-z'’-]*[A-Za-z][,.:;!?)]*$|^[A-Za-z][,.:;]?$/;
export const wordCount = (text: string): number => text.split(/[\s(]+/).filter((w) => WORD.test(w)).length;

export interface Prose {
    file: string;
    line: number;
    text: string;
}

/** String literals and templates (their literal parts, joined) of a source with three or more words. */
export function proseIn(file: string, source: string): Prose[] {
    const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
    const out: Prose[] = [];
    const visit = (node: ts.Node): void => {
        if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
        let text: string | undefined;
        if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
        else if (ts.isTemplateExpression(node)) text = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(" ").replace(/\s+/g, " ").trim();
        if (text !== undefined && wordCount(text) >= 3) out.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1, text });
        ts.forEachChild(node, visit);
    };
    visit(sf);
    return out;
}

function reachFiles(): string[] {
    return fs
        .readdirSync(path.join(ROOT, REACH), { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
        .map((f) => path.posix.join(REACH, f.split(path.sep).join("/")));
}

describe("no English inside the reachability core", () => {
    it("src/reach has no string literal or template with three or more words (besides the listed exceptions)", () => {
        const files = reachFiles();
        expect(files.length).toBeGreaterThanOrEqual(10);
        const found = files.flatMap((f) => proseIn(f, fs.readFileSync(path.join(ROOT, f), "utf8")));
        const unexpected = found.filter((p) => !ALLOWED.some((a) => a.file === p.file && a.text === p.text));
        expect(unexpected.map((p) => `${p.file}:${p.line}: ${JSON.stringify(p.text)}`)).toEqual([]);
        // Every exception is still needed.
        const stale = ALLOWED.filter((a) => !found.some((p) => a.file === p.file && a.text === p.text));
        expect(stale).toEqual([]);
    });

    it("the detector finds prose in literals and templates, and leaves codes, keys and short labels alone", () => {
        const sample = [
            'const a = "the member port is not set";',
            "const b = `the security group at ${path} is not in this stack`;",
            "const c = `rule ${i + 1} '${label}'`;",
            'const d = { code: "acl-rules-unknown", kind: "security-group", purpose: "health-check port" };',
            "const e = `${a}/${b}#${c}`;",
            'import { x } from "../some/long path with words";',
            "// a comment with many words is not a literal",
            'throw new Error(`cannot parse ${t} as a CIDR`);',
        ].join("\n");
        expect(proseIn("sample.ts", sample).map((p) => [p.line, p.text])).toEqual([
            [1, "the member port is not set"],
            [2, "the security group at is not in this stack"],
            [8, "cannot parse as a CIDR"],
        ]);
    });
});
