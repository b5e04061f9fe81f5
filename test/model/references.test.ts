/**
 * Reference resolution: every reference kind by literal ID and by propertyDependencies, under both token
 * styles; external and unresolved references; lists of one kind; nested references; the subnet ID kinds (§3.1).
 */
import { describe, expect, it } from "vitest";
import type { Topology } from "../../src/model/topology";
import type { L7Policy, RawResource, Ref, Value } from "../../src/model/types";
import { build, names, res, STYLES, target, TF, U, urnOf, token, type Style } from "./helpers";

type Get = (t: Topology) => Ref | Value<Ref[]>;
interface Row {
    what: string;
    holder: string;
    /** Holder props given the reference value. */
    props: (v: unknown) => Record<string, unknown>;
    /** propertyDependencies key. */
    dep: string;
    target: string;
    /** Target props given its identifier value (the identifier the property carries). */
    targetProps: (v: unknown) => Record<string, unknown>;
    get: Get;
}

const first = <T>(xs: readonly T[]) => xs[0];
const holder = <T extends { name: string }>(xs: readonly T[]) => xs.find((x) => x.name === "holder")!;
const list = (v: Value<Ref[]>): Ref => (v.state === "known" ? v.value[0] : ({ state: "unresolved", reason: v.state, path: "" } as Ref));
const subnetIds = (kind: "id" | "ipv4SubnetId" | "ipv6SubnetId") => (v: unknown) => ({ id: "other", ipv4SubnetId: "other4", ipv6SubnetId: "other6", cidr: "192.168.1.0/24", [kind]: v });
const byId = (v: unknown) => ({ id: v });

