/**
 * Oracle: the reachability core against a brute-force evaluator that decides one concrete packet
 * at a time, rule by rule, written as plainly as possible and independently of the core. Random
 * security groups and ACLs (fast-check); every rule boundary (first/last address and ±1, port
 * bounds ±1) plus random points are compared.
 * - exact: with every field known, admitted/blocked must equal the brute force on every sample;
 * - sound: with unknown fields, any concrete resolution must lie between the pessimistic
 *   (admitted) and optimistic (not blocked) bounds.
 */
import fc from "fast-check";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { describe, expect, it } from "vitest";
import { AddressSet, parseCidr } from "../../src/net/addresses";
import { IntervalSet } from "../../src/net/intervals";
import { buildTopology } from "../../src/model/build";
import type { RawResource } from "../../src/model/types";
import { securityGroupCheck } from "../../src/reach/secgroups";
import { evaluateAcl } from "../../src/reach/acls";
import type { Flow } from "../../src/reach/types";

const U = unknownValue;
const ip = (s: string) => {
    const p = parseCidr(s);
    if (!p.ok) throw new Error(s);
    return p.value.v4;
};
const NEED = ip("100.125.0.0/16").union(ip("100.126.0.0/16"));
const MEMBER = "192.168.2.10";
const CIDRS = ["100.125.0.0/16", "100.126.0.0/16", "100.125.0.0/17", "100.125.128.0/17", "100.124.0.0/14", "100.0.0.0/8", "0.0.0.0/0", "100.126.0.0/24", "100.125.37.0/25", "10.0.0.0/8", "::/0", "100.125.255.255/32"];
const PORTS = ["80", "8080", "80,8080", "1-65535", "8000-8090", "8081-9000", "22,443", "8080-8080", "1-8079"];

// ---------------------------------------------------------------------------------------------
// Security groups

interface SgRule {
    ethertype: "IPv4" | "IPv6";
    protocol?: string;
    ports?: string;
    remote?: { cidr: string } | { group: true } | { addressGroup: string[] };
    action?: "allow" | "deny";
    priority?: number;
    /** Field replaced by the unknown sentinel. */
    unknown?: "remote" | "ports" | "action" | "priority" | "protocol";
}

const sgRule: fc.Arbitrary<SgRule> = fc.record(
    {
        ethertype: fc.constantFrom("IPv4", "IPv4", "IPv4", "IPv6"),
        protocol: fc.constantFrom("tcp", "tcp", "udp", "icmp", "6", "17"),
        ports: fc.constantFrom(...PORTS),
        remote: fc.oneof(
            fc.constantFrom(...CIDRS).map((cidr) => ({ cidr })),
            fc.constant({ group: true as const }),
            fc.subarray(CIDRS.filter((c) => !c.includes(":")), { minLength: 1, maxLength: 3 }).map((addressGroup) => ({ addressGroup })),
        ),
        action: fc.constantFrom("allow", "allow", "deny"),
        priority: fc.constantFrom(1, 1, 2, 50, 100),
    },
    { requiredKeys: ["ethertype"] },
);
const sgRuleMaybeUnknown = fc.tuple(sgRule, fc.constantFrom(undefined, undefined, "remote", "ports", "action", "priority", "protocol")).map(([r, unknown]) => ({ ...r, unknown }) as SgRule);

