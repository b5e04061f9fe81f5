import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { describe, expect, it } from "vitest";
import { buildTopology } from "../../src/model/build";
import { PropReader } from "../../src/model/reader";
import { allTokens, indexToken, tokenInfo } from "../../src/model/tokens";
import type { DataFinding, RawResource } from "../../src/model/types";
import { loadBase, render, toIndexStyle } from "../support/fixture-stack";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { unknownCheckingProxy } = require("@pulumi/policy");

const raw = (type: string, name: string, props: Record<string, unknown>, deps: Record<string, string[]> = {}): RawResource => ({
    urn: `urn:pulumi:s::p::${type}::${name}`,
    type,
    name,
    props,
    propertyDependencies: deps,
});
const urnOf = (type: string, name: string) => `urn:pulumi:s::p::${type}::${name}`;

describe("token catalogue", () => {
    it("maps every static token and its index-style twin to the same kind and family", () => {
        const statics = [...allTokens()].filter(([, i]) => i.style === "static");
        expect(statics.length).toBeGreaterThanOrEqual(29);
        for (const [token, info] of statics) {
            const twin = tokenInfo(indexToken(info.terraform));
            expect(twin, token).toMatchObject({ kind: info.kind, family: info.family, style: "index" });
        }
    });
    it("derives index tokens from the Terraform name", () => {
        expect(indexToken("huaweicloud_lb_pool")).toBe("huaweicloud:index/lbPool:LbPool");
        expect(indexToken("huaweicloud_networking_secgroup_rule")).toBe("huaweicloud:index/networkingSecgroupRule:NetworkingSecgroupRule");
        expect(indexToken("huaweicloud_vpc_network_acl")).toBe("huaweicloud:index/vpcNetworkAcl:VpcNetworkAcl");
        expect(tokenInfo("huaweicloud:elb/pool:Pool")).toBeUndefined(); // case-sensitive
        expect(tokenInfo("huaweicloud:Vpc/eip:Eip")?.kind).toBe("eip");
    });
});

describe("safe reader", () => {
    const findings: DataFinding[] = [];
    const props = {
        id: "x", port: 80, portStr: "80", big: 1e20, nan: NaN, unknown: unknownValue, redacted: "[secret]",
        secret: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "10.0.0.0/8" },
        cipher: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "abc" },
        list: [unknownValue, "a"], obj: { nested: unknownValue }, cidr: "999.1.1.1/40", ports: "80-",
    };
    it("reads plain objects: known / unknown / absent / invalid", () => {
        const r = new PropReader("urn", "t", "n", props, findings);
        expect(r.number(["port"])).toEqual({ state: "known", value: 80 });
        expect(r.number(["portStr"])).toEqual({ state: "known", value: 80 });
        expect(r.number(["big"], 1, 65535).state).toBe("invalid");
        expect(r.number(["nan"]).state).toBe("invalid");
        expect(r.string(["unknown"]).state).toBe("unknown");
        expect(r.string(["redacted"]).state).toBe("unknown");
        expect(r.cidr(["secret"]).state).toBe("known");
        expect(r.string(["cipher"]).state).toBe("unknown");
        expect(r.string(["missing"]).state).toBe("absent");
        expect(r.string(["list", 0]).state).toBe("unknown");
        expect(r.string(["obj"]).state).toBe("invalid");
        expect(r.cidr(["cidr"])).toMatchObject({ state: "invalid", path: "cidr" });
        expect(r.ports(["ports"], "list")).toMatchObject({ state: "invalid", path: "ports" });
        expect(findings.map((f) => f.property)).toEqual(expect.arrayContaining(["cidr", "ports", "big", "obj"]));
        // A finding says what was expected, never the value.
        expect(JSON.stringify(findings)).not.toContain("999.1.1.1");
    });
    it("reads the policy SDK's unknown-checking proxy without throwing", () => {
        const proxied = unknownCheckingProxy(JSON.parse(JSON.stringify({ ...props, nan: 0 })));
        expect(() => proxied.unknown).toThrow(); // the SDK's behaviour the reader must absorb
        const r = new PropReader("urn", "t", "n", proxied, []);
        expect(r.string(["unknown"]).state).toBe("unknown");
        expect(r.string(["list", 0]).state).toBe("unknown");
        expect(r.string(["obj", "nested"]).state).toBe("unknown");
        expect(r.number(["port"])).toEqual({ state: "known", value: 80 });
        expect(r.list(["list"])).toEqual({ state: "known", value: 2 });
    });
    it("ignores prototype-polluting keys in tags", () => {
        const tags = new PropReader("u", "t", "n", JSON.parse('{"tags": {"__proto__": {"polluted": "yes"}, "constructor": "c", "elb-health-exempt": "why"}}'), []).tags();
        expect(tags["elb-health-exempt"]).toBe("why");
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
});

