/**
 * Applies fix operations (operations.ts) to a file `elb-health check` reads — `pulumi preview --json`
 * output, `pulumi stack export` output or a plan file — and returns the same format, fixed: what the
 * plan would be once the fixes are in the program. New resources are being created, so their IDs are
 * unknown (the engine's unknown sentinel) and every reference to them is recorded in
 * propertyDependencies, as the engine records it.
 *
 * Order: add-resource, set-property and remove-resource in list order, then insert-item per list from
 * the highest index down, so each index means a position in the list as the input has it.
 * set-property takes a path into an object input (`healthmonitor.timeout`); a null value removes the input.
 */
import type { FixOperation, ResourceRef } from "./operations";

/** The engine's marker for a value unknown at preview (`unknownValue` in @pulumi/pulumi/runtime/rpc). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

export class FixError extends Error {
    override name = "FixError";
}

export const isRef = (v: unknown): v is ResourceRef => isObject(v) && typeof v.ref === "string" && typeof v.property === "string" && Object.keys(v).length === 2;

/** The resource states of a file, and how to add or remove one. */
interface States {
    list(): Obj[];
    add(state: Obj): void;
    remove(urn: string): boolean;
}

function statesOf(doc: Obj): States {
    if (Array.isArray(doc.steps)) {
        const steps = doc.steps as Obj[];
        const live = (s: Obj) => isObject(s) && isObject(s.newState) && s.newState.delete !== true && !["delete", "delete-replaced", "discard", "discard-replaced", "remove-pending-replace", "read-discard"].includes(String(s.op));
        return {
            list: () => steps.filter(live).map((s) => s.newState as Obj),
            add: (state) => steps.push({ op: "create", urn: state.urn, newState: state }),
            remove: (urn) => {
                const i = steps.findIndex((s) => live(s) && (s.newState as Obj).urn === urn);
                if (i < 0) return false;
                steps.splice(i, 1);
                return true;
            },
        };
    }
    const holder = isObject(doc.deployment) ? doc.deployment : doc;
    if (!Array.isArray(holder.resources)) throw new FixError("the file has no resources to fix (expected pulumi preview --json, pulumi stack export or a plan file)");
    const resources = holder.resources as Obj[];
    return {
        list: () => resources.filter((r) => isObject(r) && r.delete !== true),
        add: (state) => resources.push(state),
        remove: (urn) => {
            const i = resources.findIndex((r) => isObject(r) && r.urn === urn && r.delete !== true);
            if (i < 0) return false;
            resources.splice(i, 1);
            return true;
        },
    };
}

/** What the policy sees of a state: its outputs, or its inputs when it has none. */
function propsOf(s: Obj): Obj {
    if (isObject(s.outputs) && Object.keys(s.outputs).length > 0) return s.outputs;
    return isObject(s.inputs) ? s.inputs : {};
}

/** `healthmonitor[0].timeout` → ["healthmonitor", 0, "timeout"]: a top-level input, or a path into an object input. */
export function propertyPath(property: string): (string | number)[] {
    const out: (string | number)[] = [];
    for (const part of property.split(".")) {
        const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
        if (!m) throw new FixError(`"${property}" is not a property path (names separated by dots, list positions as [n])`);
        out.push(m[1], ...[...m[2].matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1])));
    }
    return out;
}

/** Set (or, for null, remove) the value at a path; objects on the way are created, list positions must exist. */
function setAt(root: Obj, path: readonly (string | number)[], value: unknown, op: { urn: string; property: string }): void {
    let cur: unknown = root;
    for (let i = 0; i < path.length - 1; i++) {
        const key = path[i];
        const holder = cur as Record<string | number, unknown>;
        let next = holder[key];
        if (next === undefined || next === null) {
            if (typeof path[i + 1] === "number") throw new FixError(`${op.urn}: ${op.property}: the list ${path.slice(0, i + 1).join(".")} is not set`);
            next = holder[key] = {};
        }
        if (next === UNKNOWN || typeof next !== "object") throw new FixError(`${op.urn}: ${op.property}: ${String(key)} is ${next === UNKNOWN ? "unknown at preview" : "not an object"}`);
        if (typeof path[i + 1] === "number" && (!Array.isArray(next) || (path[i + 1] as number) >= next.length)) throw new FixError(`${op.urn}: ${op.property}: no such list position`);
        // A copy: inputs and outputs may share one object.
        next = holder[key] = Array.isArray(next) ? [...(next as unknown[])] : { ...(next as Obj) };
        cur = next;
    }
    const last = path[path.length - 1];
    const holder = cur as Record<string | number, unknown>;
    if (value === null && typeof last === "string") delete holder[last];
    else holder[last] = structuredClone(value);
}

export interface ApplyResult {
    /** The fixed document (the input is not changed). */
    doc: unknown;
    applied: number;
}