function sgStack(groups: SgRule[][]): RawResource[] {
    const res: RawResource[] = [];
    const urn = (t: string, n: string) => `urn:pulumi:o::p::${t}::${n}`;
    groups.forEach((rules, g) => {
        res.push({ urn: urn("huaweicloud:Vpc/secgroup:Secgroup", `sg${g}`), type: "huaweicloud:Vpc/secgroup:Secgroup", name: `sg${g}`, props: { id: `sg${g}-id`, name: `sg${g}` } });
        rules.forEach((r, i) => {
            const props: Record<string, unknown> = { id: `r${g}-${i}`, securityGroupId: `sg${g}-id`, direction: "ingress", ethertype: r.ethertype };
            if (r.protocol !== undefined) props.protocol = r.protocol;
            // ICMP port fields are type/code, deliberately uncertain in the core (docs/assumptions.md): not generated.
            if (r.ports !== undefined && r.protocol !== undefined && r.protocol !== "icmp") props.ports = r.ports;
            if (r.action !== undefined) props.action = r.action;
            if (r.priority !== undefined) props.priority = r.priority;
            if (r.remote && "cidr" in r.remote) props.remoteIpPrefix = r.remote.cidr;
            if (r.remote && "group" in r.remote) props.remoteGroupId = `sg${g}-id`;
            if (r.remote && "addressGroup" in r.remote) {
                res.push({ urn: urn("huaweicloud:Vpc/addressGroup:AddressGroup", `ag${g}-${i}`), type: "huaweicloud:Vpc/addressGroup:AddressGroup", name: `ag${g}-${i}`, props: { id: `ag${g}-${i}-id`, addresses: r.remote.addressGroup } });
                props.remoteAddressGroupId = `ag${g}-${i}-id`;
            }
            if (r.unknown) {
                const key = { remote: "remoteIpPrefix", ports: "ports", action: "action", priority: "priority", protocol: "protocol" }[r.unknown];
                if (r.unknown === "remote") delete props.remoteGroupId, delete props.remoteAddressGroupId;
                if (r.unknown === "ports" && props.protocol === undefined) props.protocol = "tcp";
                props[key] = U;
            }
            res.push({ urn: urn("huaweicloud:Vpc/secgroupRule:SecgroupRule", `r${g}-${i}`), type: "huaweicloud:Vpc/secgroupRule:SecgroupRule", name: `r${g}-${i}`, props });
        });
    });
    return res;
}

/** Brute force: does this rule match this packet (protocol, port, IPv4 source)? */
function sgMatches(r: SgRule, proto: number, port: number, src: bigint): boolean {
    if (r.ethertype !== "IPv4") return false;
    const p = r.protocol === undefined ? "any" : { tcp: 6, udp: 17, icmp: 1 }[r.protocol] ?? Number(r.protocol);
    if (p !== "any" && p !== proto) return false;
    if (r.ports !== undefined && r.protocol !== undefined && r.protocol !== "icmp" && (proto === 6 || proto === 17)) {
        const ok = r.ports.split(",").some((part) => {
            const [lo, hi = lo] = part.split("-").map(Number);
            return port >= lo && port <= hi;
        });
        if (!ok) return false;
    }
    if (!r.remote) return true;
    if ("group" in r.remote) return false; // the ELB is never a member of a security group
    const cidrs = "cidr" in r.remote ? [r.remote.cidr] : r.remote.addressGroup;
    return cidrs.some((c) => !c.includes(":") && ip(c).contains(src));
}

/** Brute force: groups in order; per group the matching rules, the best priority, deny beats allow. */
function sgAdmits(groups: SgRule[][], proto: number, port: number, src: bigint): boolean {
    for (const rules of groups) {
        const hits = rules.filter((r) => sgMatches(r, proto, port, src));
        if (hits.length === 0) continue;
        const best = Math.min(...hits.map((r) => r.priority ?? 1));
        const top = hits.filter((r) => (r.priority ?? 1) === best);
        return !top.some((r) => (r.action ?? "allow") === "deny");
    }
    return false;
}

/** A concrete resolution of a rule's unknown field. */
const resolveSg = (r: SgRule, pick: number): SgRule => {
    if (!r.unknown) return r;
    const c = { ...r, unknown: undefined };
    if (r.unknown === "remote") c.remote = { cidr: CIDRS[pick % CIDRS.length] };
    if (r.unknown === "ports") {
        c.protocol ??= "tcp";
        c.ports = PORTS[pick % PORTS.length];
    }
    if (r.unknown === "action") c.action = pick % 2 ? "allow" : "deny";
    if (r.unknown === "priority") c.priority = [1, 2, 50, 100][pick % 4];
    if (r.unknown === "protocol") c.protocol = ["tcp", "udp", "icmp"][pick % 3];
    return c;
};

function samples(set: IntervalSet, cidrs: string[], extra: bigint[]): bigint[] {
    const pts = new Set<bigint>(extra);
    for (const [lo, hi] of set.ranges) [lo, hi, lo + 1n, hi - 1n, (lo + hi) / 2n].forEach((x) => pts.add(x));
    for (const c of cidrs) {
        if (c.includes(":")) continue;
        for (const [lo, hi] of ip(c).ranges) [lo - 1n, lo, hi, hi + 1n].forEach((x) => pts.add(x));
    }
    return [...pts].filter((x) => set.contains(x));
}

