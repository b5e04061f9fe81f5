/**
 * Secrets arrive unwrapped: mark every property secret (as the engine sends it), put canaries in
 * every free-text property and in the properties the model reads, and check that no diagnostic
 * of the real pack and no CLI output (text, JSON, SARIF) contains any of them.
 */
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AnalyzerSession, type PackInfo } from "../../src/host/analyzer-host";
import { catalogue } from "../../policies";
import { buildTopology } from "../../src/model/build";
import { summarize, toJson, toSarif, toText } from "../../src/report/formats";
import { runPolicies } from "../../src/report/run-policies";
import { loadBase, render, type StackResource } from "../support/fixture-stack";

const PACK_DIR = path.resolve(__dirname, "..", "..");
const CANARIES = ["hunter2-9c1e", "tagvalue-52aa", "descr-77f0", "sgname-1b2c", "ud-3d4e", "bad-cidr-8a8a", "bad-port-4f4f", "domain-6e6e"];

/** Every resource carries canaries; a few interpreted fields get invalid canary values too. */
function withCanaries(resources: StackResource[]): StackResource[] {
    return resources.map((r) => {
        const props: Record<string, unknown> = { ...r.props, description: CANARIES[2], tags: { owner: CANARIES[1], "elb-health-exempt-not": CANARIES[1] }, adminPass: CANARIES[0] };
        if (r.type.endsWith("Secgroup")) props.name = CANARIES[3];
        if (r.type.endsWith("Instance")) props.userData = `#!/bin/bash\necho ${CANARIES[4]}\niptables -P INPUT DROP\n`;
        if (r.name === "web-sg-elb-1" || r.name === "app-sg-lb") props.remoteIpPrefix = CANARIES[5];
        if (r.type.endsWith("As/group:Group")) props.lbaasListeners = [{ ...(props.lbaasListeners as object[])[0], protocolPort: CANARIES[6] }];
        if (r.name === "web-sg-elb-0") props.ports = CANARIES[6];
        if (r.type.endsWith("Monitor")) props.domainName = CANARIES[7];
        return { ...r, props };
    });
}

const cases = ["shared-http", "dedicated-udp", "dedicated-autoscaling"].flatMap((base) => (["known", "unknown"] as const).map((mode) => ({ base, mode, rendered: render(withCanaries(loadBase(base)), mode, { allSecret: true }) })));
const leaks = (text: string) => CANARIES.filter((c) => text.includes(c));

let session: AnalyzerSession;
let pack: PackInfo;
beforeAll(async () => {
    session = await AnalyzerSession.start({ packDir: PACK_DIR, project: "fixtures", stack: "test", dryRun: true });
    pack = await session.info();
    await session.configure(pack);
});
afterAll(() => session?.stop());

describe("secrets never leak", () => {
    for (const c of cases) {
        it(`${c.base} [${c.mode} IDs]: pack diagnostics (Analyze and AnalyzeStack) and logs`, async () => {
            const all: string[] = [];
            for (const r of c.rendered.plan.resources) all.push(...(await session.analyze(r)).map((d) => d.message));
            const diags = await session.analyzeStack(c.rendered.plan.resources);
            expect(diags.length).toBeGreaterThan(0); // the canaries make several checks fire
            all.push(...diags.map((d) => d.message));
            expect(leaks(all.join("\n") + session.log)).toEqual([]);
        });
        it(`${c.base} [${c.mode} IDs]: CLI text, JSON and SARIF`, () => {
            const findings = runPolicies(buildTopology(c.rendered.raw), undefined, { today: "2026-11-24", definitions: catalogue });
            const summary = summarize(findings, c.rendered.raw.length);
            const out = toText(findings, summary, process.stdout, catalogue) + toJson(findings, summary, catalogue) + toSarif(findings, { definitions: catalogue });
            expect(findings.length).toBeGreaterThan(0);
            expect(leaks(out)).toEqual([]);
        });
    }
});