const ROWS: Row[] = [
    { what: "shared LB vipSubnetId → subnet ipv4SubnetId", holder: TF.sharedLb, props: (v) => ({ vipSubnetId: v }), dep: "vipSubnetId", target: TF.subnet, targetProps: subnetIds("ipv4SubnetId"), get: (t) => first(t.loadBalancers).ipv4Subnet },
    { what: "dedicated LB ipv4SubnetId → subnet ipv4SubnetId", holder: TF.dedicatedLb, props: (v) => ({ ipv4SubnetId: v }), dep: "ipv4SubnetId", target: TF.subnet, targetProps: subnetIds("ipv4SubnetId"), get: (t) => first(t.loadBalancers).ipv4Subnet },
    { what: "dedicated LB ipv6NetworkId → subnet id", holder: TF.dedicatedLb, props: (v) => ({ ipv6NetworkId: v }), dep: "ipv6NetworkId", target: TF.subnet, targetProps: subnetIds("id"), get: (t) => first(t.loadBalancers).ipv6Network },
    { what: "dedicated LB backendSubnets → subnet ids", holder: TF.dedicatedLb, props: (v) => ({ backendSubnets: [v] }), dep: "backendSubnets", target: TF.subnet, targetProps: subnetIds("id"), get: (t) => first(t.loadBalancers).backendSubnets },
    { what: "dedicated LB vpcId → VPC", holder: TF.dedicatedLb, props: (v) => ({ vpcId: v }), dep: "vpcId", target: TF.vpc, targetProps: byId, get: (t) => first(t.loadBalancers).vpc },
    { what: "listener loadbalancerId → LB", holder: TF.sharedListener, props: (v) => ({ loadbalancerId: v }), dep: "loadbalancerId", target: TF.sharedLb, targetProps: byId, get: (t) => holder(t.listeners).loadBalancer },
    { what: "listener defaultPoolId → pool", holder: TF.dedicatedListener, props: (v) => ({ defaultPoolId: v }), dep: "defaultPoolId", target: TF.dedicatedPool, targetProps: byId, get: (t) => holder(t.listeners).defaultPool },
    { what: "pool listenerId → listener", holder: TF.sharedPool, props: (v) => ({ listenerId: v }), dep: "listenerId", target: TF.sharedListener, targetProps: byId, get: (t) => first(t.pools).listener },
    { what: "pool loadbalancerId → LB", holder: TF.dedicatedPool, props: (v) => ({ loadbalancerId: v }), dep: "loadbalancerId", target: TF.dedicatedLb, targetProps: byId, get: (t) => first(t.pools).loadBalancer },
    { what: "member poolId → pool", holder: TF.sharedMember, props: (v) => ({ poolId: v }), dep: "poolId", target: TF.sharedPool, targetProps: byId, get: (t) => first(t.members).pool },
    { what: "shared member subnetId → subnet ipv4SubnetId", holder: TF.sharedMember, props: (v) => ({ subnetId: v }), dep: "subnetId", target: TF.subnet, targetProps: subnetIds("ipv4SubnetId"), get: (t) => first(t.members).subnet },
    { what: "dedicated member subnetId → subnet ipv6SubnetId", holder: TF.dedicatedMember, props: (v) => ({ subnetId: v }), dep: "subnetId", target: TF.subnet, targetProps: subnetIds("ipv6SubnetId"), get: (t) => first(t.members).subnet },
    { what: "monitor poolId → pool", holder: TF.dedicatedMonitor, props: (v) => ({ poolId: v }), dep: "poolId", target: TF.dedicatedPool, targetProps: byId, get: (t) => first(t.monitors).pool },
    { what: "subnet vpcId → VPC", holder: TF.subnet, props: (v) => ({ vpcId: v }), dep: "vpcId", target: TF.vpc, targetProps: byId, get: (t) => t.subnets.find((s) => s.name === "holder")!.vpc },
    { what: "SG rule securityGroupId → group", holder: TF.sgRule, props: (v) => ({ securityGroupId: v }), dep: "securityGroupId", target: TF.sg, targetProps: byId, get: (t) => first(t.securityGroupRules).group },
    { what: "SG rule remoteGroupId → group", holder: TF.sgRule, props: (v) => ({ remoteGroupId: v }), dep: "remoteGroupId", target: TF.sg, targetProps: byId, get: (t) => (first(t.securityGroupRules).remotes[0] as { group: Ref }).group },
    { what: "SG rule remoteAddressGroupId → address group", holder: TF.sgRule, props: (v) => ({ remoteAddressGroupId: v }), dep: "remoteAddressGroupId", target: TF.addressGroup, targetProps: byId, get: (t) => (first(t.securityGroupRules).remotes[0] as { group: Ref }).group },
    { what: "ACL associatedSubnets[].subnetId → subnet id", holder: TF.acl, props: (v) => ({ associatedSubnets: [{ subnetId: v }] }), dep: "associatedSubnets", target: TF.subnet, targetProps: subnetIds("id"), get: (t) => first(t.networkAcls).subnets },
    { what: "ACL rule sourceIpAddressGroupId → address group", holder: TF.acl, props: (v) => ({ ingressRules: [{ action: "allow", protocol: "tcp", ipVersion: 4, sourceIpAddressGroupId: v }] }), dep: "ingressRules", target: TF.addressGroup, targetProps: byId, get: (t) => (first(t.networkAcls).ingress as { value: { sourceAddressGroup: Ref }[] }).value[0].sourceAddressGroup },
    { what: "legacy ACL subnets → subnet ids", holder: TF.legacyAcl, props: (v) => ({ subnets: [v] }), dep: "subnets", target: TF.subnet, targetProps: subnetIds("id"), get: (t) => first(t.networkAcls).subnets },
    { what: "ECS networks[].uuid → subnet id", holder: TF.ecs, props: (v) => ({ networks: [{ uuid: v, fixedIpV4: "192.168.1.9" }] }), dep: "networks", target: TF.subnet, targetProps: subnetIds("id"), get: (t) => first(t.servers).nics[0].subnet },
    { what: "ECS securityGroupIds → groups", holder: TF.ecs, props: (v) => ({ networks: [{ uuid: "n" }], securityGroupIds: [v] }), dep: "securityGroupIds", target: TF.sg, targetProps: byId, get: (t) => first(t.servers).nics[0].securityGroups },
    { what: "ECS securityGroups → group names", holder: TF.ecs, props: (v) => ({ networks: [{ uuid: "n" }], securityGroups: [v] }), dep: "securityGroups", target: TF.sg, targetProps: (v) => ({ id: "sg-id", name: v }), get: (t) => first(t.servers).nics[0].securityGroups },
    { what: "Port networkId → subnet id", holder: TF.port, props: (v) => ({ networkId: v }), dep: "networkId", target: TF.subnet, targetProps: subnetIds("id"), get: (t) => first(t.standaloneNics).nic.subnet },
    { what: "NetworkInterface subnetId → subnet id", holder: TF.nic, props: (v) => ({ subnetId: v }), dep: "subnetId", target: TF.subnet, targetProps: subnetIds("id"), get: (t) => first(t.standaloneNics).nic.subnet },
    { what: "InterfaceAttach instanceId → ECS", holder: TF.attach, props: (v) => ({ instanceId: v }), dep: "instanceId", target: TF.ecs, targetProps: byId, get: (t) => first(t.standaloneNics).instance },
    { what: "InterfaceAttach portId → Port", holder: TF.attach, props: (v) => ({ portId: v }), dep: "portId", target: TF.port, targetProps: byId, get: (t) => t.standaloneNics.find((n) => n.kind === "interfaceAttach")!.port! },
    { what: "EIP publicip.portId → shared LB vipPortId", holder: TF.eip, props: (v) => ({ publicip: { portId: v } }), dep: "publicip", target: TF.sharedLb, targetProps: (v) => ({ id: "lb-id", vipPortId: v }), get: (t) => first(t.eips).port },
    { what: "EIP association portId → shared LB vipPortId", holder: TF.eipAssociate, props: (v) => ({ portId: v }), dep: "portId", target: TF.sharedLb, targetProps: (v) => ({ id: "lb-id", vipPortId: v }), get: (t) => first(t.eipAssociations).port },
    { what: "EIP association publicIp → EIP address", holder: TF.eipAssociate, props: (v) => ({ publicIp: v }), dep: "publicIp", target: TF.eip, targetProps: (v) => ({ id: "eip-id", address: v }), get: (t) => first(t.eipAssociations).eip },
    { what: "l7policy listenerId → listener (through listenersOfPool)", holder: TF.l7policy, props: (v) => ({ listenerId: v, redirectPoolId: "pool-1" }), dep: "listenerId", target: TF.sharedListener, targetProps: byId, get: (t) => ([...t.byUrn.values()].find((e) => e.kind === "l7policy") as L7Policy).listener },
];

