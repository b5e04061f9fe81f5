/** The Topology links: pools, members → backends, subnets → ACLs, LB backend subnets, EIP bindings. */
import { describe, expect, it } from "vitest";
import type { Backend } from "../../src/model/topology";
import { build, names, res, target, TF, token, U, urnOf, valueOf } from "./helpers";

const urn = (tf: string, name: string) => urnOf(token(tf), name);
const subnet = (name: string, n: number, props: Record<string, unknown> = {}) =>
    res(TF.subnet, name, { id: `net-${n}`, ipv4SubnetId: `v4-${n}`, ipv6SubnetId: `v6-${n}`, cidr: `192.168.${n}.0/24`, ...props });
const member = (name: string, address: unknown, subnetId: unknown = "v4-1", deps: Record<string, string[]> = {}) => res(TF.sharedMember, name, { poolId: "p", address, protocolPort: 80, subnetId }, deps);
const holderOf = (b: Backend) => (b.state === "nic" ? `${b.holder.name}${b.nic.path ? `.${b.nic.path}` : ""}${b.server && b.server !== b.holder ? ` on ${b.server.name}` : ""}` : b.state);

describe("topology: pools", () => {
    it("listeners of a pool: its listenerId, listeners defaulting to it, l7 policies redirecting to it; no duplicates", () => {
        const t = build(
            res(TF.sharedListener, "a", { id: "l-a", defaultPoolId: "p-1" }),
            res(TF.sharedListener, "b", { id: "l-b" }),
            res(TF.sharedListener, "c", { id: "l-c" }),
            res(TF.sharedPool, "p", { id: "p-1", listenerId: "l-a" }),
            res(TF.sharedPool, "lonely", { id: "p-2" }),
            res(TF.l7policy, "pol", { listenerId: "l-b", redirectPoolId: "p-1" }),
        );
        const [p, lonely] = t.pools;
        expect(t.listenersOfPool(p).map((l) => l.name)).toEqual(["a", "b"]);
        expect(t.listenersOfPool(lonely)).toEqual([]);
    });

    it("load balancer of a pool: its own loadbalancerId, else its listener's", () => {
        const t = build(
            res(TF.dedicatedLb, "lb1", { id: "lb-1" }),
            res(TF.dedicatedLb, "lb2", { id: "lb-2" }),
            res(TF.dedicatedListener, "l", { id: "l-1", loadbalancerId: "lb-2" }),
            res(TF.dedicatedPool, "direct", { loadbalancerId: "lb-1", listenerId: "l-1" }),
            res(TF.dedicatedPool, "via", { listenerId: "l-1" }),
            res(TF.dedicatedPool, "none", {}),
        );
        expect(t.pools.map((p) => t.loadBalancerOfPool(p)?.name)).toEqual(["lb1", "lb2", undefined]);
    });

    it("members and monitors by pool; pool and subnet of a member", () => {
        const t = build(subnet("s", 1), res(TF.sharedPool, "p", { id: "p" }), res(TF.sharedPool, "q", { id: "q" }), member("m1", "192.168.1.1"), member("m2", "192.168.1.2", U), res(TF.sharedMonitor, "mon", { poolId: "p" }));
        const [p, q] = t.pools;
        expect([t.membersOfPool(p).map((m) => m.name), t.membersOfPool(q), t.monitorsOfPool(p).map((m) => m.name), t.monitorsOfPool(q)]).toEqual([["m1", "m2"], [], ["mon"], []]);
        expect(t.members.map((m) => [t.poolOfMember(m)?.name, t.subnetOfMember(m)?.name])).toEqual([["p", "s"], ["p", undefined]]);
    });
});

describe("topology: security groups", () => {
    it("rules of a group in declaration order; groups of a NIC in binding order", () => {
        const rule = (n: string, g: string) => res(TF.sgRule, n, { securityGroupId: g, direction: "ingress", ethertype: "IPv4" });
        const t = build(res(TF.sg, "a", { id: "sg-a" }), res(TF.sg, "b", { id: "sg-b" }), rule("r1", "sg-b"), rule("r2", "sg-a"), rule("r3", "sg-b"), res(TF.ecs, "vm", { networks: [{ uuid: "x" }], securityGroupIds: ["sg-b", "sg-a"] }));
        expect(t.securityGroups.map((g) => t.rulesOfGroup(g).map((r) => r.name))).toEqual([["r2"], ["r1", "r3"]]);
        expect(names(t, t.groupsOfNic(t.servers[0].nics[0]))).toEqual(["b", "a"]);
    });
});