const flowOf = (proto: number, port: number): Flow => ({ protocol: proto, port, family: 4, sources: AddressSet.ofFamily(4, NEED), sourceLabel: "test", purpose: "health-check port" });

let cases = 0;
let disagreements = 0;

function checkSg(groups: SgRule[][], proto: number, port: number, randomPoints: bigint[], resolutions: number[]): boolean {
    cases++;
    const t = buildTopology(sgStack(groups));
    const refs = { state: "known" as const, value: groups.map((_, g) => ({ state: "resolved" as const, urn: `urn:pulumi:o::p::huaweicloud:Vpc/secgroup:Secgroup::sg${g}`, via: "id" as const, path: "" })) };
    const check = securityGroupCheck(t, refs, flowOf(proto, port));
    const admitted = check.admitted.v4;
    const blocked = check.blocked.v4;
    const cidrs = groups.flat().flatMap((r) => (r.remote && "cidr" in r.remote ? [r.remote.cidr] : r.remote && "addressGroup" in r.remote ? r.remote.addressGroup : []));
    const hasUnknown = groups.flat().some((r) => r.unknown);
    for (const src of samples(NEED, cidrs.concat(CIDRS), randomPoints)) {
        const concrete = hasUnknown ? resolutions.map((pick) => sgAdmits(groups.map((rs) => rs.map((r) => resolveSg(r, pick))), proto, port, src)) : [sgAdmits(groups, proto, port, src)];
        for (const ok of concrete) {
            // admitted ⇒ every resolution admits; blocked ⇒ none admits; known rules: exact.
            const bad = (admitted.contains(src) && !ok) || (blocked.contains(src) && ok) || (!hasUnknown && admitted.contains(src) !== ok);
            if (bad) {
                disagreements++;
                return false;
            }
        }
    }
    return true;
}

// ---------------------------------------------------------------------------------------------
// Network ACLs

interface AclRuleSpec {
    action: "allow" | "deny";
    protocol: string;
    source?: string;
    sourcePort?: string;
    destinationPort?: string;
    destination?: string;
    enabled?: boolean;
    unknown?: "source" | "action" | "destinationPort";
}

const aclRule: fc.Arbitrary<AclRuleSpec> = fc.record(
    {
        action: fc.constantFrom("allow", "deny"),
        protocol: fc.constantFrom("tcp", "tcp", "any", "udp", "icmp"),
        source: fc.constantFrom(...CIDRS.filter((c) => !c.includes(":"))),
        sourcePort: fc.constantFrom("1024-65535", "1-1023", "32768-60999", "1-65535", "80"),
        destinationPort: fc.constantFrom(...PORTS),
        destination: fc.constantFrom("192.168.2.0/24", "0.0.0.0/0", "10.0.0.0/8", "192.168.2.10/32"),
        enabled: fc.boolean(),
    },
    { requiredKeys: ["action", "protocol"] },
);
const aclRuleMaybeUnknown = fc.tuple(aclRule, fc.constantFrom(undefined, undefined, undefined, "source", "action", "destinationPort")).map(([r, unknown]) => ({ ...r, unknown }) as AclRuleSpec);

function aclMatches(r: AclRuleSpec, port: number, src: bigint, sport: number): boolean {
    if (r.enabled === false) return false;
    if (r.protocol !== "any" && r.protocol !== "tcp") return false;
    if (r.source && !ip(r.source).contains(src)) return false;
    if (r.destination && !ip(r.destination).contains(ip(MEMBER).sample()!)) return false;
    const inPorts = (spec: string | undefined, p: number) =>
        spec === undefined || spec.split(",").some((part) => {
            const [lo, hi = lo] = part.split("-").map(Number);
            return p >= lo && p <= hi;
        });
    return inPorts(r.sourcePort, sport) && inPorts(r.destinationPort, port);
}

function aclAdmits(rules: AclRuleSpec[], port: number, src: bigint, sport: number): boolean {
    const hit = rules.find((r) => aclMatches(r, port, src, sport));
    return hit?.action === "allow";
}

const resolveAcl = (r: AclRuleSpec, pick: number): AclRuleSpec => {
    if (!r.unknown) return r;
    const c = { ...r, unknown: undefined };
    if (r.unknown === "source") c.source = CIDRS.filter((x) => !x.includes(":"))[pick % 11];
    if (r.unknown === "action") c.action = pick % 2 ? "allow" : "deny";
    if (r.unknown === "destinationPort") c.destinationPort = PORTS[pick % PORTS.length];
    return c;
};