function scenario(row: Row, style: Style, mode: "id" | "dependency"): { t: Topology; ref: Ref } {
    const targetType = token(row.target, style);
    const value = mode === "id" ? "the-id" : U;
    const decoy = res(TF.sharedListener, "decoy", { id: "decoy" }, {}, style); // a dependency of another kind
    const resources: RawResource[] = [
        res(row.target, "target", row.targetProps(value), {}, style),
        decoy,
        res(row.holder, "holder", row.props(value), { [row.dep]: [decoy.urn, urnOf(targetType, "target")] }, style),
    ];
    if (row.holder === TF.l7policy) resources.push(res(TF.sharedPool, "pool", { id: "pool-1" }, {}, style));
    const t = build(...resources);
    const got = row.get(t);
    // Lists (Value<Ref[]>) are checked through their first entry.
    const ref = got.state === "known" ? list(got as Value<Ref[]>) : (got as Ref);
    return { t, ref };
}

describe("references: every kind, by literal ID and by propertyDependencies", () => {
    for (const style of STYLES) {
        for (const row of ROWS) {
            for (const mode of ["id", "dependency"] as const) {
                it(`${row.what} [${style}, ${mode}]`, () => {
                    const { t, ref } = scenario(row, style, mode);
                    expect(ref).toMatchObject({ state: "resolved", via: mode, urn: urnOf(token(row.target, style), "target") });
                    expect(t.findings).toEqual([]);
                });
            }
        }
    }
});

