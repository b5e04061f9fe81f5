/** Three renderings of the one report shape (findings.ts): text grouped by resource, JSON, SARIF 2.1.0. */
import { createHash } from "node:crypto";
import * as path from "node:path";
import type { Fix, Log, PhysicalLocation, ReportingDescriptor, Result } from "sarif";
import { mergeOperations } from "../fix/operations";
import { fixCode, type FixLanguage } from "../fix/snippets";
import { docsReference, docsUrl, type PolicyDefinition } from "../policy/definition";
import { packageDocsLinks } from "../policy/package";
import type { ReportedFinding } from "../policy/evaluate";
import { paint } from "./colour";
import { summarize, toEntries, type ReportEntry, type Summary } from "./findings";
import { PACK_NAME, packageVersion } from "./package-info";

export { summarize, type Summary };
export type OutputFormat = "text" | "json" | "sarif";
export const OUTPUT_FORMATS: readonly OutputFormat[] = ["text", "json", "sarif"];

/** Messages already say what to change, so the text shows them alone. `colour`: true, false, or the stream the text goes to (coloured when it is a terminal and NO_COLOR is unset). */
export function toText(findings: readonly ReportedFinding[], summary: Summary, colour: boolean | NodeJS.WritableStream, definitions: readonly PolicyDefinition[], fixLanguage: FixLanguage = "typescript"): string {
    const c = paint(colour);
    const lines: string[] = [];
    let urn: string | undefined;
    for (const e of toEntries(findings, definitions)) {
        if (e.urn !== urn) {
            if (urn !== undefined) lines.push("");
            urn = e.urn;
            lines.push(c.bold(e.resource.name) + (e.resource.type ? `  ${e.resource.type}` : ""));
            if (e.urn) lines.push(c.dim(`  ${e.urn}`));
        }
        const level = e.level === "mandatory" ? c.red("[mandatory]") : c.yellow("[advisory]");
        lines.push(`  ${level} ${e.id} ${e.policy} (${e.severity} severity)`);
        for (const l of e.message.split("\n")) lines.push(`    ${l}`);
        const code = fixCode(e.fixes, fixLanguage);
        if (code !== "") {
            lines.push(`    Code to paste (Pulumi ${fixLanguage === "yaml" ? "YAML" : "TypeScript"}):`);
            for (const l of code.split("\n")) lines.push(c.dim(`      ${l}`));
        }
    }
    if (lines.length > 0) lines.push("");
    const mandatory = `${summary.mandatory} mandatory`;
    const exempted = summary.exempted > 0 ? ` (${summary.exempted} exempted)` : "";
    lines.push(
        `${summary.mandatory > 0 ? c.red(mandatory) : c.green(mandatory)}, ${summary.advisory} advisory${exempted} finding(s) in ${summary.resources} resource(s)` +
            (summary.mandatory > 0 ? ": the deployment would be blocked." : "."),
    );
    return lines.join("\n") + "\n";
}

/** `fixes` at the top: every finding's operations, each once (apply them all with `elb-health fix`). */
export function toJson(findings: readonly ReportedFinding[], summary: Summary, definitions: readonly PolicyDefinition[]): string {
    const entries = toEntries(findings, definitions);
    return JSON.stringify({ tool: PACK_NAME, version: packageVersion(), findings: entries, fixes: mergeOperations(entries.map((e) => e.fixes)), summary }, null, 2) + "\n";
}

export interface SarifOptions {
    /** Source positions by URN ("project:///index.ts#12,5"), from the input file. */
    sourcePositions?: ReadonlyMap<string, string>;
    /**
     * Repository-relative folder of the Pulumi project. When set, every result gets a physical
     * location (its source position, else the project's Pulumi.yaml), which GitHub code scanning
     * needs to show a result; when unset, only results with a source position get one.
     */
    sourceRoot?: string;
    /** Rules to describe: the policies that ran. */
    definitions: readonly PolicyDefinition[];
}

