/** Size and hostility: a 50k-resource build (time printed, not asserted), huge lists, malformed resources. */
import { describe, expect, it } from "vitest";
import { buildTopology } from "../../src/model/build";
import type { RawResource } from "../../src/model/types";
import { build, res, TF, token, U, unknownCheckingProxy, urnOf } from "./helpers";

function stack(n: number, mode: "known" | "unknown"): RawResource[] {
    const rs: RawResource[] = [];
    const id = (s: string) => (mode === "known" ? s : U);
    const link = (tf: string, name: string) => [urnOf(token(tf), name)];
    rs.push(res(TF.vpc, "vpc", { id: id("vpc"), cidr: "10.0.0.0/8" }));
    rs.push(res(TF.acl, "acl", { associatedSubnets: Array.from({ length: 100 }, (_, i) => ({ subnetId: id(`n${i}`) })), ingressRules: [{ action: "allow", protocol: "tcp", ipVersion: 4, sourceIpAddress: "100.125.0.0/16", destinationPort: "80" }] }, { associatedSubnets: Array.from({ length: 100 }, (_, i) => urnOf(token(TF.subnet), `s${i}`)) }));
    for (let i = 0; i < n; i++) {
        const ip = `10.${i >> 8}.${i & 255}.10`;
        rs.push(res(TF.subnet, `s${i}`, { id: id(`n${i}`), ipv4SubnetId: id(`v${i}`), vpcId: id("vpc"), cidr: `10.${i >> 8}.${i & 255}.0/24` }, { vpcId: link(TF.vpc, "vpc") }));
        rs.push(res(TF.sg, `g${i}`, { id: id(`g${i}`), name: `g${i}` }));
        for (let k = 0; k < 3; k++) rs.push(res(TF.sgRule, `r${i}-${k}`, { securityGroupId: id(`g${i}`), direction: "ingress", ethertype: "IPv4", protocol: "tcp", ports: `${80 + k}`, remoteIpPrefix: "100.125.0.0/16" }, { securityGroupId: link(TF.sg, `g${i}`) }));
        rs.push(res(TF.ecs, `vm${i}`, { id: id(`vm${i}`), networks: [{ uuid: id(`n${i}`), fixedIpV4: ip }], securityGroupIds: [id(`g${i}`)] }, { networks: link(TF.subnet, `s${i}`), securityGroupIds: link(TF.sg, `g${i}`) }));
        rs.push(res(TF.sharedPool, `p${i}`, { id: id(`p${i}`), protocol: "HTTP", listenerId: id(`l${i}`) }, { listenerId: link(TF.sharedListener, `l${i}`) }));
        rs.push(res(TF.sharedListener, `l${i}`, { id: id(`l${i}`), protocol: "HTTP", protocolPort: 80, loadbalancerId: id("lb") }));
        rs.push(res(TF.sharedMember, `m${i}`, { poolId: id(`p${i}`), address: ip, subnetId: id(`v${i}`), protocolPort: 80 }, { poolId: link(TF.sharedPool, `p${i}`), subnetId: link(TF.subnet, `s${i}`) }));
        rs.push(res(TF.sharedMonitor, `mon${i}`, { poolId: id(`p${i}`), type: "HTTP", delay: 5, timeout: 3, maxRetries: 3 }, { poolId: link(TF.sharedPool, `p${i}`) }));
    }
    return rs;
}

describe("scale", () => {
    for (const mode of ["known", "unknown"] as const) {
        it(`builds a 50,000-resource stack with ${mode} IDs in linear time (printed, not asserted)`, () => {
            const rs = stack(5000, mode);
            const times: number[] = [];
            let t = buildTopology(rs);
            for (let k = 0; k < 3; k++) {
                const t0 = performance.now();
                t = buildTopology(rs);
                for (const m of t.members) t.backendOfMember(m);
                for (const s of t.subnets) t.aclOfSubnet(s);
                times.push(performance.now() - t0);
            }
            console.log(`model: ${rs.length} resources (${mode} IDs) built and queried in ${times.map((x) => x.toFixed(0)).join(" / ")} ms`);
            expect(t.members).toHaveLength(5000);
            expect(t.findings).toEqual([]);
            const m = t.members[4321];
            expect([t.poolOfMember(m)?.name, t.subnetOfMember(m)?.name, t.backendOfMember(m).state, t.listenersOfPool(t.poolOfMember(m)!).length, t.monitorsOfPool(t.poolOfMember(m)!).length]).toEqual(["p4321", "s4321", "nic", 1, 1]);
            expect(t.aclOfSubnet(t.subnets[99]).state).toBe("acl");
            expect(t.aclOfSubnet(t.subnets[100]).state).toBe("none");
        });
    }

    it("huge lists are capped (a finding) or walked linearly, never a blow-up", () => {
        const big = (n: number, f: (i: number) => unknown) => Array.from({ length: n }, (_, i) => f(i));
        const t0 = performance.now();
        const t = build(
            res(TF.ecs, "vm", { networks: big(100_000, () => ({ uuid: "x" })), securityGroupIds: big(100_000, (i) => `sg-${i}`), userData: "x".repeat(2 << 20) }),
            res(TF.acl, "acl", { ingressRules: big(100_000, () => ({ action: "allow", protocol: "tcp" })), associatedSubnets: big(100_000, (i) => ({ subnetId: `n${i}` })) }),
            res(TF.addressGroup, "ag", { addresses: big(100_000, (i) => `10.0.${i >> 8 & 255}.${i & 255}`) }),
            res(TF.sgRule, "r", { ports: "80,".repeat(100_000), remoteIpPrefix: "1".repeat(1_000_000) }),
            res(TF.sharedLb, "lb", { tags: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, "v"])) }),
        );
        const ms = performance.now() - t0;
        console.log(`model: 100,000-entry lists read in ${ms.toFixed(0)} ms`);
        expect(t.findings.map((f) => `${f.name}.${f.property}: ${f.expected}`)).toEqual([
            "vm.securityGroupIds: a list of at most 10000 entries",
            "vm.networks: a list of at most 64 entries",
            "vm.userData: a string of at most 1048576 characters",
            "acl.associatedSubnets: a list of at most 10000 entries",
            "acl.ingressRules: a list of at most 10000 entries",
            "ag.addresses: a list of at most 10000 entries",
            "r.remoteIpPrefix: a CIDR block such as 10.0.0.0/16 or ::/0",
            'r.ports: ports 1-65535 as "80", "1-30" or "22,80,443"',
        ]);
        expect(t.servers[0].nics).toHaveLength(0);
        expect(Object.keys(t.loadBalancers[0].tags)).toHaveLength(1000);
    });
});