describe("references: external, unresolved, ambiguous, invalid", () => {
    const pool = (name: string, props: Record<string, unknown>, deps: Record<string, string[]> = {}) => res(TF.sharedPool, name, { protocol: "HTTP", ...props }, deps);
    const listener = (name: string, id: unknown) => res(TF.sharedListener, name, { id, protocol: "HTTP" });

    it("a known ID no resource of the plan carries is external (managed elsewhere)", () => {
        const t = build(listener("l", "l-1"), pool("p", { listenerId: "l-999" }));
        expect(t.pools[0].listener).toEqual({ state: "external", id: "l-999", path: "listenerId" });
    });

    it("an unknown ID with no dependency recorded is unresolved, naming the property", () => {
        const t = build(listener("l", U), pool("p", { listenerId: U }));
        expect(t.pools[0].listener).toEqual({ state: "unresolved", path: "listenerId", reason: "listenerId is unknown at preview and the plan records no dependency for listenerId" });
    });

    it("an unknown ID whose dependencies hold no resource of the kind is unresolved", () => {
        const t = build(res(TF.sharedLb, "lb", { id: U }), pool("p", { listenerId: U }, { listenerId: [urnOf(token(TF.sharedLb), "lb"), "urn:pulumi:test::model::missing::x"] }));
        expect(t.pools[0].listener).toMatchObject({ state: "unresolved", reason: "listenerId is unknown at preview and does not come from a listener in this stack" });
    });

    it("an unknown ID depending on several resources of the kind is unresolved, naming them", () => {
        const l = (n: string) => urnOf(token(TF.sharedListener), n);
        const t = build(listener("a", U), listener("b", U), pool("p", { listenerId: U }, { listenerId: [l("a"), l("b"), l("a")] }));
        expect(t.pools[0].listener).toMatchObject({ state: "unresolved", reason: "listenerId is unknown at preview and listenerId depends on 2 listeners (a, b), so which one is not known" });
    });

    it("a dependency whose identifier is known cannot be the source of an unknown value", () => {
        const l = (n: string) => urnOf(token(TF.sharedListener), n);
        const t = build(listener("old", "l-1"), listener("new", U), pool("p", { listenerId: U }, { listenerId: [l("old"), l("new")] }));
        expect(target(t, t.pools[0].listener)).toBe("new");
        const t2 = build(listener("old", "l-1"), pool("p", { listenerId: U }, { listenerId: [l("old")] }));
        expect(t2.pools[0].listener).toMatchObject({ state: "unresolved", reason: "listenerId is unknown at preview and the listeners it depends on (old) have known IDs, so it cannot be told which it is" });
    });

    it("a known value matching no identifier follows a dependency that has no such identifier (inputs without outputs)", () => {
        const t = build(listener("l", undefined), pool("p", { listenerId: "l-1" }, { listenerId: [urnOf(token(TF.sharedListener), "l")] }));
        expect(t.pools[0].listener).toMatchObject({ state: "resolved", via: "dependency" });
        const t2 = build(listener("l", "l-2"), pool("p", { listenerId: "l-1" }, { listenerId: [urnOf(token(TF.sharedListener), "l")] }));
        expect(t2.pools[0].listener.state).toBe("external");
    });

    it("two resources of the kind carrying the same ID are ambiguous", () => {
        const t = build(listener("a", "dup"), listener("b", "dup"), pool("p", { listenerId: "dup" }));
        expect(t.pools[0].listener).toMatchObject({ state: "unresolved", reason: "2 listeners in this stack carry the ID given in listenerId" });
    });

    it("the same ID on a resource of another kind does not count", () => {
        const t = build(res(TF.sharedLb, "lb", { id: "x" }), pool("p", { listenerId: "x" }));
        expect(t.pools[0].listener.state).toBe("external");
    });

    it("a non-string ID is invalid, with a finding; an empty one is not set", () => {
        const t = build(pool("p", { listenerId: { id: "l" }, loadbalancerId: "" }));
        expect(t.pools[0].listener).toEqual({ state: "invalid", path: "listenerId", expected: "a string" });
        expect(t.pools[0].loadBalancer).toEqual({ state: "absent", path: "loadbalancerId" });
        expect(t.findings).toMatchObject([{ name: "p", property: "listenerId", expected: "a string" }]);
    });
});

