/**
 * Files the CLI reads, turned into the stack-level view the pack's stack policies get
 * (pulumi-policy.md §3, §3.6): `pulumi preview --json` (steps[].newState), `pulumi stack export`
 * (deployment.resources, or a bare deployment), or the project's own plan format (src/host/plan.ts).
 * Props are the outputs, or the inputs when a state has no outputs. Values stay in their file
 * encoding: the model's reader treats the unknown sentinels, "[secret]" and encrypted or
 * `plaintext` secrets as unknown. Error messages name the file and a path, never a value.
 */
import * as fs from "node:fs";
import type { RawResource } from "../model/types";
import { isEngineEventLine, parseEngineEvents, type EngineEvents } from "./engine-events";

export class InputError extends Error {
    override name = "InputError";
}

export type InputFormat = "preview" | "stack-export" | "plan" | "engine-events";

export interface StackInput {
    format: InputFormat;
    resources: RawResource[];
    /** Source positions ("project:///index.ts#12,5") by URN, when the file has them. */
    sourcePositions: Map<string, string>;
    /** Things the user should know about the file (printed to stderr, never fatal). */
    notes: string[];
}

export const MAX_INPUT_BYTES = 512 * 1024 * 1024;
/** Steps whose resource is gone after the deployment (pulumi-policy.md §3.1 StepOp). */
const GONE_OPS = new Set(["delete", "delete-replaced", "discard", "discard-replaced", "remove-pending-replace", "read-discard"]);

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

/** Reads a file, or standard input when `file` is "-": a preview digest, a stack export or a plan file. */
export function readStackFile(file: string): StackInput {
    const { name, text } = readText(file);
    return parseStack(parseJson(text, name), name);
}

/** What `elb-health check` reads: resources to check, or the engine's own verdicts as an event stream. */
export type CheckInput = { kind: "stack"; input: StackInput } | { kind: "events"; events: EngineEvents };

/** Like readStackFile, but a stream of engine events (`pulumi up --json`, streaming `pulumi preview --json`) is read too. */
export function readCheckInput(file: string): CheckInput {
    const { name, text } = readText(file);
    const first = text.replace(/^\uFEFF/, "").trimStart().split("\n", 1)[0].trim();
    if (isEngineEventLine(first)) return { kind: "events", events: parseEngineEvents(text, name, (m) => new InputError(m)) };
    return { kind: "stack", input: parseStack(parseJson(text, name), name) };
}

function readText(file: string): { name: string; text: string } {
    const name = file === "-" ? "stdin" : file;
    if (file !== "-") {
        let stat: fs.Stats;
        try {
            stat = fs.statSync(file);
        } catch (e) {
            throw readError(name, e);
        }
        if (!stat.isFile()) throw new InputError(`${name}: not a regular file`);
        if (stat.size > MAX_INPUT_BYTES) throw new InputError(`${name}: the file is ${Math.round(stat.size / 2 ** 20)} MiB; at most ${MAX_INPUT_BYTES / 2 ** 20} MiB is read`);
    }
    let text: string;
    try {
        text = fs.readFileSync(file === "-" ? 0 : file, "utf8");
    } catch (e) {
        throw readError(name, e);
    }
    if (text.trim() === "") throw new InputError(`${name}: the file is empty`);
    return { name, text };
}

function readError(name: string, e: unknown): InputError {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ERR_STRING_TOO_LONG") return new InputError(`${name}: too large to read as one JSON text`);
    return new InputError(`${name}: cannot read the file (${code ?? "error"})`);
}