describe("topology: member → backend", () => {
    const vm = (name: string, networks: Record<string, unknown>[], props: Record<string, unknown> = {}, deps: Record<string, string[]> = {}) => res(TF.ecs, name, { id: `${name}-id`, networks, ...props }, deps);

    it("a known address: the NIC carrying it", () => {
        const t = build(subnet("s", 1), vm("vm", [{ uuid: "net-1", fixedIpV4: "192.168.1.10" }]), member("m", "192.168.1.10"));
        const b = t.backendOfMember(t.members[0]);
        expect(holderOf(b)).toBe("vm.networks[0]");
        expect(b.state === "nic" && t.subnetOfNic(b.nic)?.name).toBe("s");
    });

    it("an existing server whose address the cloud assigned: its accessIpV4 output is its primary NIC's address", () => {
        const t = build(subnet("s", 1), vm("vm", [{ uuid: "net-1" }, { uuid: "net-1" }], { accessIpV4: "192.168.1.23" }), member("m", "192.168.1.23"));
        expect(holderOf(t.backendOfMember(t.members[0]))).toBe("vm.networks[0]");
    });

    it("a known address taken from a server whose NIC address is not known: the dependency names the server", () => {
        const t = build(subnet("s", 1), vm("vm", [{ uuid: "net-1" }]), member("m", "192.168.1.23", "v4-1", { address: [urn(TF.ecs, "vm")] }));
        expect(holderOf(t.backendOfMember(t.members[0]))).toBe("vm.networks[0]");
        // ... but never a NIC whose known address differs.
        const other = build(subnet("s", 1), vm("vm", [{ uuid: "net-1", fixedIpV4: "192.168.1.5" }]), member("m", "192.168.1.23", "v4-1", { address: [urn(TF.ecs, "vm")] }));
        expect(other.backendOfMember(other.members[0]).state).not.toBe("nic");
    });

    it("the same address in two subnets: the NIC in the member's subnet; in neither: ambiguous", () => {
        const base = [subnet("s1", 1), subnet("s2", 2), vm("a", [{ uuid: "net-1", fixedIpV4: "10.0.0.5" }]), vm("b", [{ uuid: "net-2", fixedIpV4: "10.0.0.5" }])];
        const t = build(...base, member("m1", "10.0.0.5", "v4-2"), member("m2", "10.0.0.5", "v4-9"));
        expect(holderOf(t.backendOfMember(t.members[0]))).toBe("b.networks[0]");
        expect(t.backendOfMember(t.members[1])).toEqual({ state: "unresolved", reason: "2 network interfaces in this stack (a, b) have the member's address" });
    });

    it("no NIC has the address: outside, unless a NIC in the member's subnet gets its address at creation", () => {
        const t = build(subnet("s1", 1), subnet("s2", 2), vm("auto", [{ uuid: "net-2" }]), member("m", "192.168.1.99"));
        expect(t.backendOfMember(t.members[0])).toEqual({ state: "outside", address: "192.168.1.99" });
        const t2 = build(subnet("s1", 1), vm("auto", [{ uuid: "net-1", fixedIpV4: U }]), member("m", "192.168.1.99"));
        expect(t2.backendOfMember(t2.members[0])).toEqual({ state: "unresolved", reason: "the member's address may belong to auto, whose address is assigned at creation" });
        // A NIC whose subnet cannot be placed may be in the member's subnet too.
        const t3 = build(subnet("s1", 1), vm("lost", [{ uuid: U }]), member("m", "192.168.1.99"));
        expect(t3.backendOfMember(t3.members[0]).state).toBe("unresolved");
        // A member whose subnet is not in the plan: any NIC with an assigned-at-creation address may be it,
        // if the NIC's subnet can hold the address.
        const t4 = build(subnet("s2", 2), vm("auto", [{ uuid: "net-2" }]), member("m", "192.168.2.77", "v4-elsewhere"));
        expect(t4.backendOfMember(t4.members[0]).state).toBe("unresolved");
        const t5 = build(subnet("s2", 2), vm("auto", [{ uuid: "net-2" }]), member("m", "10.1.1.1", "v4-elsewhere"));
        expect(t5.backendOfMember(t5.members[0])).toEqual({ state: "outside", address: "10.1.1.1" });
    });

    it("addresses compare canonically (IPv6 spellings)", () => {
        const t = build(subnet("s", 1), res(TF.nic, "eni", { subnetId: "net-1", fixedIpV4: "2001:db8:0:0::a" }), res(TF.dedicatedMember, "m", { address: "2001:DB8::A", subnetId: "v6-1" }));
        expect(holderOf(t.backendOfMember(t.members[0]))).toBe("eni");
    });

    it("an unknown address: the server it comes from (its only NIC, or its NIC in the member's subnet)", () => {
        const one = build(subnet("s", 1), vm("vm", [{ uuid: "net-1" }]), member("m", U, "v4-1", { address: [urn(TF.subnet, "s"), urn(TF.ecs, "vm")] }));
        expect(holderOf(one.backendOfMember(one.members[0]))).toBe("vm.networks[0]");
        const two = build(subnet("s1", 1), subnet("s2", 2), vm("vm", [{ uuid: "net-1" }, { uuid: "net-2" }]), member("m", U, "v4-2", { address: [urn(TF.ecs, "vm")] }));
        expect(holderOf(two.backendOfMember(two.members[0]))).toBe("vm.networks[1]");
        const unplaced = build(subnet("s1", 1), subnet("s2", 2), vm("vm", [{ uuid: "net-1" }, { uuid: "net-2" }]), member("m", U, "v4-9", { address: [urn(TF.ecs, "vm")] }));
        expect(unplaced.backendOfMember(unplaced.members[0])).toEqual({ state: "unresolved", reason: "the member's address comes from vm, which has 2 network interfaces, and the member's subnet does not single one out" });
    });

    it("an unknown address from a port, a network interface, or an attached interface of a server", () => {
        const t = build(
            subnet("s1", 1),
            subnet("s2", 2),
            vm("vm", [{ uuid: "net-1" }]),
            res(TF.port, "port", { id: "port-1", networkId: "net-2" }),
            res(TF.nic, "eni", { subnetId: "net-2" }),
            res(TF.attach, "att", { instanceId: "vm-id", networkId: "net-2" }),
            member("viaPort", U, "v4-2", { address: [urn(TF.port, "port")] }),
            member("viaEni", U, "v4-2", { address: [urn(TF.nic, "eni")] }),
            member("viaVm", U, "v4-2", { address: [urn(TF.ecs, "vm")] }),
            member("nowhere", U, "v4-2"),
            member("two", U, "v4-2", { address: [urn(TF.port, "port"), urn(TF.nic, "eni")] }),
        );
        expect(t.members.map((m) => holderOf(t.backendOfMember(m)))).toEqual(["port", "eni", "att on vm", "unresolved", "unresolved"]);
        expect(t.backendOfMember(t.members[3])).toEqual({ state: "unresolved", reason: "the member's address is unknown at preview and does not come from a server or network interface in this stack" });
    });

    it("an InterfaceAttach naming a Port: the port carries the NIC, the attachment names the server", () => {
        const t = build(subnet("s", 1), vm("vm", [{ uuid: "net-1", fixedIpV4: "192.168.1.2" }]), res(TF.port, "port", { id: "port-1", networkId: "net-1", fixedIps: [{ ipAddress: "192.168.1.3" }] }), res(TF.attach, "att", { instanceId: "vm-id", portId: "port-1", fixedIp: "192.168.1.3" }), member("m", "192.168.1.3"), member("u", U, "v4-1", { address: [urn(TF.attach, "att")] }));
        expect(t.members.map((m) => holderOf(t.backendOfMember(m)))).toEqual(["port on vm", "port on vm"]);
        expect(target(t, t.standaloneNics.find((n) => n.name === "port")!.instance)).toBe("vm");
    });

    it("invalid or missing addresses are unresolved with the reason", () => {
        const t = build(member("bad", "10.0.0.300"), member("none", undefined));
        expect(t.members.map((m) => t.backendOfMember(m))).toEqual([
            { state: "unresolved", reason: "the member's address is invalid (expected an IPv4 or IPv6 address)" },
            { state: "unresolved", reason: "the member has no address" },
        ]);
    });
});