describe("references: subnet ID kinds (§3.1)", () => {
    const subnet = res(TF.subnet, "s", { id: "net-1", ipv4SubnetId: "v4-1", ipv6SubnetId: "v6-1", cidr: "192.168.1.0/24" });

    it("the subnet's id where its ipv4SubnetId belongs (and the reverse) is followed and reported", () => {
        const t = build(subnet, res(TF.sharedLb, "lb", { vipSubnetId: "net-1" }), res(TF.ecs, "vm", { networks: [{ uuid: "v4-1" }] }));
        expect(target(t, t.loadBalancers[0].ipv4Subnet)).toBe("s");
        expect(target(t, t.servers[0].nics[0].subnet)).toBe("s");
        expect(t.findings.map((f) => [f.name, f.property, f.expected])).toEqual([
            ["lb", "vipSubnetId", "the subnet's ipv4SubnetId (the value given is the subnet's id)"],
            ["vm", "networks[0].uuid", "the subnet's id (the value given is the subnet's ipv4SubnetId)"],
        ]);
        expect(JSON.stringify(t.findings)).not.toContain("net-1");
    });

    it("the deprecated alias subnetId works as ipv4SubnetId; a shared member may not use the IPv6 subnet ID", () => {
        const t = build(res(TF.subnet, "s", { id: "net-1", subnetId: "v4-1", ipv6SubnetId: "v6-1" }), res(TF.sharedMember, "m", { subnetId: "v4-1" }), res(TF.sharedMember, "m6", { subnetId: "v6-1" }));
        expect(t.members.map((m) => target(t, m.subnet))).toEqual(["s", "s"]);
        expect(t.findings.map((f) => `${f.name}.${f.property}`)).toEqual(["m6.subnetId"]);
    });
});

describe("references: lists of one kind (the dependencies, in order, are the list)", () => {
    const sg = (n: string, id: unknown = U) => res(TF.sg, n, { id, name: n });
    const sgUrn = (n: string) => urnOf(token(TF.sg), n);
    const vm = (groups: unknown, deps?: string[]) => res(TF.ecs, "vm", { networks: [{ uuid: "n" }], securityGroupIds: groups }, deps ? { securityGroupIds: deps } : {});
    const groups = (t: Topology) => t.servers[0].nics[0].securityGroups;

    it("a whole list unknown resolves to its dependencies in order", () => {
        const t = build(sg("a"), sg("b"), vm(U, [sgUrn("b"), sgUrn("a")]));
        expect(names(t, groups(t))).toEqual(["b", "a"]);
        const g = groups(t);
        expect(g.state === "known" && g.value.every((r) => r.state === "resolved" && r.via === "dependency")).toBe(true);
        expect(groups(build(sg("a"), vm(U))).state).toBe("unknown");
    });

    it("unknown entries take the dependencies not named by a known entry, in order", () => {
        const t = build(sg("a", "sg-a"), sg("b"), sg("c"), vm(["sg-a", U, U], [sgUrn("a"), sgUrn("b"), sgUrn("c")]));
        expect(names(t, groups(t))).toEqual(["a", "b", "c"]);
    });

    it("an external entry next to an unknown one", () => {
        const t = build(sg("b"), vm(["sg-elsewhere", U], [sgUrn("b")]));
        expect(names(t, groups(t))).toEqual(["external", "b"]);
    });

    it("more dependencies than unknown entries: unresolved, naming the count", () => {
        const t = build(sg("a"), sg("b"), vm([U], [sgUrn("a"), sgUrn("b")]));
        const g = groups(t);
        expect(g.state === "known" && g.value[0]).toMatchObject({ state: "unresolved", path: "securityGroupIds[0]", reason: "securityGroupIds[0] is unknown at preview and securityGroupIds depends on 2 security groups for 1 entry the plan cannot match, so which is which is not known" });
    });

    it("entries that are not IDs are invalid, with findings", () => {
        const t = build(vm([null, 5, { x: 1 }]));
        expect(names(t, groups(t))).toEqual(["invalid", "external", "invalid"]);
        expect(t.findings.map((f) => f.property)).toEqual(["securityGroupIds[0]", "securityGroupIds[2]"]);
    });

    it("ACL associations: unknown subnet IDs resolve to the set of subnets they depend on", () => {
        const s = (n: string) => res(TF.subnet, n, { id: U, cidr: "10.0.0.0/24" });
        const sUrn = (n: string) => urnOf(token(TF.subnet), n);
        const t = build(s("a"), s("b"), res(TF.acl, "acl", { associatedSubnets: [{ subnetId: U }, { subnetId: U }] }, { associatedSubnets: [sUrn("a"), sUrn("b")] }));
        expect(names(t, t.networkAcls[0].subnets)).toEqual(["a", "b"]);
    });
});