export function applyFixes(input: unknown, ops: readonly FixOperation[]): ApplyResult {
    if (!isObject(input)) throw new FixError("expected a JSON object");
    const doc = structuredClone(input);
    const states = statesOf(doc);
    const byUrn = () => new Map(states.list().map((s) => [s.urn as string, s]));
    let index = byUrn();
    const find = (urn: string): Obj => {
        const s = index.get(urn);
        if (!s) throw new FixError(`no resource ${urn} in the file`);
        return s;
    };

    /** A value with its references resolved; `deps` collects the URNs referred to. */
    const resolve = (v: unknown, deps: string[]): unknown => {
        if (isRef(v)) {
            const target = find(v.ref);
            deps.push(v.ref);
            const props = propsOf(target);
            if (v.property in props) return structuredClone(props[v.property]);
            if (v.property === "id" && typeof target.id === "string" && target.id !== "") return target.id;
            return UNKNOWN;
        }
        if (Array.isArray(v)) return v.map((x) => resolve(x, deps));
        if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x, deps)]));
        return v;
    };
    const addDeps = (s: Obj, property: string, deps: readonly string[], at?: number) => {
        if (deps.length === 0) return;
        const pd = (isObject(s.propertyDependencies) ? s.propertyDependencies : (s.propertyDependencies = {})) as Record<string, string[]>;
        const list = Array.isArray(pd[property]) ? pd[property] : (pd[property] = []);
        const fresh = deps.filter((d) => !list.includes(d));
        list.splice(at ?? list.length, 0, ...fresh);
        const all = Array.isArray(s.dependencies) ? (s.dependencies as string[]) : (s.dependencies = []);
        for (const d of fresh) if (!all.includes(d)) all.push(d);
    };

    let applied = 0;
    for (const op of ops) {
        switch (op.op) {
            case "add-resource": {
                if (index.has(op.urn)) throw new FixError(`${op.urn} already exists`);
                const inputs: Obj = {};
                const propertyDependencies: Record<string, string[]> = {};
                const dependencies: string[] = [];
                for (const [k, v] of Object.entries(op.inputs)) {
                    const deps: string[] = [];
                    inputs[k] = resolve(v, deps);
                    if (deps.length > 0) propertyDependencies[k] = [...new Set(deps)];
                    for (const d of deps) if (!dependencies.includes(d)) dependencies.push(d);
                }
                // Provider and parent as the resource it refers to first.
                const like = dependencies.length > 0 ? find(dependencies[0]) : undefined;
                const state: Obj = {
                    urn: op.urn,
                    custom: true,
                    type: op.type,
                    ...(like && typeof like.parent === "string" ? { parent: like.parent } : {}),
                    ...(like && typeof like.provider === "string" ? { provider: like.provider } : {}),
                    name: op.name,
                    inputs,
                    outputs: { ...structuredClone(inputs), id: UNKNOWN },
                    dependencies,
                    propertyDependencies,
                };
                // Stack exports have no `name` field; plans and previews tolerate it.
                states.add(state);
                index = byUrn();
                break;
            }
            case "set-property": {
                const s = find(op.urn);
                const deps: string[] = [];
                const value = resolve(op.value, deps);
                const path = propertyPath(op.property);
                if (!isObject(s.inputs)) s.inputs = {};
                for (const key of ["inputs", "outputs"]) if (isObject(s[key]) && (key === "inputs" || Object.keys(s[key] as Obj).length > 0)) setAt(s[key] as Obj, path, value, op);
                addDeps(s, String(path[0]), deps);
                break;
            }
            case "remove-resource":
                if (!states.remove(op.urn)) throw new FixError(`no resource ${op.urn} in the file`);
                index = byUrn();
                break;
            case "insert-item":
                continue; // below
        }
        applied++;
    }

    // Inserts: per list, highest index first (stable), so indexes refer to the input's list.
    const inserts = ops.map((op, i) => ({ op, i })).filter((x): x is { op: Extract<FixOperation, { op: "insert-item" }>; i: number } => x.op.op === "insert-item");
    inserts.sort((a, b) => a.op.urn.localeCompare(b.op.urn) || a.op.property.localeCompare(b.op.property) || b.op.index - a.op.index || b.i - a.i);
    for (const { op } of inserts) {
        const s = find(op.urn);
        const deps: string[] = [];
        const value = resolve(op.value, deps);
        let unknownBefore = 0;
        let touched = false;
        for (const key of ["inputs", "outputs"]) {
            const props = s[key];
            if (!isObject(props) || (key === "outputs" && Object.keys(props).length === 0)) continue;
            const current = props[op.property] ?? [];
            if (!Array.isArray(current)) throw new FixError(`${op.urn}: ${op.property} is not a list (${current === UNKNOWN ? "unknown at preview" : typeof current}), so no rule can be inserted`);
            // A copy: inputs and outputs may share one array.
            const list = [...current];
            if (op.index < 0 || op.index > list.length) throw new FixError(`${op.urn}: ${op.property} has ${list.length} item(s); cannot insert at ${op.index}`);
            unknownBefore = list.slice(0, op.index).filter((x) => x === UNKNOWN).length;
            list.splice(op.index, 0, structuredClone(value));
            props[op.property] = list;
            touched = true;
        }
        if (!touched) s.inputs = { [op.property]: [value] };
        if (deps.length > 0) {
            // List elements unknown at preview take the dependencies whose ID is unknown, in order: keep the new one at its place.
            const pd = isObject(s.propertyDependencies) ? (s.propertyDependencies[op.property] as string[] | undefined) : undefined;
            let at = pd?.length ?? 0;
            if (pd) {
                let seen = 0;
                at = pd.findIndex((urn) => {
                    const t = index.get(urn);
                    const id = t ? (propsOf(t).id ?? t.id) : undefined;
                    if (id === undefined || id === UNKNOWN) return seen++ === unknownBefore;
                    return false;
                });
                if (at < 0) at = pd.length;
            }
            addDeps(s, op.property, deps, at);
        }
        applied++;
    }
    return { doc, applied };
}
