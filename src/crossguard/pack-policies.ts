import type { StackValidationPolicy } from "@pulumi/policy";
import type { PolicyDefinition } from "../policy/definition";
import { StackAnalysisCache, toStackPolicy } from "./stack-policy";

/**
 * CrossGuard policies for a set of definitions (the pack entry and the library pass the
 * catalogue), sharing one analysis cache. An organization can spread these into its own
 * PolicyPack next to other policies.
 */
export function crossGuardPolicies(definitions: readonly PolicyDefinition[]): StackValidationPolicy[] {
    const cache = new StackAnalysisCache();
    return definitions.map((d) => toStackPolicy(d, cache));
}