function checkAcl(rules: AclRuleSpec[], port: number, randomPoints: bigint[], resolutions: number[]): boolean {
    cases++;
    const props = {
        id: "acl-id",
        ingressRules: rules.map((r) => {
            const o: Record<string, unknown> = { action: r.action, protocol: r.protocol, ipVersion: 4 };
            if (r.source) o.sourceIpAddress = r.source;
            if (r.sourcePort) o.sourcePort = r.sourcePort;
            if (r.destinationPort) o.destinationPort = r.destinationPort;
            if (r.destination) o.destinationIpAddress = r.destination;
            if (r.enabled !== undefined) o.enabled = r.enabled;
            if (r.unknown) o[{ source: "sourceIpAddress", action: "action", destinationPort: "destinationPort" }[r.unknown]] = U;
            return o;
        }),
    };
    const t = buildTopology([{ urn: "urn:pulumi:o::p::huaweicloud:Vpc/networkAcl:NetworkAcl::acl", type: "huaweicloud:Vpc/networkAcl:NetworkAcl", name: "acl", props }]);
    const acl = t.networkAcls[0];
    const v = evaluateAcl(t, { acl, direction: "ingress", destination: { state: "known", value: AddressSet.ofFamily(4, ip(MEMBER)) } }, flowOf(6, port), NEED);
    const cidrs = rules.flatMap((r) => (r.source ? [r.source] : []));
    const sports = new Set<number>([1, 2, 80, 81, 1022, 1023, 1024, 1025, 32767, 32768, 60999, 61000, 65534, 65535]);
    const hasUnknown = rules.some((r) => r.unknown);
    for (const src of samples(NEED, cidrs.concat(CIDRS), randomPoints)) {
        for (const pick of hasUnknown ? resolutions : [0]) {
            const concrete = rules.map((r) => resolveAcl(r, pick));
            const all = [...sports].every((sp) => aclAdmits(concrete, port, src, sp));
            const none = [...sports].some((sp) => !aclAdmits(concrete, port, src, sp));
            const bad = (v.admitted.contains(src) && !all) || (v.blocked.contains(src) && !none) || (!hasUnknown && (v.admitted.contains(src) !== all || v.blocked.contains(src) !== none));
            if (bad) {
                disagreements++;
                return false;
            }
        }
    }
    return true;
}

const point = fc.bigInt({ min: ip("100.125.0.0/16").sample()!, max: ip("100.126.255.255/32").sample()! });
const resolutions = fc.array(fc.nat(1000), { minLength: 3, maxLength: 3 });
const port = fc.constantFrom(80, 8080, 8081, 22);

describe("oracle: core vs brute force", () => {
    it("security groups, all fields known: exact", () => {
        fc.assert(fc.property(fc.array(fc.array(sgRule, { maxLength: 6 }), { minLength: 1, maxLength: 3 }), fc.constantFrom(6, 17, 1), port, fc.array(point, { maxLength: 4 }), (groups, proto, p, pts) => checkSg(groups, proto, p, pts, [0])), { numRuns: 4000 });
    });
    it("security groups with unknown fields: sound bounds", () => {
        fc.assert(fc.property(fc.array(fc.array(sgRuleMaybeUnknown, { maxLength: 5 }), { minLength: 1, maxLength: 2 }), port, fc.array(point, { maxLength: 3 }), resolutions, (groups, p, pts, rs) => checkSg(groups, 6, p, pts, rs)), { numRuns: 2000 });
    });
    it("network ACLs, all fields known: exact over source address x source port", () => {
        fc.assert(fc.property(fc.array(aclRule, { maxLength: 7 }), port, fc.array(point, { maxLength: 4 }), (rules, p, pts) => checkAcl(rules, p, pts, [0])), { numRuns: 3000 });
    });
    it("network ACLs with unknown fields: sound bounds", () => {
        fc.assert(fc.property(fc.array(aclRuleMaybeUnknown, { maxLength: 6 }), port, fc.array(point, { maxLength: 3 }), resolutions, (rules, p, pts, rs) => checkAcl(rules, p, pts, rs)), { numRuns: 1500 });
    });
    it("reports its count", () => {
        console.log(`oracle: ${cases} cases, ${disagreements} disagreements`);
        expect(cases).toBeGreaterThanOrEqual(10_000);
        expect(disagreements).toBe(0);
    });
});
