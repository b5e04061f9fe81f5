/**
 * The engine's streaming JSON events (`pulumi up --json`, or `pulumi preview --json` with
 * PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true): one event per line. Their `policyEvent` entries are
 * the violations the engine reported, of every policy pack that ran; this module reads them and
 * renders them as text, JSON or SARIF, so a CI that runs the engine once gets code-scanning
 * output without running the checks a second time.
 *
 * Nothing is re-checked here: levels and messages are the engine's. Rules of this pack's policies
 * get their IDs and help from the catalogue (so results match `elb-health check` on a preview or a
 * stack export, fingerprints included); other packs' policies get a plain rule named after them.
 *
 * Streaming events of v3.276 carry no source position (the preview digest and the stack export
 * do), so SARIF results locate the resource by URN, and at the project's Pulumi.yaml when
 * `sourceRoot` is given. Messages are the packs' own; this module never adds a property value.
 */
import * as path from "node:path";
import type { Log, PhysicalLocation, ReportingDescriptor, Result, Run } from "sarif";
import { docsUrl, type PolicyDefinition } from "../policy/definition";
import { packageDocsLinks } from "../policy/package";
import { paint } from "../report/colour";
import { fingerprint, sarifDocsLink } from "../report/formats";
import { resourceOf } from "../report/findings";
import { PACK_NAME } from "../report/package-info";

export interface EnginePolicyViolation {
    /** "" for a stack-level violation without a resource. */
    urn: string;
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    /** As the engine reports it: "mandatory", "advisory", "remediate", ... */
    enforcementLevel: string;
    severity?: string;
    message: string;
}

