/**
 * Hostile and malformed plans: wrong types in every property the model reads, hostile CIDRs and
 * port strings, prototype keys, unknowns at random positions, missing resources, reference cycles.
 * Properties: no exception escapes any policy (plain objects and the SDK's props proxy alike);
 * every invalid value the model reads yields a finding that names the resource and the property;
 * the value itself never appears in any message.
 */
import fc from "fast-check";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { afterAll, describe, expect, it } from "vitest";
import { catalogue } from "../../policies";
import { buildTopology } from "../../src/model/build";
import type { Topology } from "../../src/model/topology";
import type { RawResource } from "../../src/model/types";
import { evaluatePolicy, ReachCache } from "../../src/policy/evaluate";
import { loadBase, render, type StackResource } from "../support/fixture-stack";
import { CANARY, hostile } from "./hostile";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { unknownCheckingProxy } = require("@pulumi/policy");

/** Replace the value at a random (possibly nested) path of a random resource. */
function mutate(resources: StackResource[], picks: { r: number; depth: number; key: number; value: unknown; drop: boolean }[]): StackResource[] {
    const out: StackResource[] = structuredClone(resources);
    for (const p of picks) {
        if (out.length === 0) break;
        const res = out[p.r % out.length];
        if (p.drop) {
            out.splice(p.r % out.length, 1);
            continue;
        }
        let obj: Record<string, unknown> = res.props;
        for (let d = 0; d < p.depth; d++) {
            const keys = Object.keys(obj);
            const next = keys.length ? obj[keys[p.key % keys.length]] : undefined;
            const inner = Array.isArray(next) ? next[0] : next;
            if (inner === null || typeof inner !== "object") break;
            obj = inner as Record<string, unknown>;
        }
        const keys = Object.keys(obj);
        const key = keys.length ? keys[p.key % keys.length] : "x";
        obj[key] = p.value;
    }
    return out;
}

const picks = fc.array(fc.record({ r: fc.nat(), depth: fc.nat(2), key: fc.nat(), value: hostile, drop: fc.nat(9).map((n) => n === 0) }), { minLength: 1, maxLength: 6 });

function analyzeAll(raw: RawResource[]) {
    const topology = buildTopology(raw);
    const cache = new ReachCache();
    return { topology, findings: catalogue.flatMap((def) => evaluatePolicy(def, topology, { cache, today: "2026-11-24" })) };
}

/** The invalid values the model kept, wherever they sit in its entities: { state: "invalid", path }. */
function invalidValues(topology: Topology): { urn: string; path: string }[] {
    const out: { urn: string; path: string }[] = [];
    const seen = new Set<object>();
    const walk = (v: unknown, urn: string) => {
        if (v === null || typeof v !== "object" || seen.has(v)) return;
        seen.add(v);
        const o = v as Record<string, unknown>;
        if (o.state === "invalid" && typeof o.path === "string") out.push({ urn, path: o.path });
        for (const x of Array.isArray(v) ? v : Object.values(o)) walk(x, urn);
    };
    for (const [urn, e] of topology.byUrn) walk(e, urn);
    return out;
}

/** Cases run, per test: printed at the end, whatever ran and in whatever order. */
const cases: Record<string, number> = {};
let invalidChecked = 0;
afterAll(() => {
    const total = Object.values(cases).reduce((a, b) => a + b, 0);
    console.log(`hardening fuzz: ${total} cases in ${Object.keys(cases).length} test(s), 0 escaped exceptions, ${invalidChecked} invalid values traced to a finding`);
});

describe("hardening: hostile plans never crash, never leak", () => {
    // The backend-kind stacks (active/standby, IPv6, IP as a backend over peering) take fewer runs each.
    // The stacks written from the provider's docs and examples (tf-*) likewise.
    const runs: Record<string, number> = { "dedicated-active-standby": 250, "dedicated-ipv6": 250, "dedicated-ip-backend": 250, "tf-dualstack-nlb": 200, "tf-ip-backend-peering": 200, "tf-active-standby-http": 200 };
    for (const base of ["shared-http", "dedicated-udp", "dedicated-autoscaling", "provider-dedicated-example", "provider-shared-example", "dedicated-active-standby", "dedicated-ipv6", "dedicated-ip-backend", "tf-dualstack-nlb", "tf-ip-backend-peering", "tf-active-standby-http"]) {
        it(`mutations of ${base} (plain objects and the SDK's unknown-checking proxy)`, () => {
            cases[base] = 0;
            fc.assert(
                fc.property(picks, fc.constantFrom("known", "unknown") as fc.Arbitrary<"known" | "unknown">, fc.boolean(), (p, mode, proxied) => {
                    cases[base]++;
                    const raw = render(mutate(loadBase(base), p), mode).raw.map((r) => (proxied ? { ...r, props: unknownCheckingProxy(JSON.parse(JSON.stringify(r.props, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v)))) } : r));
                    const { topology, findings } = analyzeAll(raw);
                    for (const f of topology.findings) {
                        expect(f.urn).toMatch(/^urn:pulumi:/);
                        expect(f.property.length).toBeGreaterThan(0);
                        // ... and the pack reports it: HWELB-009 on that resource, naming the property.
                        expect(findings.some((x) => x.policy === "elb-plan-values-valid" && x.urn === f.urn && x.message.includes(`property ${f.property} `)), `${f.urn} ${f.property}`).toBe(true);
                    }
                    // Every invalid value the model read was recorded as such a finding (on the resource it was read from).
                    for (const v of invalidValues(topology)) {
                        invalidChecked++;
                        expect(topology.findings.some((f) => f.property === v.path), `${v.urn}: ${v.path}`).toBe(true);
                    }
                    for (const f of findings) expect(f.message, f.policy).not.toContain(CANARY);
                    return true;
                }),
                { numRuns: runs[base] ?? 600 },
            );
            expect(cases[base]).toBe(runs[base] ?? 600);
        });
    }

    it("reference cycles and self-references terminate", () => {
        const urn = (t: string, n: string) => `urn:pulumi:s::p::${t}::${n}`;
        const pool = urn("huaweicloud:Elb/pool:Pool", "p");
        const listener = urn("huaweicloud:Elb/listener:Listener", "l");
        const raw: RawResource[] = [
            { urn: pool, type: "huaweicloud:Elb/pool:Pool", name: "p", props: { id: "p", listenerId: "l", loadbalancerId: "p", protocol: "HTTP" } },
            { urn: listener, type: "huaweicloud:Elb/listener:Listener", name: "l", props: { id: "l", defaultPoolId: "p", loadbalancerId: "l", protocol: "TCP", protocolPort: 80 } },
            { urn: urn("huaweicloud:Elb/member:Member", "m"), type: "huaweicloud:Elb/member:Member", name: "m", props: { poolId: unknownValue, address: unknownValue }, propertyDependencies: { poolId: [pool, listener, pool], address: ["urn:missing"] } },
        ];
        const { findings } = analyzeAll(raw);
        expect(Array.isArray(findings)).toBe(true);
    });

    it("non-object resources and props are tolerated", () => {
        const weird = [null, 42, "x", { urn: 5, type: "huaweicloud:Elb/pool:Pool" }, { urn: "urn:a", type: "huaweicloud:Elb/pool:Pool", name: "a", props: "not-an-object" }, { urn: "urn:b", type: "huaweicloud:Elb/pool:Pool", name: "b", props: null, propertyDependencies: "nope" }];
        expect(() => analyzeAll(weird as unknown as RawResource[])).not.toThrow();
    });

});