export function toSarif(findings: readonly ReportedFinding[], opts: SarifOptions): string {
    const definitions = opts.definitions;
    const rules = definitions.map((d): ReportingDescriptor => ({
        id: d.id,
        name: d.name,
        shortDescription: { text: d.displayName },
        fullDescription: { text: d.description },
        help: { text: d.remediation, markdown: `${d.remediation}\n\n${sarifDocsLink(d)}` },
        ...(docsUrl(d) ? { helpUri: docsUrl(d) } : {}),
        defaultConfiguration: { level: d.defaultLevel === "mandatory" ? "error" : "warning" },
        properties: { tags: ["huaweicloud", "elb", "health-check", "pulumi"], precision: "high", "problem.severity": d.defaultLevel === "mandatory" ? "error" : "warning", severity: d.severity },
    }));
    const ruleIndex = new Map(definitions.map((d, i) => [d.id, i]));
    const results = toEntries(findings, definitions).map((e): Result => {
        const position = opts.sourcePositions?.get(e.urn);
        const physical = physicalLocation(position, opts.sourceRoot);
        const fixes = sarifFixes(e, position ? physical : undefined);
        return {
            ruleId: e.id,
            ...(ruleIndex.has(e.id) ? { ruleIndex: ruleIndex.get(e.id) } : {}),
            level: e.level === "mandatory" ? "error" : "warning",
            message: { text: e.message },
            locations: [{ ...(physical ? { physicalLocation: physical } : {}), logicalLocations: [{ fullyQualifiedName: e.urn || "(stack)", name: e.resource.name, kind: "resource" }] }],
            partialFingerprints: { "elbHealthFinding/v1": fingerprint(e) },
            ...(e.exemption ? { suppressions: [{ kind: "external", status: "accepted", justification: e.exemption.reason ?? `exempted by ${e.exemption.by}` }] } : {}),
            ...(fixes ? { fixes } : {}),
            properties: { policy: e.policy, severity: e.severity, verdict: e.verdict, witness: e.witness, fix: e.fix, fixOperations: e.fixes, explanation: e.explanation, exemption: e.exemption },
        };
    });
    const log: Log = {
        $schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [
            {
                tool: { driver: { name: PACK_NAME, version: packageVersion(), semanticVersion: packageVersion(), ...(packageDocsLinks().information ? { informationUri: packageDocsLinks().information } : {}), rules } },
                invocations: [{ executionSuccessful: true }],
                results,
            },
        ],
    };
    return JSON.stringify(log, null, 2) + "\n";
}

/**
 * SARIF `fixes` for a finding whose source position is known in a TypeScript or JavaScript program and
 * whose operations all add resources that do not refer to the finding's resource: the TypeScript
 * inserted before the line of the finding's resource (the new rules refer to resources declared
 * earlier, as the member refers to its server).
 */
function sarifFixes(e: ReportEntry, at: PhysicalLocation | undefined): Fix[] | undefined {
    if (!at?.region?.startLine || !/\.(ts|js|mts|cts|mjs|cjs)$/.test(at.artifactLocation?.uri ?? "")) return undefined;
    if (e.fixes.length === 0 || !e.fixes.every((op) => op.op === "add-resource")) return undefined;
    // Code inserted before the resource cannot refer to it (a new listener naming the pool as its default pool).
    if (e.fixes.some((op) => op.op === "add-resource" && JSON.stringify(op.inputs).includes(JSON.stringify(e.urn)))) return undefined;
    const line = at.region.startLine;
    return [
        {
            description: { text: `Add ${e.fixes.length === 1 ? "a resource" : `${e.fixes.length} resources`} that admit${e.fixes.length === 1 ? "s" : ""} the blocked health-check traffic: ${e.fixes.map((op) => (op.op === "add-resource" ? op.name : "")).join(", ")}` },
            artifactChanges: [{ artifactLocation: at.artifactLocation!, replacements: [{ deletedRegion: { startLine: line, startColumn: 1, endLine: line, endColumn: 1 }, insertedContent: { text: fixCode(e.fixes, "typescript") + "\n" } }] }],
        },
    ];
}

/** "See [name](url)." when the docs are published, else where the page is in the installed package. */
export function sarifDocsLink(d: PolicyDefinition): string {
    const url = docsUrl(d);
    return url ? `See [${d.name}](${url}).` : `See ${docsReference(d)}.`;
}

/** Stable across runs for the same policy and resource, whatever the message says. */
export function fingerprint(e: Pick<ReportEntry, "policy" | "urn">): string {
    return createHash("sha256").update(`${e.policy}\n${e.urn}`).digest("hex").slice(0, 32);
}

/** "project:///index.ts#12,5" → a physical location under sourceRoot; the project file when there is no position. */
function physicalLocation(pos: string | undefined, sourceRoot: string | undefined): PhysicalLocation | undefined {
    const m = pos ? /^project:\/\/\/?([^#]+)#(\d+)(?:,(\d+))?$/.exec(pos) : null;
    const uri = (file: string) => path.posix.normalize(path.posix.join((sourceRoot ?? ".").replace(/\\/g, "/"), file));
    if (m) return { artifactLocation: { uri: uri(m[1]) }, region: { startLine: Math.max(1, Number(m[2])), startColumn: Math.max(1, Number(m[3] ?? 1)) } };
    if (sourceRoot === undefined) return undefined;
    return { artifactLocation: { uri: uri("Pulumi.yaml") }, region: { startLine: 1, startColumn: 1 } };
}
