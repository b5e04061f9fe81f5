/** One findings shape, three renderings: text (grouped by resource), JSON, SARIF 2.1.0. */
import { createHash } from "node:crypto";
import { catalogue } from "../../policies";
import { DOCS_BASE_URL, docsPath } from "../policy/definition";
import type { ReportedFinding } from "../policy/evaluate";
import { paint } from "./colour";
import { PACK_NAME } from "./run-policies";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const VERSION: string = require("../../../package.json").version;

export type OutputFormat = "text" | "json" | "sarif";

export interface Summary {
    mandatory: number;
    advisory: number;
    resources: number;
}

export function summarize(findings: readonly ReportedFinding[], resources: number): Summary {
    const mandatory = findings.filter((f) => f.level === "mandatory").length;
    return { mandatory, advisory: findings.length - mandatory, resources };
}

const nameOf = (urn: string) => (urn ? urn.slice(urn.lastIndexOf("::") + 2) : "(stack)");
const typeOf = (urn: string) => (urn ? (urn.split("::")[2] ?? "").split("$").pop() ?? "" : "");

export function toText(findings: readonly ReportedFinding[], summary: Summary, out: NodeJS.WritableStream): string {
    const c = paint(out);
    const byUrn = new Map<string, ReportedFinding[]>();
    for (const f of findings) byUrn.set(f.urn, [...(byUrn.get(f.urn) ?? []), f]);
    const lines: string[] = [];
    for (const [urn, list] of [...byUrn].sort((a, b) => a[0].localeCompare(b[0]))) {
        lines.push(c.bold(`${nameOf(urn)}`) + c.dim(`  ${typeOf(urn)}`));
        for (const f of list.sort((a, b) => (a.level === b.level ? a.policyId.localeCompare(b.policyId) : a.level === "mandatory" ? -1 : 1))) {
            const level = f.level === "mandatory" ? c.red("mandatory") : c.yellow("advisory");
            lines.push(`  [${level}] ${f.policyId} ${f.policy} (${f.severity})`);
            for (const l of f.message.split("\n")) lines.push(`    ${l}`);
        }
        lines.push("");
    }
    lines.push(`${summary.mandatory > 0 ? c.red(`${summary.mandatory} mandatory`) : c.green("0 mandatory")}, ${summary.advisory} advisory finding(s) in ${summary.resources} resources.`);
    return lines.join("\n") + "\n";
}

export function toJson(findings: readonly ReportedFinding[], summary: Summary): string {
    return (
        JSON.stringify(
            {
                tool: { name: PACK_NAME, version: VERSION },
                findings: findings.map((f) => ({
                    policy: f.policy,
                    id: f.policyId,
                    severity: f.severity,
                    level: f.level,
                    urn: f.urn,
                    message: f.message,
                    verdict: f.verdict ?? null,
                    witness: f.witness ?? null,
                    remediation: f.fix ?? catalogue.find((d) => d.name === f.policy)?.remediation ?? null,
                    exemption: f.exemption ?? null,
                })),
                summary,
            },
            null,
            2,
        ) + "\n"
    );
}

/** "project:///index.ts#12,5" → { uri, line, column }. */
function sourceLocation(pos: string | undefined): { uri: string; line: number; column: number } | undefined {
    const m = pos ? /^project:\/\/\/?(.*?)#(\d+)(?:,(\d+))?$/.exec(pos) : null;
    return m ? { uri: m[1], line: Number(m[2]), column: Number(m[3] ?? 1) } : undefined;
}

export function toSarif(findings: readonly ReportedFinding[], positions: ReadonlyMap<string, string> = new Map()): string {
    const rules = catalogue.map((d) => ({
        id: d.id,
        name: d.name,
        shortDescription: { text: d.displayName },
        fullDescription: { text: d.description },
        help: { text: d.remediation, markdown: `${d.remediation}\n\nSee [${d.name}](${DOCS_BASE_URL + docsPath(d)}).` },
        helpUri: DOCS_BASE_URL + docsPath(d),
        defaultConfiguration: { level: d.defaultLevel === "mandatory" ? "error" : "warning" },
        properties: { tags: ["huaweicloud", "elb", "health-check"], severity: d.severity },
    }));
    const results = findings.map((f) => {
        const src = sourceLocation(positions.get(f.urn));
        const location: Record<string, unknown> = {
            logicalLocations: [{ fullyQualifiedName: f.urn || "(stack)", name: nameOf(f.urn), kind: "resource" }],
            // Code-scanning UIs need a file: the program position when known, else the project file.
            physicalLocation: { artifactLocation: { uri: src?.uri ?? "Pulumi.yaml" }, region: { startLine: src?.line ?? 1, startColumn: src?.column ?? 1 } },
        };
        return {
            ruleId: f.policyId,
            ruleIndex: catalogue.findIndex((d) => d.name === f.policy),
            level: f.level === "mandatory" ? "error" : "warning",
            message: { text: f.message },
            locations: [location],
            partialFingerprints: { "elbHealthFinding/v1": createHash("sha256").update(`${f.policy}\n${f.urn}`).digest("hex").slice(0, 32) },
            properties: { verdict: f.verdict ?? null, ...(f.exemption ? { exemption: f.exemption } : {}) },
        };
    });
    return (
        JSON.stringify(
            {
                $schema: "https://json.schemastore.org/sarif-2.1.0.json",
                version: "2.1.0",
                runs: [{ tool: { driver: { name: PACK_NAME, version: VERSION, informationUri: DOCS_BASE_URL + "README.md", rules } }, results }],
            },
            null,
            2,
        ) + "\n"
    );
}
