/**
 * CrossGuard adapter: each PolicyDefinition becomes one stack policy (cross-resource checks need
 * propertyDependencies, which only stack policies get). The policies of one AnalyzeStack call share
 * one topology and one reachability result.
 */
import type { PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { buildTopology } from "../model/build";
import type { Topology } from "../model/topology";
import type { RawResource } from "../model/types";
import { DOCS_BASE_URL, docsPath, type PolicyDefinition } from "../policy/definition";
import { evaluatePolicy, ReachCache, type ReportedFinding } from "../policy/evaluate";
import { configSchema } from "../policy/settings";

/** One per pack process: topologies keyed by the first resource's props object, which every policy of a request shares (shared-deserialization.ts). */
export class StackAnalysisCache {
    private readonly topologies = new WeakMap<object, { count: number; topology: Topology }>();
    readonly reach = new ReachCache();

    topologyFor(resources: readonly PolicyResource[]): Topology {
        const key = resources[0]?.props as object | undefined;
        const hit = key ? this.topologies.get(key) : undefined;
        if (hit && hit.count === resources.length) return hit.topology;
        const topology = buildTopology(resources.map(toRawResource));
        if (key) this.topologies.set(key, { count: resources.length, topology });
        return topology;
    }
}

function toRawResource(r: PolicyResource): RawResource {
    const propertyDependencies: Record<string, string[]> = {};
    for (const [k, deps] of Object.entries(r.propertyDependencies ?? {})) propertyDependencies[k] = deps.map((d) => d.urn);
    return { urn: r.urn, type: r.type, name: r.name, props: r.props, propertyDependencies };
}

export function toStackPolicy(def: PolicyDefinition, cache: StackAnalysisCache): StackValidationPolicy {
    return {
        name: def.name,
        description: def.description,
        displayName: def.displayName,
        enforcementLevel: def.defaultLevel,
        severity: def.severity,
        remediationSteps: def.remediation,
        url: DOCS_BASE_URL + docsPath(def),
        tags: ["huaweicloud", "elb", "health-check", def.id],
        configSchema: configSchema(def.settings),
        validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
            for (const f of analyzeSafely(def, args, cache)) report(def, f, reportViolation);
        },
    };
}

function analyzeSafely(def: PolicyDefinition, args: StackValidationArgs, cache: StackAnalysisCache): ReportedFinding[] {
    try {
        const topology = cache.topologyFor(args.resources);
        // The SDK applies the configured level to what we report at the policy's level; we pass the
        // ceiling so that only findings that must stay advisory are marked as such (report()).
        return evaluatePolicy(def, topology, { config: args.getConfig(), configuredLevel: "mandatory", cache: cache.reach });
    } catch (e) {
        // Fail closed: an escaped error would become one advisory (or an internal engine error) and the gate would pass.
        const why = e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 300) : "unexpected error";
        return [{ policy: def.name, policyId: def.id, severity: def.severity, urn: "", class: "violation", level: "mandatory", message: `${def.name} could not analyze this stack (${why}). Please report this with the stack's resource types.` }];
    }
}

function report(def: PolicyDefinition, f: ReportedFinding, reportViolation: ReportViolation): void {
    const message = `[${def.id}] ${f.message}`;
    if (f.level === "mandatory") {
        // The SDK reports it at the policy's effective level (mandatory, or advisory if so configured).
        reportViolation(message, f.urn || undefined);
    } else {
        // Findings that must stay advisory whatever the policy's level (undetermined, warnings, exemption
        // records) use the SDK's object form, the same path its own preview diagnostics take.
        const asObject = reportViolation as unknown as (v: Record<string, unknown>) => void;
        asObject({ message: `${def.description}\n${message}`, urn: f.urn || undefined, enforcementLevel: "advisory", severity: def.severity });
    }
}
