/**
 * Files the CLI reads, turned into the stack-level view the pack's stack policies get
 * (pulumi-policy.md §3): `pulumi preview --json` (steps[].newState), `pulumi stack export`
 * (deployment.resources), or the project's own plan format (docs/plan-format.md).
 * Values stay in their file encoding: the model's reader treats the unknown sentinel, "[secret]"
 * and encrypted secrets as unknown, and never prints a value.
 */
import * as fs from "node:fs";
import type { RawResource } from "../model/types";

export class InputError extends Error {
    override name = "InputError";
}

export type InputFormat = "preview" | "stack-export" | "plan";

export interface StackInput {
    format: InputFormat;
    resources: RawResource[];
    /** Source positions ("project:///index.ts#12,5") by URN, when the file has them. */
    sourcePositions: Map<string, string>;
}

export const MAX_INPUT_BYTES = 512 * 1024 * 1024;
const GONE_OPS = new Set(["delete", "delete-replaced", "discard", "discard-replaced", "remove-pending-replace", "read-discard"]);

export function readStackFile(file: string): StackInput {
    let size: number;
    try {
        size = fs.statSync(file).size;
    } catch {
        throw new InputError(`${file}: cannot read the file`);
    }
    if (size === 0) throw new InputError(`${file}: the file is empty`);
    if (size > MAX_INPUT_BYTES) throw new InputError(`${file}: the file is ${Math.round(size / 2 ** 20)} MiB; at most ${MAX_INPUT_BYTES / 2 ** 20} MiB is read`);
    let data: unknown;
    try {
        data = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new InputError(`${file}: not valid JSON (${e instanceof Error ? e.message.slice(0, 120) : "parse error"})`);
    }
    return parseStack(data, file);
}

export function parseStack(data: unknown, file = "input"): StackInput {
    if (!isObject(data)) throw new InputError(`${file}: expected a JSON object (pulumi preview --json, pulumi stack export, or a plan file)`);
    if (Array.isArray(data.steps)) return fromPreview(data.steps, file);
    const deployment = isObject(data.deployment) ? data.deployment : data;
    if (Array.isArray(deployment.resources) && (isObject(deployment.manifest) || "deployment" in data)) return fromStackExport(deployment.resources, file);
    if (data.version === 1 && Array.isArray(data.resources)) return fromPlan(data.resources, file);
    throw new InputError(`${file}: unrecognised format: expected "steps" (pulumi preview --json), "deployment.resources" (pulumi stack export) or "version": 1 with "resources" (plan file)`);
}

function isObject(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

interface StateLike {
    urn?: unknown;
    type?: unknown;
    id?: unknown;
    inputs?: unknown;
    outputs?: unknown;
    propertyDependencies?: unknown;
    delete?: unknown;
    sourcePosition?: unknown;
}

function toRaw(s: StateLike, where: string, positions: Map<string, string>): RawResource {
    if (typeof s.urn !== "string" || typeof s.type !== "string") throw new InputError(`${where}: expected "urn" and "type" strings`);
    const props: Record<string, unknown> = isObject(s.outputs) && Object.keys(s.outputs).length > 0 ? { ...s.outputs } : isObject(s.inputs) ? { ...s.inputs } : {};
    if (!("id" in props) && typeof s.id === "string" && s.id !== "") props.id = s.id;
    const propertyDependencies: Record<string, string[]> = {};
    if (isObject(s.propertyDependencies)) {
        for (const [k, v] of Object.entries(s.propertyDependencies)) if (Array.isArray(v)) propertyDependencies[k] = v.filter((x): x is string => typeof x === "string");
    }
    if (typeof s.sourcePosition === "string") positions.set(s.urn, s.sourcePosition);
    return { urn: s.urn, type: s.type, name: s.urn.slice(s.urn.lastIndexOf("::") + 2), props, propertyDependencies };
}

function fromPreview(steps: unknown[], file: string): StackInput {
    const positions = new Map<string, string>();
    const resources: RawResource[] = [];
    steps.forEach((step, i) => {
        if (!isObject(step)) throw new InputError(`${file}: steps[${i}] is not an object`);
        if (typeof step.op === "string" && GONE_OPS.has(step.op)) return;
        if (!isObject(step.newState)) return;
        resources.push(toRaw(step.newState, `${file}: steps[${i}].newState`, positions));
    });
    return { format: "preview", resources, sourcePositions: positions };
}

function fromStackExport(list: unknown[], file: string): StackInput {
    const positions = new Map<string, string>();
    const resources: RawResource[] = [];
    list.forEach((r, i) => {
        if (!isObject(r)) throw new InputError(`${file}: deployment.resources[${i}] is not an object`);
        if (r.delete === true) return;
        resources.push(toRaw(r, `${file}: deployment.resources[${i}]`, positions));
    });
    return { format: "stack-export", resources, sourcePositions: positions };
}

function fromPlan(list: unknown[], file: string): StackInput {
    const positions = new Map<string, string>();
    const resources = list.map((r, i) => {
        if (!isObject(r)) throw new InputError(`${file}: resources[${i}] is not an object`);
        return toRaw(r, `${file}: resources[${i}]`, positions);
    });
    return { format: "plan", resources, sourcePositions: positions };
}
