/**
 * The project's own plan format: what the engine knows about each resource when it calls the
 * analyzer, in the engine's wire encoding. Captured from a program (capture.ts), read from a
 * JSON file (docs/plan-format.md), converted from `pulumi preview --json` / `stack export`
 * (src/cli), and replayed to a pack over gRPC (analyzer-host.ts).
 *
 * Encoding of values inside `inputs` / `outputs`, exactly as the engine sends them:
 * - a value unknown at preview: the SDK's string sentinel `04da6b54-80e4-46f7-96ec-b56ff0331ba9`
 *   (`unknownValue` in @pulumi/pulumi/runtime/rpc), whatever the value's type;
 * - a secret: `{ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "value": <v> }`.
 */
export interface PlanResource {
    urn: string;
    type: string;
    name: string;
    /** false for component resources. */
    custom: boolean;
    /** Inputs after remediation: what `Analyze` receives. */
    inputs: Record<string, unknown>;
    /** Planned outputs: what `AnalyzeStack` receives. For a resource being created, computed outputs (`id`, ...) are unknown. */
    outputs: Record<string, unknown>;
    parent?: string;
    dependencies: string[];
    /** Input property name → URNs of the resources its value came from. */
    propertyDependencies: Record<string, string[]>;
    /** Provider reference `"<providerURN>::<providerID>"`. */
    provider?: string;
}

export interface Plan {
    /** Format version of this file. */
    version: 1;
    organization: string;
    project: string;
    stack: string;
    /** true for a preview (`PULUMI_NODEJS_DRY_RUN=true`). */
    dryRun: boolean;
    /** In registration order; includes `pulumi:pulumi:Stack` and `pulumi:providers:*` resources. */
    resources: PlanResource[];
}
