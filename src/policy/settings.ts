/**
 * Policy configuration: the JSON schema each policy publishes (the engine validates the user's
 * --policy-pack-config against it and fills defaults) and the parsed, typed settings.
 * The engine does not reject unknown keys (it validates against {type: object, properties}),
 * so parseSettings reports them itself.
 */
import { AddressSet, parseCidr } from "../net/addresses";
import { DEFAULT_SHARED_ELB_SOURCE_RANGES, SHARED_ELB_SOURCE_RANGES, type ReachConfig } from "../reach/types";
import type { Level } from "./levels";

export { DEFAULT_SHARED_ELB_SOURCE_RANGES };

/** Which shared settings a policy takes in its configSchema (exemptions and onUndetermined: always). */
export type SettingKey = "sharedElbSourceRanges" | "dedicatedSource" | "aclSameSubnet";

export type DedicatedSource = ReachConfig["dedicatedSource"];
export type AclSameSubnet = ReachConfig["aclSameSubnet"];
export type OnUndetermined = Level;

export interface Exemption {
    /** Glob over URNs (urn-glob.ts): `*` any run of characters, `::` and `/` included; `?` one character other than `/`. */
    urn: string;
    reason: string;
    /** YYYY-MM-DD, inclusive. */
    expires: string;
    /** Limit to these policy names. */
    policies?: string[];
}

export interface PolicySettings {
    sharedElbSourceRanges: AddressSet;
    sharedElbSourceRangesText: readonly string[];
    dedicatedSource: DedicatedSource;
    aclSameSubnet: AclSameSubnet;
    onUndetermined: OnUndetermined;
    exemptions: readonly Exemption[];
}

// Exact shapes of IPv4 / IPv6 CIDR blocks, so the engine rejects a typo before analysis starts.
const OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
const IPV4_CIDR = `^${OCTET}(\\.${OCTET}){3}/(3[0-2]|[12]?[0-9])$`;
const H = "[0-9a-fA-F]{1,4}";
const IPV6 = [
    `(${H}:){7}${H}`,
    `(${H}:){1,7}:`,
    `(${H}:){1,6}:${H}`,
    `(${H}:){1,5}(:${H}){1,2}`,
    `(${H}:){1,4}(:${H}){1,3}`,
    `(${H}:){1,3}(:${H}){1,4}`,
    `(${H}:){1,2}(:${H}){1,5}`,
    `${H}:(:${H}){1,6}`,
    `:((:${H}){1,7}|:)`,
].join("|");
const IPV6_CIDR = `^(${IPV6})/(12[0-8]|1[01][0-9]|[1-9]?[0-9])$`;
export const CIDR_PATTERN = `${IPV4_CIDR}|${IPV6_CIDR}`;

type JsonSchema = Record<string, unknown>;

const SCHEMAS: Record<SettingKey | "onUndetermined" | "exemptions", JsonSchema> = {
    sharedElbSourceRanges: {
        type: "array",
        description: "CIDR blocks shared load balancers send health checks from. Every block must be admitted.",
        items: { type: "string", pattern: CIDR_PATTERN, description: "a CIDR block such as 100.125.0.0/16" },
        minItems: 1,
        default: [...DEFAULT_SHARED_ELB_SOURCE_RANGES],
    },
    dedicatedSource: {
        type: "string",
        description: "Which CIDR a dedicated load balancer's health checks are judged from: its backend subnet(s), or its whole VPC (what the FAQ asks security groups to allow).",
        enum: ["backend-subnet", "vpc"],
        default: "backend-subnet",
    },
    aclSameSubnet: {
        type: "string",
        description: "Whether a network ACL filters traffic between a dedicated load balancer and members in the same subnet (unconfirmed in Huawei's docs; 'filtered' is the cautious reading).",
        enum: ["filtered", "not-filtered"],
        default: "filtered",
    },
    onUndetermined: {
        type: "string",
        description: "Level of a finding the pack cannot decide (a value unknown at preview, a resource outside this stack).",
        enum: ["advisory", "mandatory"],
        default: "advisory",
    },
    exemptions: {
        type: "array",
        description: "Waive findings on resources whose URN matches a glob, with a reason and an expiry date.",
        default: [],
        items: {
            type: "object",
            additionalProperties: false,
            required: ["urn", "reason", "expires"],
            properties: {
                urn: { type: "string", minLength: 1, description: "URN glob; * matches any run of characters" },
                reason: { type: "string", minLength: 1 },
                expires: { type: "string", pattern: "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$", description: "a date YYYY-MM-DD (the last day the exemption applies)" },
                policies: { type: "array", items: { type: "string" }, description: "limit to these policy names" },
            },
        },
    },
};