describe("topology: references", () => {
    const subnet = (name: string, props: Record<string, unknown> = {}) => raw("huaweicloud:Vpc/subnet:Subnet", name, { cidr: "192.168.1.0/24", gatewayIp: "192.168.1.1", ...props });
    it("resolves by literal ID, picking the right subnet identifier", () => {
        const t = buildTopology([
            subnet("s", { id: "net-1", ipv4SubnetId: "v4-1" }),
            raw("huaweicloud:Elb/loadbalancer:Loadbalancer", "lb", { vipSubnetId: "v4-1" }),
            raw("huaweicloud:Vpc/networkAcl:NetworkAcl", "acl", { associatedSubnets: [{ subnetId: "net-1" }] }),
        ]);
        expect(t.loadBalancers[0].ipv4Subnet).toMatchObject({ state: "resolved", via: "id", urn: urnOf("huaweicloud:Vpc/subnet:Subnet", "s") });
        expect(t.aclOfSubnet(t.subnets[0]).state).toBe("acl");
    });
    it("flags the wrong subnet identifier (its id where ipv4SubnetId belongs) and still follows it", () => {
        const t = buildTopology([subnet("s", { id: "net-1", ipv4SubnetId: "v4-1" }), raw("huaweicloud:Elb/loadbalancer:Loadbalancer", "lb", { vipSubnetId: "net-1" })]);
        expect(t.loadBalancers[0].ipv4Subnet.state).toBe("resolved");
        expect(t.findings.map((f) => f.property)).toContain("vipSubnetId");
    });
    it("resolves unknown IDs through propertyDependencies, filtered by kind", () => {
        const s = urnOf("huaweicloud:Vpc/subnet:Subnet", "s");
        const vpc = urnOf("huaweicloud:Vpc/vpc:Vpc", "v");
        const t = buildTopology([subnet("s"), raw("huaweicloud:Vpc/vpc:Vpc", "v", { cidr: "192.168.0.0/16" }), raw("huaweicloud:Elb/loadbalancer:Loadbalancer", "lb", { vipSubnetId: unknownValue }, { vipSubnetId: [vpc, s] })]);
        expect(t.loadBalancers[0].ipv4Subnet).toMatchObject({ state: "resolved", via: "dependency", urn: s });
    });
    it("external (known ID not in the plan) and unresolved (unknown, no dependency)", () => {
        const t = buildTopology([raw("huaweicloud:Elb/pool:Pool", "a", { listenerId: "elsewhere", protocol: "HTTP" }), raw("huaweicloud:Elb/pool:Pool", "b", { listenerId: unknownValue, protocol: "HTTP" })]);
        expect(t.pools[0].listener).toMatchObject({ state: "external", id: "elsewhere" });
        expect(t.pools[1].listener.state).toBe("unresolved");
    });
    it("resolves ECS security groups given by name, in binding order", () => {
        const t = buildTopology([
            raw("huaweicloud:Vpc/secgroup:Secgroup", "a", { name: "web" }),
            raw("huaweicloud:Vpc/secgroup:Secgroup", "b", { name: "ops" }),
            raw("huaweicloud:Ecs/instance:Instance", "vm", { networks: [{ uuid: "x" }], securityGroups: ["ops", "web", "missing"] }),
        ]);
        const groups = t.servers[0].nics[0].securityGroups;
        expect(groups.state === "known" && groups.value.map((r) => (r.state === "resolved" ? r.urn.split("::").pop() : r.state))).toEqual(["b", "a", "external"]);
    });
    it("member → server: by address, by the address's dependency, or unresolved when an IP is auto-assigned", () => {
        const vm = urnOf("huaweicloud:Ecs/instance:Instance", "vm");
        const base = [subnet("s", { id: "net-1", ipv4SubnetId: "v4-1" }), raw("huaweicloud:Ecs/instance:Instance", "vm", { networks: [{ uuid: "net-1", fixedIpV4: "192.168.1.10" }] })];
        const member = (address: unknown, deps: Record<string, string[]> = {}) => raw("huaweicloud:Elb/member:Member", "m", { address, subnetId: "v4-1", protocolPort: 80, poolId: "p" }, deps);
        expect(buildTopology([...base, member("192.168.1.10")]).backendOfMember(buildTopology([...base, member("192.168.1.10")]).members[0]).state).toBe("nic");
        const t2 = buildTopology([...base, member(unknownValue, { address: [vm] })]);
        expect(t2.backendOfMember(t2.members[0])).toMatchObject({ state: "nic" });
        const t3 = buildTopology([...base, member("192.168.1.99")]);
        expect(t3.backendOfMember(t3.members[0])).toMatchObject({ state: "outside" });
        const t4 = buildTopology([subnet("s", { id: "net-1", ipv4SubnetId: "v4-1" }), raw("huaweicloud:Ecs/instance:Instance", "vm", { networks: [{ uuid: "net-1" }] }), member("192.168.1.99")]);
        expect(t4.backendOfMember(t4.members[0]).state).toBe("unresolved");
    });
    it("legacy ACLs take their rules in inboundRules order", () => {
        const rule = (n: string, action: string) => raw("huaweicloud:NetworkAcl/aclRule:AclRule", n, { id: `${n}-id`, name: n, protocol: "tcp", action, destinationPort: "1:100" });
        const t = buildTopology([rule("r1", "deny"), rule("r2", "allow"), raw("huaweicloud:NetworkAcl/acl:Acl", "acl", { inboundRules: ["r2-id", "r1-id"], subnets: [] })]);
        const ingress = t.networkAcls[0].ingress;
        expect(ingress.state === "known" && ingress.value.map((r) => r.label)).toEqual(["r2", "r1"]);
    });
    it("builds both base stacks identically under both token styles and both ID modes", () => {
        for (const base of ["shared-http", "dedicated-udp"]) {
            const shapes = (["known", "unknown"] as const).flatMap((mode) =>
                [loadBase(base), toIndexStyle(loadBase(base))].map((rs) => {
                    const t = buildTopology(render(rs, mode).raw);
                    const m = t.members[0];
                    const b = t.backendOfMember(m);
                    return [t.poolOfMember(m)?.name, t.listenersOfPool(t.poolOfMember(m)!).length, t.subnetOfMember(m)?.name, b.state, t.findings.length].join("/");
                }),
            );
            expect(new Set(shapes).size, shapes.join(" | ")).toBe(1);
        }
    });
    it("builds a 50k-resource stack in linear time (printed, not asserted)", () => {
        const rs: RawResource[] = [];
        for (let i = 0; i < 5000; i++) {
            rs.push(raw("huaweicloud:Vpc/subnet:Subnet", `s${i}`, { id: `n${i}`, ipv4SubnetId: `v${i}`, cidr: `10.${i >> 8}.${i & 255}.0/24` }));
            rs.push(raw("huaweicloud:Vpc/secgroup:Secgroup", `g${i}`, { id: `g${i}`, name: `g${i}` }));
            for (let k = 0; k < 3; k++) rs.push(raw("huaweicloud:Vpc/secgroupRule:SecgroupRule", `r${i}-${k}`, { securityGroupId: `g${i}`, direction: "ingress", ethertype: "IPv4", protocol: "tcp", ports: "80", remoteIpPrefix: "100.125.0.0/16" }));
            rs.push(raw("huaweicloud:Ecs/instance:Instance", `vm${i}`, { id: `vm${i}`, networks: [{ uuid: `n${i}`, fixedIpV4: `10.${i >> 8}.${i & 255}.10` }], securityGroupIds: [`g${i}`] }));
            rs.push(raw("huaweicloud:Elb/member:Member", `m${i}`, { poolId: "p", address: `10.${i >> 8}.${i & 255}.10`, subnetId: `v${i}`, protocolPort: 80 }));
            rs.push(raw("huaweicloud:Elb/pool:Pool", `p${i}`, { id: `p${i}`, protocol: "HTTP" }));
            rs.push(raw("huaweicloud:Vpc/vpc:Vpc", `v${i}`, { cidr: "10.0.0.0/8" }));
        }
        const t0 = performance.now();
        const t = buildTopology(rs);
        for (const m of t.members) t.backendOfMember(m);
        console.log(`model: built ${rs.length} resources in ${(performance.now() - t0).toFixed(0)} ms`);
        expect(t.members).toHaveLength(5000);
    });
});