describe("topology: network ACL of a subnet", () => {
    it("none; the associated ACL (disabled ones too); unresolved when associations are not known", () => {
        const t = build(subnet("a", 1), subnet("b", 2), res(TF.acl, "acl", { enabled: false, associatedSubnets: [{ subnetId: "net-1" }] }));
        const [a, b] = t.subnets;
        expect(t.aclOfSubnet(a)).toMatchObject({ state: "acl", acl: { name: "acl" } });
        expect(t.aclOfSubnet(b)).toEqual({ state: "none" });
        const u = build(subnet("a", 1), res(TF.acl, "acl", { associatedSubnets: [{ subnetId: U }] }));
        expect(u.aclOfSubnet(u.subnets[0])).toMatchObject({ state: "unresolved", reason: "the subnets network ACL acl is associated with are not known at preview", acl: { name: "acl" } });
        const whole = build(subnet("a", 1), res(TF.legacyAcl, "acl", { subnets: U }));
        expect(whole.aclOfSubnet(whole.subnets[0]).state).toBe("unresolved");
    });

    it("an ACL that may cover one of two subnets leaves the others alone", () => {
        const s = (n: string) => res(TF.subnet, n, { id: U, cidr: "10.0.0.0/24" });
        const t = build(s("a"), s("b"), s("c"), res(TF.acl, "acl", { associatedSubnets: [{ subnetId: U }] }, { associatedSubnets: [urn(TF.subnet, "a"), urn(TF.subnet, "b")] }));
        expect(t.subnets.map((x) => t.aclOfSubnet(x).state)).toEqual(["unresolved", "unresolved", "none"]);
    });

    it("a resolved association wins over an unresolved one; a second ACL on a subnet is reported", () => {
        const t = build(subnet("a", 1), res(TF.acl, "first", { associatedSubnets: [{ subnetId: "net-1" }] }), res(TF.legacyAcl, "second", { subnets: ["net-1"] }), res(TF.acl, "vague", { associatedSubnets: [{ subnetId: U }] }));
        expect(t.aclOfSubnet(t.subnets[0])).toMatchObject({ state: "acl", acl: { name: "first" } });
        expect(t.findings).toMatchObject([{ name: "second", property: "subnets[0]", expected: "a subnet no other network ACL is associated with (a subnet has at most one)" }]);
    });
});

