/**
 * reportViolation's object form is used only once a probe has seen the SDK honour it; otherwise
 * findings go in the message form (violation-form.ts). Both forms and the probe are checked here;
 * the engine suites check the object form end to end.
 */
import { afterEach, describe, expect, it } from "vitest";
import { elbPoolHasListener } from "../../policies";
import type { ReportedFinding } from "../../src/policy/evaluate";
import { objectFormSupported, probeObjectForm, reportFinding, setObjectFormForTesting } from "../../src/crossguard/violation-form";

const finding = (level: "mandatory" | "advisory"): ReportedFinding => ({
    policy: elbPoolHasListener.name,
    policyId: elbPoolHasListener.id,
    severity: elbPoolHasListener.severity,
    urn: "urn:pulumi:dev::p::huaweicloud:Elb/pool:Pool::api-pool",
    class: level === "mandatory" ? "violation" : "undetermined",
    level,
    message: "pool api-pool has no listener",
});

/** A reportViolation as the SDK's message form builds it: description, then the message. */
function recorder() {
    const calls: unknown[][] = [];
    const rv = ((...args: unknown[]) => calls.push(args)) as unknown as Parameters<typeof reportFinding>[0];
    return { calls, rv };
}

afterEach(() => setObjectFormForTesting(undefined));

describe("reportViolation forms", () => {
    it("object form: the definition's name, the lower of the two levels, the SDK's message layout", () => {
        const { calls, rv } = recorder();
        reportFinding(rv, elbPoolHasListener, finding("mandatory"), "mandatory", true);
        reportFinding(rv, elbPoolHasListener, finding("mandatory"), "advisory", true);
        reportFinding(rv, elbPoolHasListener, finding("advisory"), "mandatory", true);
        expect(calls.map((c) => (c[0] as { enforcementLevel: string }).enforcementLevel)).toEqual(["mandatory", "advisory", "advisory"]);
        expect(calls[0]).toEqual([
            {
                name: "elb-pool-has-listener",
                description: elbPoolHasListener.description,
                message: `${elbPoolHasListener.description}\n[HWELB-001] pool api-pool has no listener`,
                urn: "urn:pulumi:dev::p::huaweicloud:Elb/pool:Pool::api-pool",
                enforcementLevel: "mandatory",
                severity: elbPoolHasListener.severity,
            },
        ]);
    });

    it("message form (object form not confirmed): a string and the URN; an advisory finding says it is reported at the policy's level", () => {
        for (const form of [false, undefined]) {
            const { calls, rv } = recorder();
            reportFinding(rv, elbPoolHasListener, finding("mandatory"), "mandatory", form);
            reportFinding(rv, elbPoolHasListener, { ...finding("advisory"), urn: "" }, "mandatory", form);
            expect(calls).toEqual([
                ["[HWELB-001] pool api-pool has no listener", "urn:pulumi:dev::p::huaweicloud:Elb/pool:Pool::api-pool"],
                ["[HWELB-001] pool api-pool has no listener (an advisory finding, reported at the policy's level: this @pulumi/policy takes no level per finding)", undefined],
            ]);
        }
    });

    it("the form follows the probe's answer by default", () => {
        const { calls, rv } = recorder();
        setObjectFormForTesting(false);
        reportFinding(rv, elbPoolHasListener, finding("mandatory"), "mandatory");
        setObjectFormForTesting(true);
        reportFinding(rv, elbPoolHasListener, finding("mandatory"), "mandatory");
        expect(typeof calls[0][0]).toBe("string");
        expect(typeof calls[1][0]).toBe("object");
    });
});

describe("the probe", () => {
    it("sees the installed @pulumi/policy honour the object form", async () => {
        expect(objectFormSupported()).toBeUndefined();
        expect(await probeObjectForm()).toBe(true);
        expect(objectFormSupported()).toBe(true);
    });

    it("says no for an SDK that files an object as a message, has no handler to probe, or throws", async () => {
        // An SDK whose reportViolation only knows the message form: the object becomes text under the reporting policy.
        const messageOnly = {
            makeAnalyzeStackRpcFun: (_pack: string, _version: string, _level: string, policies: object[]) => (_call: unknown, callback: (err: unknown, r?: unknown) => void) => {
                const ds: { policyName: string; message: string; level: number }[] = [];
                for (const p of policies as { name: string; validateStack: (a: unknown, rv: (m: unknown) => void) => void }[]) p.validateStack({ resources: [] }, (m) => ds.push({ policyName: p.name, message: `probe\n${String(m)}`, level: 0 }));
                callback(undefined, { getDiagnosticsList: () => ds.map((d) => ({ getPolicyname: () => d.policyName, getMessage: () => d.message, getEnforcementlevel: () => d.level })) });
            },
        };
        expect(await probeObjectForm(() => messageOnly)).toBe(false);
        expect(objectFormSupported()).toBe(false);
        expect(await probeObjectForm(() => ({}))).toBe(false);
        expect(
            await probeObjectForm(() => {
                throw new Error("no such module");
            }),
        ).toBe(false);
        const failing = { makeAnalyzeStackRpcFun: () => (_c: unknown, cb: (e: unknown) => void) => cb(new Error("boom")) };
        expect(await probeObjectForm(() => failing)).toBe(false);
    });
});
