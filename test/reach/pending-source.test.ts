/**
 * Assumption 40 (a rule address unknown at preview whose only dependency is the backend subnet is that
 * subnet's unknown CIDR): sound for every CIDR the subnet may get. Random IPv6 security groups whose rules
 * take known prefixes, the pending CIDR ("S", the backend subnet's), or another subnet's unknown CIDR
 * ("T"), are evaluated with the sources unknown; then, for random concrete CIDRs X (and Y for T), the same
 * rules with S := X and T := Y and the sources X. A verdict at preview must hold for every resolution:
 * reachable there ⇒ reachable for X, blocked there (nothing admitted) ⇒ blocked for X. The same for a
 * network ACL's inbound rules taking the pending CIDR as source.
 */
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { AddressSet } from "../../src/net/addresses";
import { IntervalSet } from "../../src/net/intervals";
import { portRange } from "../../src/net/ports";
import type { AclRule, NetworkAcl, Remote, Value } from "../../src/model/types";
import { aclCheck, securityGroupCheck, type Flow, type FlowCheck } from "../../src/reach";
import { absent, base, known, refTo, unknown, World } from "./support";

const S = "urn:pulumi:test::reach::huaweicloud:Vpc/subnet:Subnet::backend";
const T = "urn:pulumi:test::reach::huaweicloud:Vpc/subnet:Subnet::other";
const PREFIX = 0x20010db8n << 96n;

type Addr = { kind: "block"; lo: number; bits: number } | { kind: "S" } | { kind: "T" } | { kind: "any" };
interface RuleSpec {
    addr: Addr;
    ports: [number, number] | "all";
    action: "allow" | "deny" | "absent";
    priority: number | "absent";
}
/** A /(128-bits) block at offset lo within a 4096-address region of 2001:db8::/32. */
const block = (lo: number, bits: number): AddressSet => {
    const size = 1n << BigInt(bits);
    const start = PREFIX + (BigInt(lo) / size) * size;
    return AddressSet.ofFamily(6, IntervalSet.of(start, start + size - 1n));
};
const arbAddr: fc.Arbitrary<Addr> = fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("block" as const), lo: fc.nat(4095), bits: fc.integer({ min: 0, max: 12 }) }) },
    { weight: 3, arbitrary: fc.constant({ kind: "S" as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: "T" as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: "any" as const }) },
);
const arbRule: fc.Arbitrary<RuleSpec> = fc.record({
    addr: arbAddr,
    ports: fc.oneof(fc.constant("all" as const), fc.tuple(fc.integer({ min: 78, max: 82 }), fc.integer({ min: 0, max: 3 })).map(([lo, n]) => [lo, lo + n] as [number, number])),
    action: fc.constantFrom("allow" as const, "deny" as const, "absent" as const),
    priority: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constant("absent" as const)),
});
const arbCase = fc.record({ rules: fc.array(arbRule, { minLength: 1, maxLength: 5 }), x: fc.record({ lo: fc.nat(4095), bits: fc.integer({ min: 0, max: 12 }) }), y: fc.record({ lo: fc.nat(4095), bits: fc.integer({ min: 0, max: 12 }) }) });

/** The IPv6 CIDR of backend subnet "backend", assigned when the subnet is created. */
const PENDING = { of: "subnet-cidr", family: 6, subnet: "backend" } as const;
const flowOf = (sources: AddressSet, pending: boolean): Flow => ({
    protocol: 6, port: 80, family: 6, sources, sourceLabel: pending ? { kind: "pending", name: PENDING } : { kind: "backend-subnets", subnets: [{ name: "backend", cidrs: sources.toCidrs() }], lb: "lb" }, purpose: "health-check port",
    ...(pending ? { unknownSources: { reason: { code: "subnet-ipv6-cidr-pending", subnet: "backend" }, name: PENDING, subnet: S } } : {}),
});

/** The address value of a rule: at preview (S and T unknown, each with its subnet), or resolved (S := x, T := y). */
function addressOf(a: Addr, resolved?: { x: AddressSet; y: AddressSet }): { set: Value<AddressSet>; from?: string } {
    if (a.kind === "block") return { set: known(block(a.lo, a.bits)) };
    if (a.kind === "any") return { set: known(AddressSet.anyOf(6)) };
    if (resolved) return { set: known(a.kind === "S" ? resolved.x : resolved.y) };
    return { set: unknown("remoteIpPrefix"), from: a.kind === "S" ? S : T };
}