describe("topology: dedicated load balancer backend subnets (§5.1)", () => {
    const lb = (name: string, props: Record<string, unknown>) => res(TF.dedicatedLb, name, props);
    it("explicit backendSubnets; else the VIP subnets (IPv4 and IPv6); else absent (the VPC)", () => {
        const t = build(
            subnet("a", 1),
            subnet("b", 2),
            lb("explicit", { backendSubnets: ["net-2", "net-1", "net-2"], ipv4SubnetId: "v4-1" }),
            lb("vips", { ipv4SubnetId: "v4-1", ipv6NetworkId: "net-2" }),
            lb("v6", { ipv6NetworkId: "net-1" }),
            lb("nothing", {}),
            lb("external", { ipv4SubnetId: "v4-elsewhere" }),
            lb("pending", { backendSubnets: U }),
            res(TF.sharedLb, "shared", { vipSubnetId: "v4-1" }),
        );
        const rows = t.loadBalancers.map((l) => {
            const v = t.backendSubnetsOfLoadBalancer(l);
            return v.state === "known" ? v.value.map((s) => s.name) : `${v.state}:${v.path}`;
        });
        expect(rows).toEqual([["b", "a"], ["a", "b"], ["a"], "absent:backendSubnets", "unknown:ipv4SubnetId", "unknown:backendSubnets", ["a"]]);
    });
});

describe("topology: EIP of a load balancer", () => {
    const shared = (props: Record<string, unknown> = {}) => res(TF.sharedLb, "lb", { vipSubnetId: "v4-1", ...props });
    const lbUrn = urn(TF.sharedLb, "lb");

    it("shared: an association to its vipPortId (literal, or by dependency when unknown), an EIP bound to it, or its publicIp output", () => {
        const cases = [
            build(shared({ vipPortId: "vip-1" }), res(TF.eipAssociate, "a", { publicIp: "1.2.3.4", portId: "vip-1" })),
            build(shared({ vipPortId: U }), res(TF.eipAssociate, "a", { publicIp: "1.2.3.4", portId: U }, { portId: [lbUrn] })),
            build(shared({ vipPortId: U }), res(TF.eip, "e", { publicip: { portId: U } }, { publicip: [lbUrn] })),
            build(shared({ publicIp: "1.2.3.4" })),
        ];
        for (const t of cases) expect(t.hasEip(t.loadBalancers[0])).toEqual({ state: "known", value: true });
    });

    it("dedicated: ipv4EipId or iptype on the resource", () => {
        const t = build(res(TF.dedicatedLb, "a", { ipv4EipId: U }), res(TF.dedicatedLb, "b", { iptype: "5_bgp" }), res(TF.dedicatedLb, "c", {}));
        expect(t.loadBalancers.map((l) => valueOf(t.hasEip(l)))).toEqual([true, true, false]);
    });

    it("none, or unknown when an association's port cannot be resolved", () => {
        const none = build(shared({ vipPortId: "vip-1" }), res(TF.eipAssociate, "a", { publicIp: "1.2.3.4", portId: "other-port" }));
        expect(none.hasEip(none.loadBalancers[0])).toEqual({ state: "known", value: false });
        const vague = build(shared({ vipPortId: U }), res(TF.eipAssociate, "a", { publicIp: "1.2.3.4", portId: U }));
        expect(vague.hasEip(vague.loadBalancers[0])).toEqual({ state: "unknown", path: "a.portId" });
        const two = build(shared({ vipPortId: U }), res(TF.sharedLb, "other", { vipPortId: U }), res(TF.sharedLb, "third", { vipPortId: "p3" }), res(TF.eipAssociate, "a", { portId: U }, { portId: [lbUrn, urn(TF.sharedLb, "other")] }));
        expect(two.loadBalancers.map((l) => two.hasEip(l).state)).toEqual(["unknown", "unknown", "known"]);
    });
});
