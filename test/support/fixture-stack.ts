/**
 * Policy fixtures as data. A stack file lists resources whose cross-references are written as
 * `{ "ref": "<resource name>", "attr": "id" | "ipv4SubnetId" | ... }`. It renders two ways, as the
 * engine would send it:
 *   known   — an update of existing resources: every ID is a literal, no propertyDependencies needed;
 *   unknown — a fresh stack at preview: every reference is the SDK's unknown sentinel and the link
 *             exists only in propertyDependencies.
 * A fixture names a base stack and patches it (set / unset / delete / add) to break or fix exactly one thing.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import type { Plan, PlanResource } from "../../src/host/plan";
import type { RawResource } from "../../src/model/types";
import { indexToken, tokenInfo } from "../../src/model/tokens";

export type Mode = "known" | "unknown";

/** Finer control for hardening tests: per reference, known or unknown, and whether the link is recorded. */
export interface RenderOptions {
    /** Resources being created: their ids and computed outputs, and every reference to them, are unknown. Default: the mode. */
    fresh?: ReadonlySet<string>;
    /** Drop propertyDependencies (an unlinked unknown). */
    dropDependencies?: boolean;
    /** Wrap every property value in the engine's secret encoding. */
    allSecret?: boolean;
}

export interface StackResource {
    type: string;
    name: string;
    props: Record<string, unknown>;
    /** Outputs the cloud computes besides id, e.g. {"ipv4SubnetId": true, "vipPortId": true}: values derived from the name. */
    computed?: string[];
    /** The value a computed output takes once the resource exists, when a name-derived one would not be valid (an IP address). */
    computedValues?: Record<string, unknown>;
}

export interface Patch {
    op: "set" | "unset" | "delete" | "add";
    resource?: string;
    path?: string;
    value?: unknown;
    add?: StackResource;
}

export interface ExpectedFinding {
    resource: string;
    level: "mandatory" | "advisory";
    /** Substrings the message must contain. */
    contains?: string[];
}

export interface Fixture {
    file: string;
    policy: string;
    /** One line: the single thing this fixture breaks (or that it is the compliant twin). */
    description: string;
    base: string;
    patches: Patch[];
    /** Findings of `policy` expected; [] = none at all. */
    expect: ExpectedFinding[];
    /** Modes this fixture applies to (default both). */
    modes?: Mode[];
    /** The policy's config (as in --policy-pack-config), if not the defaults. */
    config?: Record<string, unknown>;
}

export const FIXTURES_DIR = path.join(__dirname, "..", "fixtures");
const PROJECT = "fixtures";
const STACK = "test";

export function urnOf(r: { type: string; name: string }): string {
    return `urn:pulumi:${STACK}::${PROJECT}::${r.type}::${r.name}`;
}

export function loadBase(name: string): StackResource[] {
    const file = path.join(FIXTURES_DIR, "stacks", `${name}.json`);
    return (JSON.parse(fs.readFileSync(file, "utf8")) as { resources: StackResource[] }).resources;
}

export function loadFixtures(): Fixture[] {
    const root = path.join(FIXTURES_DIR, "policies");
    const out: Fixture[] = [];
    for (const policy of fs.readdirSync(root).sort()) {
        for (const f of fs.readdirSync(path.join(root, policy)).filter((x) => x.endsWith(".json")).sort()) {
            const file = path.join(root, policy, f);
            out.push({ file: `${policy}/${f}`, policy, patches: [], ...JSON.parse(fs.readFileSync(file, "utf8")) });
        }
    }
    return out;
}

export function applyPatches(base: StackResource[], patches: Patch[]): StackResource[] {
    let resources: StackResource[] = structuredClone(base);
    for (const p of patches) {
        if (p.op === "add") {
            resources.push(structuredClone(p.add!));
            continue;
        }
        const target = resources.find((r) => r.name === p.resource);
        if (!target) throw new Error(`patch names unknown resource ${p.resource}`);
        if (p.op === "delete") {
            resources = resources.filter((r) => r !== target);
            continue;
        }
        const keys = p.path!.split(".");
        let obj: Record<string, unknown> = target.props;
        for (const k of keys.slice(0, -1)) obj = obj[k] as Record<string, unknown>;
        const last = keys[keys.length - 1];
        if (p.op === "set") obj[last] = structuredClone(p.value);
        else delete obj[last];
    }
    return resources;
}

/**
 * `known`: the literal value in known mode when it must be meaningful (an IP address).
 * `echo`: the attribute is an input the target echoes as an output (a subnet's `cidr`, a group's `name`):
 * the engine sends it known even at a first preview, with the dependency recorded.
 */
type RefValue = { ref: string; attr?: string; known?: string; echo?: boolean };
const isRef = (v: unknown): v is RefValue =>
    v !== null && typeof v === "object" && !Array.isArray(v) && typeof (v as { ref?: unknown }).ref === "string" && Object.keys(v as object).every((k) => k === "ref" || k === "attr" || k === "known" || k === "echo");

const isSecret = (v: unknown): v is { secret: unknown } => v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v as object).length === 1 && "secret" in (v as object);

