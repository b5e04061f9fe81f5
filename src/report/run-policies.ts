/**
 * The offline path: the catalogue's policies over a topology with a CrossGuard config file,
 * reconciled and validated exactly as the engine does for the pack (src/policy/pack-config.ts,
 * the one reconciliation module), then each enabled policy through evaluatePolicy.
 */
import { reconcileConfig, type PolicyConfigFile, type PolicyMeta } from "../policy/pack-config";
import type { Topology } from "../model/topology";
import type { PolicyDefinition } from "../policy/definition";
import { evaluatePolicy, ReachCache, type ReportedFinding } from "../policy/evaluate";
import { configSchema } from "../policy/settings";
import { PACK_NAME } from "./package-info";

export { PACK_NAME };

/** What the pack announces for a policy in GetAnalyzerInfo (crossguard/stack-policy.ts). */
export function policyMeta(def: PolicyDefinition): PolicyMeta {
    return { name: def.name, enforcementLevel: def.defaultLevel, configSchema: configSchema(def.settings) };
}

/** Throws PolicyConfigError for a config the engine would refuse (unknown policy, bad level, schema failure). */
export function runPolicies(topology: Topology, config: PolicyConfigFile | undefined, opts: { today?: string; definitions: readonly PolicyDefinition[] }): ReportedFinding[] {
    const defs = opts.definitions;
    const reconciled = reconcileConfig(PACK_NAME, defs.map(policyMeta), config);
    const cache = new ReachCache();
    const out: ReportedFinding[] = [];
    for (const def of defs) {
        const c = reconciled[def.name];
        if (c.enforcementLevel === "disabled") continue;
        // remediate is reported as mandatory for stack policies (pulumi-policy.md §1.8).
        const configuredLevel = c.enforcementLevel === "advisory" ? "advisory" : "mandatory";
        out.push(...evaluatePolicy(def, topology, { config: c.properties, configuredLevel, today: opts.today, cache }));
    }
    return out;
}
