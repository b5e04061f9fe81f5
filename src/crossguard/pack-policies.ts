import type { StackValidationPolicy } from "@pulumi/policy";
import type { PolicyDefinition } from "../policy/definition";
import { StackAnalysisCache, toStackPolicy } from "./stack-policy";
import { objectFormSupported, probeObjectForm } from "./violation-form";

/**
 * CrossGuard policies for a set of definitions (the pack entry and the library pass the
 * catalogue), sharing one analysis cache. An organization can spread these into its own
 * PolicyPack next to other policies.
 */
export function crossGuardPolicies(definitions: readonly PolicyDefinition[]): StackValidationPolicy[] {
    // Settles in a few microtasks, long before the engine's first AnalyzeStack can arrive.
    if (objectFormSupported() === undefined) void probeObjectForm();
    const cache = new StackAnalysisCache();
    return definitions.map((d) => toStackPolicy(d, cache));
}
