/** `elb-health check`, in process: file → topology → the catalogue's policies (as the pack runs them) → one report. */
import * as fs from "node:fs";
import { PolicyConfigError, type PolicyConfigFile } from "../policy/pack-config";
import type { FixLanguage } from "../fix/snippets";
import { buildTopology } from "../model/build";
import type { PolicyDefinition } from "../policy/definition";
import type { ReportedFinding } from "../policy/evaluate";
import { summarize, toJson, toSarif, toText, type OutputFormat, type Summary } from "../report/formats";
import { runPolicies } from "../report/run-policies";
import { eventsToJson, eventsToSarif, eventsToText, summarizeEvents, type EngineEvents } from "./engine-events";
import { InputError, parseJson, readCheckInput, type StackInput } from "./inputs";

export interface CheckOptions {
    file: string;
    /** A CrossGuard policy config file (`--policy-pack-config` format). */
    configFile?: string;
    format?: OutputFormat;
    /** YYYY-MM-DD, for exemption expiry (default: today, UTC). */
    today?: string;
    /** SARIF: repository-relative folder of the Pulumi project (see SarifOptions). */
    sourceRoot?: string;
    /** Text: colour on or off. */
    colour?: boolean;
    /** Text: the language of the code printed under each finding it can fix (default typescript). */
    fixLanguage?: FixLanguage;
    /** The policies to run (the catalogue, passed in by the entry points). */
    definitions: readonly PolicyDefinition[];
}

export interface CheckResult {
    /** The resources checked; for an event stream, none (the engine's verdicts are reported as they are). */
    input: StackInput;
    /** Set when the file was a stream of engine events. */
    events?: EngineEvents;
    findings: ReportedFinding[];
    summary: Summary;
    output: string;
    /** 0: no mandatory finding; 1: mandatory findings. */
    exitCode: 0 | 1;
    notes: string[];
}

export function check(opts: CheckOptions): CheckResult {
    const config = opts.configFile === undefined ? undefined : readPolicyConfig(opts.configFile);
    const read = readCheckInput(opts.file);
    if (read.kind === "events") return fromEvents(read.events, opts);
    const input = read.input;
    const topology = buildTopology(input.resources);
    let findings: ReportedFinding[];
    try {
        findings = runPolicies(topology, config, { today: opts.today, definitions: opts.definitions });
    } catch (e) {
        if (e instanceof PolicyConfigError) throw new InputError(`${opts.configFile ?? "policy config"}: ${e.message}`);
        throw e;
    }
    const summary = summarize(findings, input.resources.length);
    const notes = [...input.notes];
    if (topology.loadBalancers.length + topology.pools.length + topology.members.length === 0) {
        notes.push(`${opts.file}: no Huawei Cloud ELB load balancer, pool or member in the file: nothing to check`);
    }
    const format = opts.format ?? "text";
    const output =
        format === "json"
            ? toJson(findings, summary, opts.definitions)
            : format === "sarif"
              ? toSarif(findings, { sourcePositions: input.sourcePositions, sourceRoot: opts.sourceRoot, definitions: opts.definitions })
              : toText(findings, summary, opts.colour ?? false, opts.definitions, opts.fixLanguage ?? "typescript");
    return { input, findings, summary, output, exitCode: summary.mandatory > 0 ? 1 : 0, notes };
}

/** An event stream: the engine already ran the packs; report its policy events, of every pack. */
function fromEvents(events: EngineEvents, opts: CheckOptions): CheckResult {
    if (opts.configFile !== undefined) throw new InputError(`${opts.file}: a stream of engine events holds the engine's verdicts; --config does not apply to it (give it to pulumi as --policy-pack-config)`);
    const s = summarizeEvents(events);
    const notes: string[] = [];
    if (!events.finished) notes.push(`${opts.file}: the event stream has no summary event: the run did not finish, so violations may be missing`);
    const format = opts.format ?? "text";
    const output = format === "json" ? eventsToJson(events) : format === "sarif" ? eventsToSarif(events, { definitions: opts.definitions, sourceRoot: opts.sourceRoot }) : eventsToText(events, opts.colour ?? false);
    return {
        input: { format: "engine-events", resources: [], sourcePositions: new Map(), notes },
        events,
        findings: [],
        summary: { mandatory: s.mandatory, advisory: s.advisory, exempted: 0, resources: s.resources },
        output,
        exitCode: s.mandatory > 0 ? 1 : 0,
        notes,
    };
}

/** A `--policy-pack-config` file. Empty is allowed, as the engine allows it. */
export function readPolicyConfig(file: string): PolicyConfigFile {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new InputError(`${file}: cannot read the policy config file (${(e as NodeJS.ErrnoException).code ?? "error"})`);
    }
    if (text.trim() === "") return {};
    const v = parseJson(text, file);
    if (v === null || typeof v !== "object" || Array.isArray(v)) throw new InputError(`${file}: the policy config must be a JSON object (policy name → level, or {enforcementLevel, ...settings})`);
    return v as PolicyConfigFile;
}
