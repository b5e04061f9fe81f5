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

/** Typed settings from a policy's config (getConfig()); missing keys take defaults. Never throws. */
export function parseSettings(raw: unknown, keys: readonly SettingKey[]): ParsedSettings {
    const problems: string[] = [];
    const cfg: Record<string, unknown> = raw !== null && typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
    const allowed = new Set<string>([...keys, "onUndetermined", "exemptions"]);
    for (const k of Object.keys(cfg)) {
        if (!allowed.has(k)) problems.push(`unknown property "${k}" (allowed: ${[...allowed].join(", ")})`);
    }

    let ranges: string[] = [...DEFAULT_SHARED_ELB_SOURCE_RANGES];
    let set = AddressSet.EMPTY;
    const rawRanges = cfg.sharedElbSourceRanges;
    if (rawRanges !== undefined) {
        if (!Array.isArray(rawRanges) || rawRanges.length === 0) problems.push("sharedElbSourceRanges: expected a non-empty list of CIDR blocks");
        else ranges = rawRanges.filter((r): r is string => typeof r === "string");
    }
    for (const [i, r] of ranges.entries()) {
        const parsed = parseCidr(r);
        if (parsed.ok) set = set.union(parsed.value);
        else problems.push(`sharedElbSourceRanges[${i}]: expected ${parsed.error}`);
    }
    if (set.isEmpty()) set = SHARED_ELB_SOURCE_RANGES;

    return {
        settings: {
            sharedElbSourceRanges: set,
            sharedElbSourceRangesText: ranges,
            dedicatedSource: pickEnum(cfg.dedicatedSource, ["backend-subnet", "vpc"], "backend-subnet", "dedicatedSource", problems),
            aclSameSubnet: pickEnum(cfg.aclSameSubnet, ["filtered", "not-filtered"], "filtered", "aclSameSubnet", problems),
            onUndetermined: pickEnum(cfg.onUndetermined, ["advisory", "mandatory"], "advisory", "onUndetermined", problems),
            exemptions: parseExemptions(cfg.exemptions, problems),
        },
        problems,
    };
}

function pickEnum<T extends string>(v: unknown, allowed: readonly T[], dflt: T, key: string, problems: string[]): T {
    if (v === undefined) return dflt;
    if (typeof v === "string" && (allowed as readonly string[]).includes(v)) return v as T;
    problems.push(`${key}: expected one of ${allowed.map((a) => `"${a}"`).join(", ")}`);
    return dflt;
}

function parseExemptions(v: unknown, problems: string[]): Exemption[] {
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
        problems.push("exemptions: expected a list of {urn, reason, expires}");
        return [];
    }
    const out: Exemption[] = [];
    v.forEach((e, i) => {
        const o = e !== null && typeof e === "object" ? (e as Record<string, unknown>) : {};
        const ok =
            typeof o.urn === "string" && o.urn !== "" &&
            typeof o.reason === "string" && o.reason !== "" &&
            typeof o.expires === "string" && /^\d{4}-\d{2}-\d{2}$/.test(o.expires) &&
            (o.policies === undefined || (Array.isArray(o.policies) && o.policies.every((p) => typeof p === "string")));
        if (!ok) problems.push(`exemptions[${i}]: expected {urn: glob, reason: text, expires: YYYY-MM-DD, policies?: [names]}`);
        else out.push({ urn: o.urn as string, reason: o.reason as string, expires: o.expires as string, policies: o.policies as string[] | undefined });
    });
    return out;
}