/** JSON.parse, with an error that gives a line and column but never quotes the text (it may hold secrets). */
export function parseJson(text: string, file: string): unknown {
    try {
        return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text); // files saved by Windows editors may start with a BOM
    } catch (e) {
        const firstLine = text.split("\n", 1)[0].trim();
        if (isEngineEventLine(firstLine)) {
            throw new InputError(`${file}: this is a stream of engine events (one JSON object per line), which \`elb-health check\` reads as the engine's verdicts; to check resources, give the file written by \`pulumi preview --json --show-sames\` without PULUMI_ENABLE_STREAMING_JSON_PREVIEW`);
        }
        const m = /position (\d+)/.exec(e instanceof Error ? e.message : "");
        const where = m ? ` at ${lineColumn(text, Number(m[1]))}` : /end of JSON/.test(String(e)) ? " (it ends too early)" : "";
        throw new InputError(`${file}: not valid JSON${where}`);
    }
}

function lineColumn(text: string, pos: number): string {
    const before = text.slice(0, pos);
    const line = before.split("\n").length;
    return `line ${line}, column ${pos - before.lastIndexOf("\n")}`;
}

export function parseStack(data: unknown, file = "input"): StackInput {
    if (!isObject(data)) throw new InputError(`${file}: expected a JSON object (pulumi preview --json, pulumi stack export, or a plan file), found ${kind(data)}`);
    if ("steps" in data) {
        if (!Array.isArray(data.steps) && data.steps !== null) throw new InputError(`${file}: steps: expected an array`);
        return fromPreview(data, file);
    }
    if (isObject(data.deployment)) return fromDeployment(data.deployment, file, "deployment.");
    if ("manifest" in data && "resources" in data) return fromDeployment(data, file, "");
    if ("resourcePlans" in data) {
        throw new InputError(`${file}: this is a \`pulumi preview --save-plan\` file, which holds only input diffs; give \`pulumi preview --json --show-sames\` output instead`);
    }
    if ("version" in data && "resources" in data) {
        if (data.version !== 1) throw new InputError(`${file}: version: plan format ${JSON.stringify(data.version)} is not supported (this tool reads version 1)`);
        return fromPlan(data, file);
    }
    throw new InputError(`${file}: unrecognised format: expected "steps" (pulumi preview --json), "deployment.resources" (pulumi stack export) or "version": 1 with "resources" (plan file)`);
}

function kind(v: unknown): string {
    if (v === null || v === undefined) return String(v);
    return Array.isArray(v) ? "an array" : typeof v === "object" ? "an object" : `a ${typeof v}`;
}

/** One resource state (ResourceV3 or a plan entry) → what a stack policy would see. */
function toRaw(s: Obj, where: string, positions: Map<string, string>): RawResource {
    if (typeof s.urn !== "string" || s.urn === "") throw new InputError(`${where}.urn: expected a string, found ${kind(s.urn)}`);
    if (typeof s.type !== "string" || s.type === "") throw new InputError(`${where}.type: expected a string, found ${kind(s.type)}`);
    for (const key of ["inputs", "outputs", "propertyDependencies"]) {
        if (s[key] !== undefined && s[key] !== null && !isObject(s[key])) throw new InputError(`${where}.${key}: expected an object, found ${kind(s[key])}`);
    }
    const outputs = isObject(s.outputs) && Object.keys(s.outputs).length > 0 ? s.outputs : undefined;
    const props: Obj = { ...(outputs ?? (isObject(s.inputs) ? s.inputs : {})) };
    // State files keep the ID beside the outputs; the engine hands it to policies as props.id.
    if (!("id" in props) && typeof s.id === "string" && s.id !== "") props.id = s.id;
    const propertyDependencies: Record<string, string[]> = {};
    if (isObject(s.propertyDependencies)) {
        for (const [k, v] of Object.entries(s.propertyDependencies)) if (Array.isArray(v)) propertyDependencies[k] = v.filter((x): x is string => typeof x === "string");
    }
    if (typeof s.sourcePosition === "string") positions.set(s.urn, s.sourcePosition);
    const name = typeof s.name === "string" && s.name !== "" ? s.name : s.urn.slice(s.urn.lastIndexOf("::") + 2);
    return { urn: s.urn, type: s.type, name, props, propertyDependencies };
}

