/**
 * Policy-pack config reconciliation and validation, as the Pulumi engine does it
 * (pulumi-policy.md §1.7, §2.3): defaults from each policy's level and configSchema, then the
 * user's file; in the file `all` sets every level first, then per-policy entries apply; unknown
 * policy names and properties failing the schema stop the run before analysis.
 * Shared by the analyzer host (what `pulumi preview --policy-pack-config` does) and the CLI.
 */
import Ajv from "ajv";
import { isEnforcementLevel, type EnforcementLevel } from "./levels";

export type { EnforcementLevel };

/** A `--policy-pack-config` file: policy name → level, or { enforcementLevel?, ...properties }. */
export type PolicyConfigFile = Record<string, unknown>;

export interface PolicyMeta {
    name: string;
    enforcementLevel: EnforcementLevel;
    configSchema?: { properties?: Record<string, unknown>; required?: string[] };
}

export interface PolicyConfig {
    enforcementLevel: EnforcementLevel;
    properties: Record<string, unknown>;
}

export class PolicyConfigError extends Error {
    override name = "PolicyConfigError";
}

export function reconcileConfig(packName: string, policies: readonly PolicyMeta[], file: PolicyConfigFile | undefined): Record<string, PolicyConfig> {
    const out: Record<string, PolicyConfig> = {};
    for (const p of policies) {
        const properties: Record<string, unknown> = {};
        for (const [k, schema] of Object.entries(p.configSchema?.properties ?? {})) {
            const d = (schema as { default?: unknown }).default;
            if (d !== undefined) properties[k] = structuredClone(d);
        }
        out[p.name] = { enforcementLevel: p.enforcementLevel, properties };
    }
    if (file !== undefined && (file === null || typeof file !== "object" || Array.isArray(file))) {
        throw new PolicyConfigError(`policy config must be a JSON object mapping policy names to levels or settings`);
    }
    const entries = Object.entries(file ?? {}).filter(([k]) => k !== "environments");
    const parseLevel = (k: string, v: unknown): EnforcementLevel => {
        if (isEnforcementLevel(v)) return v;
        throw new PolicyConfigError(`parsing enforcement level for "${k}": ${JSON.stringify(v)} is not a valid enforcement level`);
    };
    // `all` first, then per-policy entries.
    for (const [k, v] of entries) {
        if (k !== "all") continue;
        const level = parseLevel(k, typeof v === "object" && v !== null ? (v as Record<string, unknown>).enforcementLevel : v);
        for (const p of Object.values(out)) p.enforcementLevel = level;
    }
    for (const [k, v] of entries) {
        if (k === "all") continue;
        const target = out[k];
        if (!target) throw new PolicyConfigError(`validating policy config for "${packName}": "${k}" is not a policy of this pack (policies: ${Object.keys(out).join(", ")})`);
        if (typeof v === "string") target.enforcementLevel = parseLevel(k, v);
        else if (v !== null && typeof v === "object" && !Array.isArray(v)) {
            for (const [pk, pv] of Object.entries(v as Record<string, unknown>)) {
                if (pk === "enforcementLevel") target.enforcementLevel = parseLevel(k, pv);
                else target.properties[pk] = pv;
            }
        } else throw new PolicyConfigError(`parsing "${k}": the value must be a string or object`);
    }
    validate(packName, policies, out);
    return out;
}

// verbose: pattern errors name the schema's description instead of printing the regular expression.
const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });

function validate(packName: string, policies: readonly PolicyMeta[], config: Record<string, PolicyConfig>): void {
    const problems: string[] = [];
    for (const p of policies) {
        if (!p.configSchema?.properties) continue;
        const check = ajv.compile({ type: "object", properties: p.configSchema.properties, required: p.configSchema.required ?? [] });
        if (check(config[p.name].properties)) continue;
        for (const e of check.errors ?? []) {
            const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, ".") : "(root)";
            const described = (e.parentSchema as { description?: string } | undefined)?.description;
            const message = e.keyword === "pattern" ? `must be ${described ?? "in the documented format"}` : (e.message ?? "is invalid");
            problems.push(`${p.name}: ${where}: ${message}${e.params && "allowedValues" in e.params ? ` (${(e.params.allowedValues as unknown[]).join(", ")})` : ""}`);
        }
    }
    if (problems.length > 0) throw new PolicyConfigError(`validating policy config for "${packName}": ${problems.join("; ")}`);
}
