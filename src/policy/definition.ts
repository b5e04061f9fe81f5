/**
 * What a policy is, independent of @pulumi/policy: metadata plus a pure check over the
 * topology. The CrossGuard adapter (src/crossguard), the offline CLI (src/cli) and the tests
 * all run these same definitions.
 */
import type { FixOperation } from "../fix/operations";
import type { Topology } from "../model/topology";
import type { MemberReachability, Verdict, Witness } from "../reach";
import type { Level } from "./levels";
import { PACK_NAME, packageDocsLinks } from "./package";
import type { PolicySettings, SettingKey } from "./settings";
import type { FlowExplanation } from "./explain";

export type { Level, SettingKey, Verdict, Witness };
export type Severity = "low" | "medium" | "high" | "critical";

/**
 * violation: the policy's own (configured) level; warning: always advisory ("suspicious");
 * undetermined: what `onUndetermined` says.
 */
export type FindingClass = "violation" | "warning" | "undetermined";

/** One finding of a check, before levels and exemptions are applied. */
export interface Finding {
    /** The resource a user would fix or look at. */
    urn: string;
    class: FindingClass;
    /** Written for the person who must fix the stack. Quotes only ports, CIDRs, protocols and names. */
    message: string;
    verdict?: Verdict;
    witness?: Witness;
    /** The change that fixes it, as one sentence. */
    fix?: string;
    /** The same change as operations on the plan (docs/fix-operations.md); absent when none can be given as data. */
    fixes?: FixOperation[];
    /** Reachability findings: each flow checked, its verdict and what blocks it. */
    explanation?: FlowExplanation[];
    /** Other resources involved (server, pool, security group): their `elb-health-exempt` tag also exempts the finding. */
    related?: string[];
}

export interface CheckContext {
    topology: Topology;
    settings: PolicySettings;
    /** Reachability of every member, computed once per topology and settings. */
    reachability(): readonly MemberReachability[];
}

export interface PolicyDefinition {
    /** Stable kebab-case name: the CrossGuard policy name. */
    name: string;
    /** Stable short ID, in the seed's order (HWELB-001 ...). */
    id: string;
    displayName: string;
    /** One sentence; CrossGuard prefixes every message with it. */
    description: string;
    severity: Severity;
    defaultLevel: Level;
    /** What to do, for pack metadata and SARIF help. */
    remediation: string;
    /** Settings this policy reads, besides exemptions and onUndetermined. */
    settings: readonly SettingKey[];
    check(ctx: CheckContext): Finding[];
}

/** Where the docs page of a policy lives, relative to the repository root. */
export function docsPath(def: Pick<PolicyDefinition, "name">): string {
    return `docs/policies/${def.name}.md`;
}

/** The policy's page as a URL, when package.json says where the docs are published (package.ts). */
export function docsUrl(def: Pick<PolicyDefinition, "name">): string | undefined {
    const base = packageDocsLinks().base;
    return base === undefined ? undefined : base + docsPath(def);
}

/** The policy's page for a reader: its URL, else its path in the installed package. */
export function docsReference(def: Pick<PolicyDefinition, "name">): string {
    return docsUrl(def) ?? `${docsPath(def)} in the ${PACK_NAME} package`;
}