describe("hostile input never throws", () => {
    it("non-resources, non-object props, duplicate URNs, hostile iterables", () => {
        const weird = [null, 42, "x", [], { urn: 5, type: token(TF.sharedPool) }, { urn: "urn:a", type: token(TF.sharedPool), name: "a", props: "not-an-object" }, { urn: "urn:b", type: token(TF.sharedPool), props: null, propertyDependencies: "nope" }, { urn: "urn:b", type: token(TF.sharedPool), name: "dup", props: { protocol: "UDP" } }];
        const t = buildTopology(weird as unknown as RawResource[]);
        expect(t.pools.map((p) => [p.name, p.protocol.state])).toEqual([["a", "absent"], ["urn:b", "absent"]]);
        function* halfBroken(): Generator<RawResource> {
            yield res(TF.sharedPool, "first", { protocol: "TCP" });
            throw new Error("iterator broke");
        }
        expect(buildTopology(halfBroken()).pools.map((p) => p.name)).toEqual(["first"]);
    });

    it("every kind read through the SDK's proxy with sentinels everywhere: no throw, unknown states, no findings", () => {
        const everything = (v: unknown) => ({
            id: v, name: v, vipSubnetId: v, ipv4SubnetId: v, backendSubnets: v, ipv6NetworkId: v, vpcId: v, protocol: v, protocolPort: v, loadbalancerId: v, defaultPoolId: v, listenerId: v, poolId: v,
            address: v, subnetId: v, weight: v, adminStateUp: v, type: v, delay: v, interval: v, timeout: v, maxRetries: v, port: v, urlPath: v, domainName: v, expectedCodes: v, statusCode: v, enabled: v,
            cidr: v, secondaryCidrs: v, securityGroupId: v, direction: v, ethertype: v, ports: v, portRangeMin: v, portRangeMax: v, remoteIpPrefix: v, remoteGroupId: v, action: v, priority: v,
            addresses: v, ipVersion: v, associatedSubnets: v, ingressRules: [{ action: v, protocol: v, sourceIpAddress: v, destinationPort: v }], egressRules: v, inboundRules: v, subnets: v,
            networks: [{ uuid: v, fixedIpV4: v }], securityGroupIds: v, securityGroups: v, userData: v, instanceId: v, networkId: v, fixedIp: v, fixedIps: v, fixedIpV4: v, publicip: { portId: v }, portId: v, publicIp: v, tags: v,
            transparentClientIpEnable: v, anyPortEnable: v, crossVpcBackend: v, ipv4EipId: v, deviceId: v,
        });
        const tfs = Object.values(TF);
        for (const sentinel of [U, "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", "dd056dcd-154b-4c76-9bd3-c8f88648b5ff"]) {
            const rs = tfs.map((tf) => ({ ...res(tf, tf, {}), props: unknownCheckingProxy(everything(sentinel)) }));
            const t = buildTopology(rs);
            expect(t.byUrn.size).toBe(tfs.length);
            expect(t.findings).toEqual([]);
            expect(t.members[0].address.state).toBe("unknown");
            expect(t.servers[0].nics[0].subnet.state).toBe("unresolved");
            for (const m of t.members) t.backendOfMember(m);
            for (const s of t.subnets) t.aclOfSubnet(s);
            for (const l of t.loadBalancers) {
                t.hasEip(l);
                t.backendSubnetsOfLoadBalancer(l);
            }
        }
    });
});
