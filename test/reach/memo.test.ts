/**
 * The reachability core memoizes verdicts per topology (security-group checks per groups × flow,
 * network-ACL checks per ACL × flow × destination class, flow sources per load balancer). Shared
 * results must equal what each member gets on its own: every member of a stack is analyzed once with
 * the whole stack's memo and once on a freshly built topology (empty memo), and the results compared.
 * The stacks are the benchmark's generator plus random changes that make members differ where the
 * memo keys must tell them apart: literal addresses, ACL rules on destination addresses, deny rules,
 * ports, and dedicated-LB subnets.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generatePlan } from "../../bench/generate";
import { buildTopology } from "../../src/model/build";
import type { RawResource } from "../../src/model/types";
import { analyzeReachability, memberReachability } from "../../src/reach";

/** Raw resources whose props the test edits (plan outputs: plain objects). */
const toRaw = (plan: ReturnType<typeof generatePlan>): (RawResource & { props: Record<string, unknown> })[] =>
    plan.resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, props: structuredClone(r.outputs), propertyDependencies: r.propertyDependencies }));

/** JSON with bigints and sets rendered; the member's own objects compared by URN. */
const plain = (x: unknown) => JSON.stringify(x, (_k, v) => (typeof v === "bigint" ? v.toString() : v && typeof v === "object" && "toCidrs" in v ? String(v) : v));

const change = fc.record({
    member: fc.nat(),
    kind: fc.constantFrom("address", "acl-destination-deny", "acl-destination-allow", "sg-deny", "member-port", "monitor-port"),
    host: fc.integer({ min: 10, max: 29 }),
    port: fc.constantFrom(80, 8080, 443),
});

describe("memoized verdicts equal per-member verdicts", () => {
    it("random stacks from the benchmark generator", () => {
        fc.assert(
            fc.property(fc.array(change, { minLength: 1, maxLength: 12 }), (changes) => {
                const raws = toRaw(generatePlan(330));
                const members = raws.filter((r) => /member:Member$/.test(r.type));
                const acls = raws.filter((r) => /networkAcl:NetworkAcl$/.test(r.type));
                const groups = raws.filter((r) => /secgroupRule:SecgroupRule$/.test(r.type));
                const monitors = raws.filter((r) => /monitor:Monitor$/.test(r.type));
                for (const c of changes) {
                    const m = members[c.member % members.length];
                    const vpc = Number(/vpc(\d+)/.exec(m.name)![1]);
                    const ip = `10.${vpc}.1.${c.host}`;
                    const acl = acls[vpc % acls.length].props as { ingressRules: Record<string, unknown>[] };
                    switch (c.kind) {
                        case "address":
                            m.props.address = ip;
                            break;
                        case "acl-destination-deny":
                        case "acl-destination-allow":
                            acl.ingressRules.unshift({ action: c.kind.endsWith("deny") ? "deny" : "allow", protocol: "tcp", ipVersion: 4, sourceIpAddress: "0.0.0.0/0", destinationIpAddress: `${ip}/32`, destinationPort: String(c.port) });
                            break;
                        case "sg-deny":
                            groups[c.member % groups.length].props.action = "deny";
                            break;
                        case "member-port":
                            m.props.protocolPort = c.port;
                            break;
                        case "monitor-port":
                            (monitors[c.member % monitors.length].props as Record<string, unknown>).port = c.port;
                            break;
                    }
                }
                const shared = analyzeReachability(buildTopology(raws));
                expect(shared.length).toBe(members.length);
                shared.forEach((r, i) => {
                    const fresh = buildTopology(raws);
                    const alone = memberReachability(fresh, fresh.members[i]);
                    expect(alone.member.urn).toBe(r.member.urn);
                    expect(plain(r.checks), r.member.name).toBe(plain(alone.checks));
                    expect(plain(r.flows)).toBe(plain(alone.flows));
                    expect(r.undetermined).toEqual(alone.undetermined);
                });
            }),
            { numRuns: 12, seed: 20261202 },
        );
    }, 120_000);
});
