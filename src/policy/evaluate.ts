/**
 * The one pipeline every front end uses: run a policy's check, then turn each finding into a
 * reported one — its level from the finding class, the configured level and onUndetermined;
 * exemptions (config globs with expiry, and the `elb-health-exempt` tag) applied.
 */
import type { Topology } from "../model/topology";
import { analyzeReachability, type MemberReachability } from "../reach";
import type { CheckContext, Finding, Level, PolicyDefinition, Severity } from "./definition";
import { parseSettings, type Exemption, type PolicySettings } from "./settings";
import { urnGlobMatches } from "./urn-glob";

export const EXEMPT_TAG = "elb-health-exempt";

export interface ReportedFinding extends Finding {
    policy: string;
    policyId: string;
    severity: Severity;
    /** Final level. A configured level of "advisory" turns violations into advisories too. */
    level: Level;
    exemption?: { by: "config" | "tag"; reason?: string; expires?: string };
}

export interface EvaluateOptions {
    /** The policy's config as the engine sends it (getConfig()). */
    config?: unknown;
    /** The level the user configured for the policy; defaults to the policy's own. */
    configuredLevel?: Level;
    /** For expiry of exemptions; defaults to today (UTC). */
    today?: string;
    /** Shared per-topology cache of reachability results (the pack's policies share one). */
    cache?: ReachCache;
}

/** Reachability is the expensive part: compute it once per topology and reach settings. */
export class ReachCache {
    private readonly results = new WeakMap<Topology, Map<string, readonly MemberReachability[]>>();

    get(topology: Topology, s: PolicySettings): readonly MemberReachability[] {
        const key = JSON.stringify([s.sharedElbSourceRanges.toCidrs(), s.dedicatedSource, s.aclSameSubnet]);
        let byKey = this.results.get(topology);
        if (!byKey) this.results.set(topology, (byKey = new Map()));
        let r = byKey.get(key);
        if (!r) {
            r = analyzeReachability(topology, { sharedElbSourceRanges: s.sharedElbSourceRanges, dedicatedSource: s.dedicatedSource, aclSameSubnet: s.aclSameSubnet });
            byKey.set(key, r);
        }
        return r;
    }
}

export function evaluatePolicy(def: PolicyDefinition, topology: Topology, opts: EvaluateOptions = {}): ReportedFinding[] {
    const { settings, problems } = parseSettings(opts.config, def.settings);
    const base = { policy: def.name, policyId: def.id, severity: def.severity };
    if (problems.length > 0) {
        // A config the engine let through but we cannot honour: fail loudly rather than analyze with defaults.
        return [{ ...base, urn: "", class: "violation", level: "mandatory", message: `Invalid policy configuration for ${def.name}: ${problems.join("; ")}.` }];
    }
    const cache = opts.cache ?? new ReachCache();
    const ctx: CheckContext = { topology, settings, reachability: () => cache.get(topology, settings) };
    const today = opts.today ?? new Date().toISOString().slice(0, 10);
    const configured = opts.configuredLevel ?? def.defaultLevel;

    return def.check(ctx).map((f) => {
        const level = levelOf(f, configured, settings);
        const reported: ReportedFinding = { ...base, ...f, level };
        return applyExemptions(reported, def.name, settings.exemptions, topology, today);
    });
}

function levelOf(f: Finding, configured: Level, s: PolicySettings): Level {
    if (configured === "advisory") return "advisory";
    if (f.class === "violation") return "mandatory";
    if (f.class === "undetermined") return s.onUndetermined;
    return "advisory";
}

function applyExemptions(f: ReportedFinding, policy: string, exemptions: readonly Exemption[], topology: Topology, today: string): ReportedFinding {
    if (f.level !== "mandatory") return f;
    let expiredNote = "";
    for (const e of exemptions) {
        if (e.policies && !e.policies.includes(policy)) continue;
        if (!urnGlobMatches(e.urn, f.urn)) continue;
        if (e.expires < today) {
            expiredNote = ` (an exemption matching this resource expired on ${e.expires} and is ignored)`;
            continue;
        }
        return recordExemption(f, { by: "config", reason: e.reason, expires: e.expires }, `exempted until ${e.expires}: ${e.reason}`);
    }
    for (const urn of [f.urn, ...(f.related ?? [])]) {
        const tagged = topology.byUrn.get(urn);
        if (tagged && typeof tagged.tags[EXEMPT_TAG] === "string" && tagged.tags[EXEMPT_TAG].trim() !== "") {
            // The tag's value is the reason; it is a property value, so it is not echoed.
            return recordExemption(f, { by: "tag" }, `exempted by the ${EXEMPT_TAG} tag on ${tagged.name}`);
        }
    }
    return expiredNote ? { ...f, message: f.message + expiredNote } : f;
}

function recordExemption(f: ReportedFinding, exemption: NonNullable<ReportedFinding["exemption"]>, why: string): ReportedFinding {
    const firstLine = f.message.split("\n")[0];
    return { ...f, level: "advisory", exemption, message: `Exempted finding (${why}): ${firstLine}` };
}