/** What a check at preview claims for every resolution, as verdict.ts bounds it: reachable, blocked (nothing admitted), or nothing. */
const claim = (c: FlowCheck): "reachable" | "blocked" | undefined => (c.state === "reachable" ? "reachable" : c.state === "blocked" && c.possiblyAdmitted.isEmpty() ? "blocked" : undefined);

const counts = { sg: 0, acl: 0, decided: 0, contradicted: 0 };
afterAll(() => console.log(`pending-source oracle: ${counts.sg} security-group and ${counts.acl} ACL cases, ${counts.decided} decided at preview, ${counts.contradicted} contradicted by a resolution`));

function sgCheck(specs: RuleSpec[], resolved?: { x: AddressSet; y: AddressSet }): FlowCheck {
    const w = new World();
    const g = w.group("sg");
    specs.forEach((r, i) => {
        const a = addressOf(r.addr, resolved);
        const remote: Remote = { kind: "cidr", set: a.set, ...(a.from ? { fromSubnet: a.from } : {}) };
        w.rule(g, {
            name: `r${i}`, ethertype: known(6), protocol: known(6),
            ports: r.ports === "all" ? absent("ports") : known(portRange(r.ports[0], r.ports[1])),
            remotes: [remote],
            action: r.action === "absent" ? absent("action") : known(r.action),
            priority: r.priority === "absent" ? absent("priority") : known(r.priority),
        });
    });
    const sources = resolved ? resolved.x : AddressSet.anyOf(6);
    return securityGroupCheck(w.topology(), known([refTo(g)]), flowOf(sources, !resolved));
}

function aclCheckOf(specs: RuleSpec[], resolved?: { x: AddressSet; y: AddressSet }): FlowCheck {
    const w = new World();
    const aclBase = base("huaweicloud:Vpc/networkAcl:NetworkAcl", "acl");
    const rules: AclRule[] = specs.map((r, i) => {
        const a = addressOf(r.addr, resolved);
        return {
            urn: aclBase.urn, path: `ingressRules[${i}]`, label: `r${i}`,
            action: known(r.action === "absent" ? "allow" : r.action), protocol: known(6), ipVersion: known(6),
            source: a.set, destination: known(AddressSet.ANY), sourcePorts: known(portRange(1, 65535)),
            destinationPorts: known(r.ports === "all" ? portRange(1, 65535) : portRange(r.ports[0], r.ports[1])), enabled: known(true),
            ...(a.from ? { sourceFromSubnet: a.from } : {}),
        };
    });
    const acl = w.add<NetworkAcl>({ ...aclBase, kind: "networkAcl", enabled: known(true), subnets: known([]), ingress: known(rules), egress: known([]) });
    const sources = resolved ? resolved.x : AddressSet.anyOf(6);
    return aclCheck(w.topology(), "network-acl", { acl, direction: "ingress", destination: known(block(4000, 0)) }, flowOf(sources, !resolved), sources);
}

describe("assumption 40: a rule taking the pending backend-subnet CIDR", () => {
    for (const [kind, check] of [["sg", sgCheck], ["acl", aclCheckOf]] as const) {
        it(`${kind === "sg" ? "security groups" : "network ACLs"}: a verdict at preview holds for every CIDR the subnet may get`, () => {
            fc.assert(
                fc.property(arbCase, ({ rules, x, y }) => {
                    counts[kind]++;
                    const atPreview = claim(check(rules));
                    if (atPreview === undefined) return;
                    counts.decided++;
                    const concrete = check(rules, { x: block(x.lo, x.bits), y: block(y.lo, y.bits) });
                    if (concrete.state !== atPreview) counts.contradicted++;
                    expect(concrete.state, JSON.stringify({ rules, x, y })).toBe(atPreview);
                }),
                { numRuns: 1500 },
            );
        });
    }
    it("a rule taking another subnet's unknown CIDR never decides the verdict on its own", () => {
        const c = sgCheck([{ addr: { kind: "T" }, ports: "all", action: "allow", priority: 1 }]);
        expect(c.state).toBe("undetermined");
        expect(sgCheck([{ addr: { kind: "S" }, ports: "all", action: "allow", priority: 1 }]).state).toBe("reachable");
    });
});