/** Keep the last state of each URN (a replacement lists the same URN more than once). */
function collect(entries: Iterable<[Obj, string]>, format: InputFormat, notes: string[] = []): StackInput {
    const positions = new Map<string, string>();
    const byUrn = new Map<string, RawResource>();
    for (const [state, where] of entries) {
        const r = toRaw(state, where, positions);
        byUrn.delete(r.urn);
        byUrn.set(r.urn, r);
    }
    return { format, resources: [...byUrn.values()], sourcePositions: positions, notes };
}

function fromPreview(data: Obj, file: string): StackInput {
    const steps = (data.steps ?? []) as unknown[];
    const notes: string[] = [];
    const summary = isObject(data.changeSummary) ? data.changeSummary : {};
    if (typeof summary.same === "number" && summary.same > 0 && !steps.some((s) => isObject(s) && s.op === "same")) {
        notes.push(`${file}: ${summary.same} unchanged resource(s) are not in the file, so references to them cannot be checked; run \`pulumi preview --json --show-sames\``);
    }
    function* entries(): Generator<[Obj, string]> {
        for (const [i, step] of steps.entries()) {
            if (!isObject(step)) throw new InputError(`${file}: steps[${i}]: expected an object, found ${kind(step)}`);
            if (typeof step.op === "string" && GONE_OPS.has(step.op)) continue;
            if (step.newState === undefined || step.newState === null) continue; // oldState only: a deletion
            if (!isObject(step.newState)) throw new InputError(`${file}: steps[${i}].newState: expected an object, found ${kind(step.newState)}`);
            if (step.newState.delete === true) continue;
            yield [withOldState(step, step.newState), `${file}: steps[${i}].newState`];
        }
    }
    return collect(entries(), "preview", notes);
}

/**
 * The real CLI (v3.276) writes a `same` step's newState with the inputs only: no `id`, no
 * `outputs`. The resource is unchanged, so its ID and outputs (a subnet's ipv4SubnetId, an ECS
 * instance's accessIpV4, ...) are those of oldState. An update keeps its ID too (its outputs are
 * not known before the update runs, so the new inputs stand for them).
 */
function withOldState(step: Obj, state: Obj): Obj {
    const old = isObject(step.oldState) ? step.oldState : undefined;
    if (old === undefined || old.urn !== state.urn) return state;
    const merged: Obj = { ...state };
    if ((merged.id === undefined || merged.id === "") && typeof old.id === "string" && old.id !== "" && (step.op === "same" || step.op === "update")) merged.id = old.id;
    const hasOutputs = isObject(merged.outputs) && Object.keys(merged.outputs).length > 0;
    if (step.op === "same" && !hasOutputs && isObject(old.outputs)) merged.outputs = old.outputs;
    return merged;
}

function fromDeployment(d: Obj, file: string, prefix: string): StackInput {
    if (d.resources !== undefined && d.resources !== null && !Array.isArray(d.resources)) throw new InputError(`${file}: ${prefix}resources: expected an array, found ${kind(d.resources)}`);
    const list = (d.resources ?? []) as unknown[];
    function* entries(): Generator<[Obj, string]> {
        for (const [i, r] of list.entries()) {
            if (!isObject(r)) throw new InputError(`${file}: ${prefix}resources[${i}]: expected an object, found ${kind(r)}`);
            if (r.delete === true) continue; // pending deletion of a replaced resource
            yield [r, `${file}: ${prefix}resources[${i}]`];
        }
    }
    return collect(entries(), "stack-export");
}

function fromPlan(data: Obj, file: string): StackInput {
    if (!Array.isArray(data.resources)) throw new InputError(`${file}: resources: expected an array, found ${kind(data.resources)}`);
    const list = data.resources as unknown[];
    function* entries(): Generator<[Obj, string]> {
        for (const [i, r] of list.entries()) {
            if (!isObject(r)) throw new InputError(`${file}: resources[${i}]: expected an object, found ${kind(r)}`);
            yield [r, `${file}: resources[${i}]`];
        }
    }
    return collect(entries(), "plan");
}
