/**
 * The library entry (dist/lib.js): the policies, the CrossGuard adapter an organization spreads
 * into its own PolicyPack, and the core pipeline the pack and the CLI share. Importing it starts
 * nothing: the pack entry that serves gRPC is index.ts (dist/index.js), which nothing imports.
 */
export * from "./policies";
export { crossGuardPolicies } from "./src/crossguard/pack-policies";
export { installSharedDeserialization } from "./src/crossguard/shared-deserialization";
export { serveInOnePass } from "./src/crossguard/one-pass";

export { DOCS_BASE_URL, docsPath } from "./src/policy/definition";
export type { CheckContext, Finding, FindingClass, Level, PolicyDefinition, Severity, Verdict, Witness } from "./src/policy/definition";
export { evaluatePolicy, ReachCache, EXEMPT_TAG } from "./src/policy/evaluate";
export type { EvaluateOptions, ReportedFinding } from "./src/policy/evaluate";
export { configSchema } from "./src/policy/settings";

export { buildTopology } from "./src/model/build";
export type { Topology } from "./src/model/topology";
export type { RawResource } from "./src/model/types";
export { analyzeReachability, defaultReachConfig } from "./src/reach";
export type { MemberReachability, ReachConfig } from "./src/reach";

export { reconcileConfig, PolicyConfigError } from "./src/host/engine-config";
export type { PolicyConfig, PolicyConfigFile } from "./src/host/engine-config";
export { runPolicies } from "./src/report/run-policies";
export { toEntries, summarize, resourceOf } from "./src/report/findings";
export type { ReportEntry, Summary } from "./src/report/findings";
export { toText, toJson, toSarif, fingerprint } from "./src/report/formats";
export type { OutputFormat, SarifOptions } from "./src/report/formats";
export { parseStack, readStackFile, InputError } from "./src/cli/inputs";
export type { StackInput, InputFormat } from "./src/cli/inputs";
export { check } from "./src/cli/check";
export type { CheckOptions, CheckResult } from "./src/cli/check";
