/**
 * Enforcement levels: the one definition of the names and of their numbers on the analyzer
 * protocol (enum EnforcementLevel in analyzer.proto), for the config reconciliation, the
 * one-pass wrapper and the analyzer host.
 */

/** What a policy-pack config can set a policy to. */
export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** The level a finding is reported at (remediate is reported as mandatory for stack policies, disabled reports nothing). */
export type Level = Extract<EnforcementLevel, "advisory" | "mandatory">;

/** Proto enum EnforcementLevel (analyzer.proto): number → name. */
export const LEVEL_OF_NUMBER: Readonly<Record<number, EnforcementLevel>> = { 0: "advisory", 1: "mandatory", 2: "disabled", 3: "remediate" };
/** Proto enum EnforcementLevel (analyzer.proto): name → number. */
export const NUMBER_OF_LEVEL: Readonly<Record<EnforcementLevel, number>> = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 };

export function isEnforcementLevel(v: unknown): v is EnforcementLevel {
    return typeof v === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(v);
}
