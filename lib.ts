/**
 * The library entry (dist/lib.js): the policies, the CrossGuard adapter an organization spreads
 * into its own PolicyPack, and the core pipeline the pack and the CLI share. Importing it starts
 * nothing: the pack entry that serves gRPC is index.ts (dist/index.js), which nothing imports.
 * The functions that take the policies to run default here to the pack's catalogue.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { catalogue } from "./policies";
import { check as checkWith, type CheckOptions, type CheckResult } from "./src/cli/check";
import { crossGuardPolicies as crossGuardPoliciesOf } from "./src/crossguard/pack-policies";
import type { Topology } from "./src/model/topology";
import type { PolicyDefinition } from "./src/policy/definition";
import type { ReportedFinding } from "./src/policy/evaluate";
import type { PolicyConfigFile } from "./src/policy/pack-config";
import { toEntries as toEntriesOf, type ReportEntry, type Summary } from "./src/report/findings";
import { toJson as toJsonOf, toSarif as toSarifOf, toText as toTextOf, type SarifOptions } from "./src/report/formats";
import { runPolicies as runPoliciesOf } from "./src/report/run-policies";

export * from "./policies";

type Definitions = readonly PolicyDefinition[];

/** CrossGuard policies for the given definitions (default: all nine), to spread into a PolicyPack. */
export function crossGuardPolicies(definitions: Definitions = catalogue): StackValidationPolicy[] {
    return crossGuardPoliciesOf(definitions);
}
/** The policies over a topology with a `--policy-pack-config` file, as the pack runs them. Throws PolicyConfigError. */
export function runPolicies(topology: Topology, config?: PolicyConfigFile, opts: { today?: string; definitions?: Definitions } = {}): ReportedFinding[] {
    return runPoliciesOf(topology, config, { ...opts, definitions: opts.definitions ?? catalogue });
}
export function toEntries(findings: readonly ReportedFinding[], definitions: Definitions = catalogue): ReportEntry[] {
    return toEntriesOf(findings, definitions);
}
export function toText(findings: readonly ReportedFinding[], summary: Summary, colour: boolean | NodeJS.WritableStream = false, definitions: Definitions = catalogue): string {
    return toTextOf(findings, summary, colour, definitions);
}
export function toJson(findings: readonly ReportedFinding[], summary: Summary, definitions: Definitions = catalogue): string {
    return toJsonOf(findings, summary, definitions);
}
export function toSarif(findings: readonly ReportedFinding[], opts: Partial<SarifOptions> = {}): string {
    return toSarifOf(findings, { ...opts, definitions: opts.definitions ?? catalogue });
}
/**
 * @deprecated Does nothing and returns false. It used to replace @pulumi/policy's deserializer for
 * the whole process; the one pass (serveInOnePass) deserializes the stack once per request without
 * touching what other policies of the pack get (docs/upstream-policy-sdk.md).
 */
export function installSharedDeserialization(): boolean {
    return false;
}
/** `elb-health check` in process. */
export function check(opts: Omit<CheckOptions, "definitions"> & { definitions?: Definitions }): CheckResult {
    return checkWith({ ...opts, definitions: opts.definitions ?? catalogue });
}
export { serveInOnePass } from "./src/crossguard/one-pass";

export { docsPath, docsUrl, docsReference } from "./src/policy/definition";
export { docsLinks } from "./src/policy/package";
export type { CheckContext, Finding, FindingClass, Level, PolicyDefinition, Severity, Verdict, Witness } from "./src/policy/definition";
export { evaluatePolicy, ReachCache, EXEMPT_TAG } from "./src/policy/evaluate";
export type { EvaluateOptions, ReportedFinding } from "./src/policy/evaluate";
export { configSchema } from "./src/policy/settings";

export { buildTopology } from "./src/model/build";
export type { Topology } from "./src/model/topology";
export type { RawResource } from "./src/model/types";
export { analyzeReachability, defaultReachConfig } from "./src/reach";
export type { MemberReachability, ReachConfig } from "./src/reach";

export { reconcileConfig, PolicyConfigError } from "./src/policy/pack-config";
export type { PolicyConfig, PolicyConfigFile } from "./src/policy/pack-config";
export { summarize, resourceOf } from "./src/report/findings";
export type { ReportEntry, Summary } from "./src/report/findings";
export { fingerprint } from "./src/report/formats";
export type { OutputFormat, SarifOptions } from "./src/report/formats";
export { parseStack, readStackFile, InputError } from "./src/cli/inputs";
export type { StackInput, InputFormat } from "./src/cli/inputs";
export type { CheckOptions, CheckResult } from "./src/cli/check";
