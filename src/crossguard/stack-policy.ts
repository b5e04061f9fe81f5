/**
 * CrossGuard adapter: each PolicyDefinition becomes one stack policy (cross-resource checks need
 * propertyDependencies, which only stack policies get). The policies of one AnalyzeStack call share
 * one topology and one reachability result. When the pack is served in one pass (one-pass.ts), the
 * first enabled policy evaluates every enabled definition and reports each finding under its own
 * policy's name; the others are not run by the SDK at all.
 */
import type { PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { buildTopology } from "../model/build";
import type { Topology } from "../model/topology";
import type { RawResource } from "../model/types";
import { docsUrl, type Level, type PolicyDefinition } from "../policy/definition";
import { evaluatePolicy, ReachCache, type ReportedFinding } from "../policy/evaluate";
import { configSchema } from "../policy/settings";
import { diagnosticText, reportFinding } from "./violation-form";

/** One definition as the current AnalyzeStack runs it: its effective level and its config. */
export interface PassMember {
    def: PolicyDefinition;
    level: Level;
    config: unknown;
}

/**
 * One per pack process: topologies keyed by the first resource's props object. The SDK gives each
 * policy it runs props objects of its own, so the key hits when the one pass runs every
 * definition over the same resources (one-pass.ts), and never across policies or requests otherwise.
 */
export class StackAnalysisCache {
    private readonly topologies = new WeakMap<object, { count: number; topology: Topology }>();
    readonly reach = new ReachCache();
    /** Set by one-pass.ts for the duration of one AnalyzeStack: which policy runs them all, and what it runs. */
    pass?: { driver: string; members: readonly PassMember[] };

    topologyFor(resources: readonly PolicyResource[]): Topology {
        const key = resources[0]?.props as object | undefined;
        const hit = key ? this.topologies.get(key) : undefined;
        if (hit && hit.count === resources.length) return hit.topology;
        const topology = buildTopology(resources.map(toRawResource));
        if (key) this.topologies.set(key, { count: resources.length, topology });
        return topology;
    }
}

/** The definition and cache behind each policy object this module made (one-pass.ts needs both). */
export const adapted = new WeakMap<object, { def: PolicyDefinition; cache: StackAnalysisCache }>();

function toRawResource(r: PolicyResource): RawResource {
    const propertyDependencies: Record<string, string[]> = {};
    for (const [k, deps] of Object.entries(r.propertyDependencies ?? {})) propertyDependencies[k] = deps.map((d) => d.urn);
    return { urn: r.urn, type: r.type, name: r.name, props: r.props, propertyDependencies };
}

export function toStackPolicy(def: PolicyDefinition, cache: StackAnalysisCache): StackValidationPolicy {
    const policy: StackValidationPolicy = {
        name: def.name,
        description: def.description,
        displayName: def.displayName,
        enforcementLevel: def.defaultLevel,
        severity: def.severity,
        remediationSteps: def.remediation,
        ...(docsUrl(def) ? { url: docsUrl(def) } : {}),
        tags: ["huaweicloud", "elb", "health-check", def.id],
        configSchema: configSchema(def.settings),
        validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
            const pass = cache.pass;
            if (pass && pass.driver === def.name) {
                for (const m of pass.members) {
                    for (const f of analyzeSafely(m.def, args.resources, m.config, m.level, cache)) reportFinding(reportViolation, m.def, f, m.level);
                }
                return;
            }
            // The SDK applies the configured level to what we report at the policy's level; we pass the
            // ceiling so that only findings that must stay advisory are marked as such.
            for (const f of analyzeSafely(def, args.resources, args.getConfig(), "mandatory", cache)) report(def, f, reportViolation);
        },
    };
    adapted.set(policy, { def, cache });
    return policy;
}

function analyzeSafely(def: PolicyDefinition, resources: readonly PolicyResource[], config: unknown, configuredLevel: Level, cache: StackAnalysisCache): ReportedFinding[] {
    try {
        const topology = cache.topologyFor(resources);
        return evaluatePolicy(def, topology, { config, configuredLevel, cache: cache.reach });
    } catch (e) {
        // Fail closed: an escaped error would become one advisory (or an internal engine error) and the gate would pass.
        const why = e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 300) : "unexpected error";
        return [{ policy: def.name, policyId: def.id, severity: def.severity, urn: "", class: "violation", level: "mandatory", message: `${def.name} could not analyze this stack (${why}). Please report this with the stack's resource types.` }];
    }
}

/**
 * Reported by the policy running it, one by one: a mandatory finding in the message form, so the
 * SDK applies the policy's configured level; one that must stay advisory whatever that level
 * (undetermined, warnings, exemption records) at advisory (violation-form.ts).
 */
function report(def: PolicyDefinition, f: ReportedFinding, reportViolation: ReportViolation): void {
    if (f.level === "mandatory") reportViolation(`[${def.id}] ${diagnosticText(f)}`, f.urn || undefined);
    else reportFinding(reportViolation, def, f, "advisory");
}