export interface EngineEvents {
    violations: EnginePolicyViolation[];
    /** URNs of the resources the events name (steps and outputs). */
    resources: Set<string>;
    /** The command's summary event was seen (the run finished). */
    finished: boolean;
    /** Events the reader met, by kind (for notes and tests). */
    counts: Record<string, number>;
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

export const ENGINE_EVENT_KEYS = [
    "preludeEvent",
    "resourcePreEvent",
    "resOutputsEvent",
    "resOpFailedEvent",
    "diagnosticEvent",
    "policyEvent",
    "policyLoadEvent",
    "policyAnalyzeSummaryEvent",
    "policyAnalyzeStackSummaryEvent",
    "policyRemediateSummaryEvent",
    "policyRemediationEvent",
    "summaryEvent",
    "cancelEvent",
    "stdoutEvent",
    "startDebuggingEvent",
    "progressEvent",
    "errorEvent",
];

/** One line of an event stream: an object with a `sequence` and one of the engine's event keys. */
export function isEngineEventLine(line: string): boolean {
    try {
        const v = JSON.parse(line);
        return isObject(v) && "sequence" in v && ENGINE_EVENT_KEYS.some((k) => k in v);
    } catch {
        return false;
    }
}

/** Reads an event stream; errors name the file and line, never a value. */
export function parseEngineEvents(text: string, file: string, error: (msg: string) => Error): EngineEvents {
    const out: EngineEvents = { violations: [], resources: new Set(), finished: false, counts: {} };
    const lines = text.split("\n");
    for (const [i, raw] of lines.entries()) {
        const line = raw.trim();
        if (line === "") continue;
        let ev: unknown;
        try {
            ev = JSON.parse(line);
        } catch {
            // The last line of a stream cut short (an interrupted run) is incomplete: say so.
            throw error(`${file}: line ${i + 1}: not a JSON event${i >= lines.length - 2 ? " (the stream ends in the middle of an event)" : ""}`);
        }
        if (!isObject(ev)) throw error(`${file}: line ${i + 1}: expected an event object`);
        const key = ENGINE_EVENT_KEYS.find((k) => isObject(ev[k]));
        if (key === undefined) continue; // an event kind this reader does not know: skipped
        out.counts[key] = (out.counts[key] ?? 0) + 1;
        const body = ev[key] as Obj;
        if (key === "policyEvent") out.violations.push(violation(body, `${file}: line ${i + 1}: policyEvent`, error));
        else if (key === "resourcePreEvent" || key === "resOutputsEvent") {
            const urn = isObject(body.metadata) ? body.metadata.urn : undefined;
            if (typeof urn === "string" && urn !== "") out.resources.add(urn);
        } else if (key === "summaryEvent") out.finished = true;
    }
    return out;
}

function violation(b: Obj, where: string, error: (msg: string) => Error): EnginePolicyViolation {
    const str = (k: string, required: boolean): string => {
        const v = b[k];
        if (typeof v === "string") return v;
        if (v === undefined && !required) return "";
        throw error(`${where}.${k}: expected a string`);
    };
    return {
        urn: str("resourceUrn", false),
        policyName: str("policyName", true),
        policyPackName: str("policyPackName", true),
        policyPackVersion: str("policyPackVersion", false),
        enforcementLevel: str("enforcementLevel", true),
        ...(typeof b.severity === "string" && b.severity !== "" ? { severity: b.severity } : {}),
        message: str("message", false),
    };
}

/** Blocking levels: the engine fails the update on these. */
export const isBlocking = (v: Pick<EnginePolicyViolation, "enforcementLevel">) => v.enforcementLevel === "mandatory" || v.enforcementLevel === "remediate";

export interface EventsSummary {
    mandatory: number;
    advisory: number;
    packs: number;
    resources: number;
}

export function summarizeEvents(ev: EngineEvents): EventsSummary {
    const mandatory = ev.violations.filter(isBlocking).length;
    return { mandatory, advisory: ev.violations.length - mandatory, packs: new Set(ev.violations.map((v) => v.policyPackName)).size, resources: ev.resources.size };
}

function sorted(ev: EngineEvents): EnginePolicyViolation[] {
    return [...ev.violations].sort((a, b) => a.urn.localeCompare(b.urn) || a.policyPackName.localeCompare(b.policyPackName) || a.policyName.localeCompare(b.policyName));
}

export function eventsToText(ev: EngineEvents, colour: boolean | NodeJS.WritableStream): string {
    const c = paint(colour);
    const lines: string[] = [];
    let urn: string | undefined;
    for (const v of sorted(ev)) {
        if (v.urn !== urn) {
            if (urn !== undefined) lines.push("");
            urn = v.urn;
            const r = resourceOf(v.urn);
            lines.push(v.urn ? c.bold(r.name) + (r.type ? `  ${r.type}` : "") : c.bold("(stack)"));
            if (v.urn) lines.push(c.dim(`  ${v.urn}`));
        }
        const level = isBlocking(v) ? c.red(`[${v.enforcementLevel}]`) : c.yellow(`[${v.enforcementLevel}]`);
        lines.push(`  ${level} ${v.policyPackName}${v.policyPackVersion ? ` v${v.policyPackVersion}` : ""} ${v.policyName}${v.severity ? ` (${v.severity} severity)` : ""}`);
        for (const l of v.message.trimEnd().split("\n")) lines.push(`    ${l}`);
    }
    if (lines.length > 0) lines.push("");
    const s = summarizeEvents(ev);
    const head = `${s.mandatory} mandatory`;
    lines.push(`${s.mandatory > 0 ? c.red(head) : c.green(head)}, ${s.advisory} advisory policy violation(s) reported by the engine${s.mandatory > 0 ? ": the deployment would be blocked." : "."}`);
    return lines.join("\n") + "\n";
}

export function eventsToJson(ev: EngineEvents): string {
    return JSON.stringify({ source: "pulumi engine events", violations: sorted(ev), summary: summarizeEvents(ev) }, null, 2) + "\n";
}

export interface EventsSarifOptions {
    /** This pack's catalogue: rules of its policies get IDs, help and docs links from it. */
    definitions: readonly PolicyDefinition[];
    /** Repository-relative folder of the Pulumi project: results then point at its Pulumi.yaml. */
    sourceRoot?: string;
}

/** One SARIF run per policy pack that reported violations (this pack's run first). */
export function eventsToSarif(ev: EngineEvents, opts: EventsSarifOptions): string {
    const byPack = new Map<string, EnginePolicyViolation[]>();
    for (const v of sorted(ev)) {
        const list = byPack.get(v.policyPackName) ?? [];
        list.push(v);
        byPack.set(v.policyPackName, list);
    }
    if (byPack.size === 0) byPack.set(PACK_NAME, []); // a clean run: one run with no results
    const packs = [...byPack.keys()].sort((a, b) => Number(b === PACK_NAME) - Number(a === PACK_NAME) || a.localeCompare(b));
    const ours = new Map(opts.definitions.map((d) => [d.name, d]));
    const location: PhysicalLocation | undefined =
        opts.sourceRoot === undefined ? undefined : { artifactLocation: { uri: path.posix.normalize(path.posix.join(opts.sourceRoot.replace(/\\/g, "/"), "Pulumi.yaml")) }, region: { startLine: 1, startColumn: 1 } };
    const runs = packs.map((pack): Run => {
        const violations = byPack.get(pack) ?? [];
        const mine = pack === PACK_NAME;
        const rules: ReportingDescriptor[] = [];
        const ruleIndex = new Map<string, number>();
        const ruleOf = (v: EnginePolicyViolation): string => {
            const def = mine ? ours.get(v.policyName) : undefined;
            const id = def ? def.id : v.policyName;
            if (!ruleIndex.has(id)) {
                ruleIndex.set(id, rules.length);
                rules.push(
                    def
                        ? {
                              id: def.id,
                              name: def.name,
                              shortDescription: { text: def.displayName },
                              fullDescription: { text: def.description },
                              help: { text: def.remediation, markdown: `${def.remediation}\n\n${sarifDocsLink(def)}` },
                              ...(docsUrl(def) ? { helpUri: docsUrl(def) } : {}),
                              properties: { tags: ["huaweicloud", "elb", "health-check", "pulumi"], severity: def.severity },
                          }
                        : { id, name: v.policyName, ...(v.severity ? { properties: { severity: v.severity } } : {}) },
                );
            }
            return id;
        };
        const version = violations.find((v) => v.policyPackVersion)?.policyPackVersion;
        const results = violations.map((v): Result => {
            const ruleId = ruleOf(v);
            const r = resourceOf(v.urn);
            return {
                ruleId,
                ruleIndex: ruleIndex.get(ruleId),
                level: isBlocking(v) ? "error" : "warning",
                message: { text: v.message || `${v.policyName} (${v.enforcementLevel})` },
                locations: [{ ...(location ? { physicalLocation: location } : {}), logicalLocations: [{ fullyQualifiedName: v.urn || "(stack)", name: v.urn ? r.name : "(stack)", kind: "resource" }] }],
                partialFingerprints: { "elbHealthFinding/v1": fingerprint({ policy: v.policyName, urn: v.urn }) },
                properties: { policyPack: v.policyPackName, enforcementLevel: v.enforcementLevel, ...(v.severity ? { severity: v.severity } : {}) },
            };
        });
        return {
            tool: { driver: { name: pack, ...(version ? { version, semanticVersion: version } : {}), ...(mine && packageDocsLinks().information ? { informationUri: packageDocsLinks().information } : {}), rules } },
            invocations: [{ executionSuccessful: true }],
            results,
        };
    });
    const log: Log = { $schema: "https://json.schemastore.org/sarif-2.1.0.json", version: "2.1.0", runs };
    return JSON.stringify(log, null, 2) + "\n";
}