/** The literal value an output has in known mode. */
function literal(name: string, attr: string): string {
    return `${name}-${attr}`;
}

/** Render one value; records the URNs a reference depends on. */
function renderValue(v: unknown, unknown: (target: string) => boolean, byName: Map<string, StackResource>, deps: Set<string>): unknown {
    if (isRef(v)) {
        const target = byName.get(v.ref);
        // A reference to a resource no longer in the stack (hardening mutations) is a dangling literal ID.
        if (!target) return `missing-${v.ref}-${v.attr ?? "id"}`;
        deps.add(urnOf(target));
        return unknown(v.ref) && !v.echo ? unknownValue : (v.known ?? literal(v.ref, v.attr ?? "id"));
    }
    if (isSecret(v)) return secret(renderValue(v.secret, unknown, byName, deps));
    if (Array.isArray(v)) return v.map((x) => renderValue(x, unknown, byName, deps));
    if (v !== null && typeof v === "object") {
        const o: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) o[k] = renderValue(x, unknown, byName, deps);
        return o;
    }
    return v;
}

/** The engine's secret encoding (policies receive the plain value). */
function secret(v: unknown): unknown {
    return { [specialSigKey]: "1b47061264138c4ac30d75fd1eb44270", value: v };
}

export interface Rendered {
    raw: RawResource[];
    plan: Plan;
}

export function render(resources: StackResource[], mode: Mode, opts: RenderOptions = {}): Rendered {
    const byName = new Map(resources.map((r) => [r.name, r]));
    const planResources: PlanResource[] = [];
    const stackUrn = urnOf({ type: "pulumi:pulumi:Stack", name: `${PROJECT}-${STACK}` });
    const providerUrn = urnOf({ type: "pulumi:providers:huaweicloud", name: "default" });
    planResources.push({ urn: stackUrn, type: "pulumi:pulumi:Stack", name: `${PROJECT}-${STACK}`, custom: false, inputs: {}, outputs: {}, dependencies: [], propertyDependencies: {} });
    planResources.push({ urn: providerUrn, type: "pulumi:providers:huaweicloud", name: "default", custom: true, parent: stackUrn, inputs: {}, outputs: {}, dependencies: [], propertyDependencies: {} });
    const raw: RawResource[] = [];
    for (const r of resources) {
        const propertyDependencies: Record<string, string[]> = {};
        const inputs: Record<string, unknown> = {};
        const all = new Set<string>();
        for (const [k, v] of Object.entries(r.props)) {
            const deps = new Set<string>();
            const isUnknown = (target: string) => (opts.fresh ? opts.fresh.has(target) : mode === "unknown");
            const value = renderValue(v, isUnknown, byName, deps);
            inputs[k] = opts.allSecret ? secret(value) : value;
            if (deps.size > 0 && !opts.dropDependencies) propertyDependencies[k] = [...deps];
            deps.forEach((d) => all.add(d));
        }
        const selfUnknown = opts.fresh ? opts.fresh.has(r.name) : mode === "unknown";
        const outputs: Record<string, unknown> = { ...inputs, id: selfUnknown ? unknownValue : literal(r.name, "id") };
        for (const attr of r.computed ?? []) if (!(attr in r.props)) outputs[attr] = selfUnknown ? unknownValue : (r.computedValues?.[attr] ?? literal(r.name, attr));
        const urn = urnOf(r);
        planResources.push({
            urn, type: r.type, name: r.name, custom: true, parent: stackUrn, inputs, outputs,
            dependencies: [...all], propertyDependencies, provider: `${providerUrn}::provider-id`,
        });
        raw.push({ urn, type: r.type, name: r.name, props: unwrapSecrets(outputs), propertyDependencies });
    }
    return { raw, plan: { version: 1, organization: "organization", project: PROJECT, stack: STACK, dryRun: mode === "unknown", resources: planResources } };
}

/** Policies receive secrets as plain values (the SDK unwraps them); unit tests see what the pack sees. */
function unwrapSecrets(v: unknown): Record<string, unknown> {
    const walk = (x: unknown): unknown => {
        if (Array.isArray(x)) return x.map(walk);
        if (x !== null && typeof x === "object") {
            const o = x as Record<string, unknown>;
            if (o[specialSigKey] === "1b47061264138c4ac30d75fd1eb44270") return walk(o.value);
            return Object.fromEntries(Object.entries(o).map(([k, y]) => [k, walk(y)]));
        }
        return x;
    };
    return walk(v) as Record<string, unknown>;
}

export type TokenStyle = "static" | "index";

/** The same resources under the dynamic `huaweicloud:index/<camel>:<Pascal>` token style. */
export function toIndexStyle(resources: StackResource[]): StackResource[] {
    return resources.map((r) => {
        const info = tokenInfo(r.type);
        return info ? { ...r, type: indexToken(info.terraform) } : r;
    });
}

export function renderFixture(f: Fixture, mode: Mode, style: TokenStyle = "static", opts: RenderOptions = {}): Rendered {
    const resources = applyPatches(loadBase(f.base), f.patches);
    return render(style === "index" ? toIndexStyle(resources) : resources, mode, opts);
}