describe("references: nested single references share their list's dependencies", () => {
    const s = (n: string, id: unknown = U) => res(TF.subnet, n, { id, cidr: "10.0.0.0/24" });
    const sUrn = (n: string) => urnOf(token(TF.subnet), n);

    it("two NICs in two new subnets: which is which is not known", () => {
        const t = build(s("a"), s("b"), res(TF.ecs, "vm", { networks: [{ uuid: U }, { uuid: U }] }, { networks: [sUrn("a"), sUrn("b")] }));
        expect(t.servers[0].nics.map((n) => n.subnet)).toMatchObject([
            { state: "unresolved", path: "networks[0].uuid", reason: "networks[0].uuid is unknown at preview and networks depends on 2 subnets (a, b), so which one is not known" },
            { state: "unresolved", path: "networks[1].uuid" },
        ]);
    });

    it("one NIC in an existing subnet, one in a new one: each resolves", () => {
        const t = build(s("old", "net-old"), s("new"), res(TF.ecs, "vm", { networks: [{ uuid: "net-old" }, { uuid: U }] }, { networks: [sUrn("old"), sUrn("new")] }));
        expect(t.servers[0].nics.map((n) => target(t, n.subnet))).toEqual(["old", "new"]);
    });

    it("two NICs in the same new subnet", () => {
        const t = build(s("a"), res(TF.ecs, "vm", { networks: [{ uuid: U }, { uuid: U }] }, { networks: [sUrn("a")] }));
        expect(t.servers[0].nics.map((n) => target(t, n.subnet))).toEqual(["a", "a"]);
    });
});

describe("references: hostile propertyDependencies", () => {
    it("non-arrays, non-strings, prototype keys and a non-object are ignored", () => {
        const l = urnOf(token(TF.sharedListener), "l");
        const deps = JSON.parse(`{"__proto__": ["${l}"], "listenerId": [5, null, "${l}"], "loadbalancerId": "${l}"}`);
        const t = build(res(TF.sharedListener, "l", { id: U }), { ...res(TF.sharedPool, "p", { listenerId: U, loadbalancerId: U, protocol: "TCP" }), propertyDependencies: deps });
        expect(target(t, t.pools[0].listener)).toBe("l");
        expect(t.pools[0].loadBalancer.state).toBe("unresolved");
        const t2 = build({ ...res(TF.sharedPool, "p", { listenerId: U }), propertyDependencies: "nope" as unknown as Record<string, string[]> });
        expect(t2.pools[0].listener.state).toBe("unresolved");
    });
});