/** The configSchema of a policy that reads the given settings. */
export function configSchema(keys: readonly SettingKey[]): { properties: Record<string, JsonSchema> } {
    const properties: Record<string, JsonSchema> = {};
    for (const k of [...keys, "onUndetermined", "exemptions"] as const) properties[k] = SCHEMAS[k];
    return { properties };
}

export interface ParsedSettings {
    settings: PolicySettings;
    /** Problems the engine's schema check does not catch (unknown keys, values from callers that skipped it). */
    problems: string[];
}

const SETTING_NAMES = (keys: readonly SettingKey[]) => [...keys, "onUndetermined", "exemptions"];

// The one settings schema (configSchema), compiled by ajv once per combination of settings, with
// additionalProperties: false since the engine lets unknown keys through. Loaded on first use.
type Validator = ((v: unknown) => boolean) & { errors?: { instancePath: string; keyword: string; message?: string; params: Record<string, unknown>; parentSchema?: { description?: string } }[] | null };
const validators = new Map<string, Validator>();
function validatorFor(keys: readonly SettingKey[]): Validator {
    const id = keys.join(",");
    let v = validators.get(id);
    if (!v) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const Ajv = (require("ajv") as typeof import("ajv")).default;
        const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
        v = ajv.compile({ type: "object", properties: configSchema(keys).properties, additionalProperties: false }) as Validator;
        validators.set(id, v);
    }
    return v;
}

/** An ajv error as a problem naming the property: `exemptions[0].expires: must be a date YYYY-MM-DD (...)`. */
function describeError(e: NonNullable<Validator["errors"]>[number], allowed: readonly string[]): string {
    if (e.keyword === "additionalProperties" && e.instancePath === "") return `unknown property "${String(e.params.additionalProperty)}" (allowed: ${allowed.join(", ")})`;
    const where = e.instancePath.split("/").slice(1).map((p, i) => (i > 0 && /^\d+$/.test(p) ? `[${p}]` : i > 0 ? `.${p}` : p)).join("") || "(config)";
    const allowedValues = Array.isArray(e.params.allowedValues) ? ` (${e.params.allowedValues.map((a) => `"${String(a)}"`).join(", ")})` : "";
    const property = e.keyword === "additionalProperties" ? ` "${String(e.params.additionalProperty)}"` : "";
    const message = e.keyword === "pattern" ? `must be ${e.parentSchema?.description ?? "in the documented format"}` : (e.message ?? "is invalid");
    return `${where}: ${message}${property}${allowedValues}`;
}

/** Typed settings from a policy's config (getConfig()), checked against the policy's configSchema; missing keys take defaults. Never throws. */
export function parseSettings(raw: unknown, keys: readonly SettingKey[]): ParsedSettings {
    const allowed = SETTING_NAMES(keys);
    const cfg: Record<string, unknown> = raw !== null && typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
    const problems: string[] = [];
    try {
        const validate = validatorFor(keys);
        if (!validate(cfg)) for (const e of validate.errors ?? []) problems.push(describeError(e, allowed));
    } catch (e) {
        problems.push(`the configuration cannot be read (${e instanceof Error ? e.message : "unexpected value"})`);
    }
    // The schema's pattern admits exactly the CIDR blocks; parsing is the address library's.
    const ranges = problems.length === 0 && Array.isArray(cfg.sharedElbSourceRanges) ? (cfg.sharedElbSourceRanges as string[]) : [...DEFAULT_SHARED_ELB_SOURCE_RANGES];
    let set = AddressSet.EMPTY;
    for (const [i, r] of ranges.entries()) {
        const parsed = parseCidr(r);
        if (parsed.ok) set = set.union(parsed.value);
        else problems.push(`sharedElbSourceRanges[${i}]: expected ${parsed.error}`);
    }
    if (problems.length > 0) return { settings: defaultSettings(), problems };
    const exemptions = (cfg.exemptions as Exemption[] | undefined) ?? [];
    return {
        settings: {
            sharedElbSourceRanges: set,
            sharedElbSourceRangesText: ranges,
            dedicatedSource: (cfg.dedicatedSource as DedicatedSource | undefined) ?? "backend-subnet",
            aclSameSubnet: (cfg.aclSameSubnet as AclSameSubnet | undefined) ?? "filtered",
            onUndetermined: (cfg.onUndetermined as OnUndetermined | undefined) ?? "advisory",
            exemptions: exemptions.map((e) => ({ urn: e.urn, reason: e.reason, expires: e.expires, policies: e.policies })),
        },
        problems,
    };
}

function defaultSettings(): PolicySettings {
    return {
        sharedElbSourceRanges: SHARED_ELB_SOURCE_RANGES,
        sharedElbSourceRangesText: [...DEFAULT_SHARED_ELB_SOURCE_RANGES],
        dedicatedSource: "backend-subnet",
        aclSameSubnet: "filtered",
        onUndetermined: "advisory",
        exemptions: [],
    };
}
