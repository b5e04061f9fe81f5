/**
 * The offline path: the catalogue's policies over a topology with a CrossGuard config file,
 * reconciled and validated exactly as the engine does for the pack (src/host/engine-config.ts).
 */
import { catalogue } from "../../policies";
import { reconcileConfig, type PolicyConfigFile, type PolicyMeta } from "../host/engine-config";
import type { Topology } from "../model/topology";
import type { PolicyDefinition } from "../policy/definition";
import { evaluatePolicy, ReachCache, type ReportedFinding } from "../policy/evaluate";
import { configSchema } from "../policy/settings";

export const PACK_NAME = "huaweicloud-elb-health";

export function policyMeta(def: PolicyDefinition): PolicyMeta {
    return { name: def.name, enforcementLevel: def.defaultLevel, configSchema: configSchema(def.settings) };
}

export function runPolicies(topology: Topology, config?: PolicyConfigFile, opts: { today?: string; definitions?: readonly PolicyDefinition[] } = {}): ReportedFinding[] {
    const defs = opts.definitions ?? catalogue;
    const reconciled = reconcileConfig(PACK_NAME, defs.map(policyMeta), config);
    const cache = new ReachCache();
    const out: ReportedFinding[] = [];
    for (const def of defs) {
        const c = reconciled[def.name];
        if (c.enforcementLevel === "disabled") continue;
        const configuredLevel = c.enforcementLevel === "advisory" ? "advisory" : "mandatory";
        out.push(...evaluatePolicy(def, topology, { config: c.properties, configuredLevel, today: opts.today, cache }));
    }
    return out;
}
