/**
 * How a finding reaches the engine. @pulumi/policy 1.21.0 accepts an object as the first argument
 * of reportViolation (server.js, makeReportViolationFun): the diagnostic then carries the given
 * policy name, message and level, so one policy can report for another (the one pass) and a
 * finding can stay advisory under a mandatory policy. Its typings declare only the message form,
 * so the object form is used only once a probe has seen the SDK honour it: a one-policy
 * AnalyzeStack, run through the SDK's own handler with no resources, reporting one object. Until
 * the probe succeeds (another SDK, or it has not finished), findings go in the message form, at
 * the reporting policy's level, and the pack is served one policy at a time (one-pass.ts).
 */
import type { ReportViolation } from "@pulumi/policy";
import type { Level, PolicyDefinition } from "../policy/definition";
import type { ReportedFinding } from "../policy/evaluate";

type AnalyzeStackHandler = (call: { request: unknown }, callback: (err: unknown, response?: unknown) => void) => unknown;
interface SdkServer {
    makeAnalyzeStackRpcFun?: (packName: string, packVersion: string, level: string, policies: object[]) => AnalyzeStackHandler;
}

let objectForm: boolean | undefined;

/** true: the object form was seen to work; false: it was not; undefined: the probe has not finished. */
export function objectFormSupported(): boolean | undefined {
    return objectForm;
}

const PROBE = { reporter: "elb-health-probe-reporter", reported: "elb-health-probe-reported", message: "elb-health probe" };

/**
 * Runs the probe against the SDK's server module (default: the @pulumi/policy that serves the pack)
 * and remembers the answer. Never throws.
 */
export async function probeObjectForm(load: () => SdkServer = loadSdkServer): Promise<boolean> {
    objectForm = await runProbe(load).catch(() => false);
    return objectForm;
}

/** server.js of the @pulumi/policy that serves the pack: an internal module without typings, loaded only to probe. */
function loadSdkServer(): SdkServer {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("@pulumi/policy/server") as SdkServer;
}

async function runProbe(load: () => SdkServer): Promise<boolean> {
    const make = load().makeAnalyzeStackRpcFun;
    if (typeof make !== "function") return false;
    const policy = {
        name: PROBE.reporter,
        description: "probe",
        enforcementLevel: "advisory",
        validateStack: (_args: unknown, report: (v: unknown) => void) => report({ name: PROBE.reported, message: PROBE.message, enforcementLevel: "mandatory" }),
    };
    const handler = make("elb-health-probe", "0.0.0", "advisory", [policy]);
    const response = await new Promise<unknown>((resolve, reject) => {
        const r = handler({ request: { getResourcesList: () => [] } }, (err, value) => (err ? reject(err) : resolve(value)));
        if (r instanceof Promise) r.catch(reject);
    });
    const diags = (response as { getDiagnosticsList?: () => { getPolicyname(): string; getMessage(): string; getEnforcementlevel(): number }[] }).getDiagnosticsList?.() ?? [];
    // EnforcementLevel MANDATORY = 1 (analyzer.proto).
    return diags.length === 1 && diags[0].getPolicyname() === PROBE.reported && diags[0].getMessage() === PROBE.message && diags[0].getEnforcementlevel() === 1;
}

/** For tests: forget the probe's answer, or set one. */
export function setObjectFormForTesting(v: boolean | undefined): void {
    objectForm = v;
}

/** The diagnostic stays short: the code of a fix is printed by `elb-health check`, not here. */
export const CODE_POINTER = "Code to paste: run `elb-health check` on `pulumi preview --json --show-sames` output (--fix-language typescript|yaml).";

/** A finding's message as a diagnostic: with a pointer to the code of its fix when it has one. */
export const diagnosticText = (f: ReportedFinding): string => f.message + ((f.fixes ?? []).length > 0 ? `\n${CODE_POINTER}` : "");

/**
 * Reports `f` for `def`. With the object form: under def's name, at the lower of the finding's level
 * and `policyLevel`. Without it: in the message form, which the SDK files under the policy running,
 * at that policy's configured level, so an advisory finding under a mandatory policy is reported
 * mandatory (fail closed), its message saying so. Either way the text is the same:
 * "<description>\n[<id>] <message>" (the SDK prefixes the description in the message form).
 */
export function reportFinding(reportViolation: ReportViolation, def: PolicyDefinition, f: ReportedFinding, policyLevel: Level, form: boolean | undefined = objectForm): void {
    if (form === true) {
        const asObject = reportViolation as unknown as (v: Record<string, unknown>) => void;
        asObject({
            name: def.name,
            description: def.description,
            message: `${def.description}\n[${def.id}] ${diagnosticText(f)}`,
            urn: f.urn || undefined,
            enforcementLevel: f.level === "mandatory" && policyLevel === "mandatory" ? "mandatory" : "advisory",
            severity: def.severity,
        });
        return;
    }
    const note = f.level === "advisory" ? " (an advisory finding, reported at the policy's level: this @pulumi/policy takes no level per finding)" : "";
    reportViolation(`[${def.id}] ${diagnosticText(f)}${note}`, f.urn || undefined);
}
