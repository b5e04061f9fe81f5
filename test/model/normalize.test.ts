/** Each kind, under both token styles: raw properties → entity fields (huaweicloud-resources.md §4–§8). */
import { describe, expect, it } from "vitest";
import { AddressSet, parseCidr } from "../../src/net/addresses";
import { ALL_PORTS, formatPorts, type PortSet } from "../../src/net/ports";
import type { AclRule, Value } from "../../src/model/types";
import { build, names, STYLES, styled, target, TF, U, valueOf } from "./helpers";

const cidr = (s: string) => (parseCidr(s) as { ok: true; value: AddressSet }).value;
const ports = (v: Value<PortSet>) => (v.state === "known" ? formatPorts(v.value) : v.state);

for (const style of STYLES) {
    const res = styled(style);
    const subnet = res(TF.subnet, "sub", { id: "net-1", ipv4SubnetId: "v4-1", ipv6SubnetId: "v6-1", cidr: "192.168.1.0/24", gatewayIp: "192.168.1.1" });

    describe(`normalize (${style} tokens): load balancing`, () => {
        it("shared load balancer: vipSubnetId (an ipv4SubnetId), VIP, publicIp output, tags", () => {
            const t = build(subnet, res(TF.sharedLb, "lb", { id: "lb-1", vipSubnetId: "v4-1", publicIp: "1.2.3.4", tags: { team: "web", n: 1 } }), res(TF.sharedLb, "lb2", { vipSubnetId: U }));
            const [lb, lb2] = t.loadBalancers;
            expect(lb).toMatchObject({ kind: "loadBalancer", family: "shared", id: "lb-1", privateIpv4: { state: "known", value: true }, eipOnResource: { state: "known", value: true } });
            expect(target(t, lb.ipv4Subnet)).toBe("sub");
            expect([lb.vpc.state, lb.ipv6Network.state, lb.backendSubnets.state, lb.crossVpcBackend.state]).toEqual(["absent", "absent", "absent", "absent"]);
            expect({ ...lb.tags }).toEqual({ team: "web" });
            expect(lb2.privateIpv4).toEqual({ state: "known", value: true });
            expect(lb2.eipOnResource).toEqual({ state: "known", value: false });
        });

        it("dedicated load balancer: subnet ID kinds, backendSubnets, EIP on the resource, crossVpcBackend", () => {
            const t = build(
                subnet,
                res(TF.vpc, "vpc", { id: "vpc-1", cidr: "192.168.0.0/16" }),
                res(TF.dedicatedLb, "a", { vpcId: "vpc-1", ipv4SubnetId: "v4-1", ipv6NetworkId: "net-1", backendSubnets: ["net-1"], ipv4EipId: "eip-1", crossVpcBackend: true }),
                res(TF.dedicatedLb, "b", { iptype: "5_bgp" }),
                res(TF.dedicatedLb, "c", { ipv4Eip: "1.2.3.4" }),
                res(TF.dedicatedLb, "d", { ipv4EipId: U, ipv4Eip: U, crossVpcBackend: "false" }),
                res(TF.dedicatedLb, "e", { ipv4Eip: U, ipv4SubnetId: "" }),
            );
            const [a, b, c, d, e] = t.loadBalancers;
            expect([target(t, a.vpc), target(t, a.ipv4Subnet), target(t, a.ipv6Network)]).toEqual(["vpc", "sub", "sub"]);
            expect(names(t, a.backendSubnets)).toEqual(["sub"]);
            expect([a, b, c, d, e].map((lb) => valueOf(lb.eipOnResource))).toEqual([true, true, true, true, false]);
            expect([a, b, c, d, e].map((lb) => valueOf(lb.privateIpv4))).toEqual([true, false, false, false, false]);
            expect([valueOf(a.crossVpcBackend), valueOf(d.crossVpcBackend), b.crossVpcBackend.state]).toEqual([true, false, "absent"]);
            expect(b.backendSubnets.state).toBe("absent");
        });

        it("listeners: protocol upper-cased, port, references, transparent client IP as bool or string", () => {
            const t = build(
                res(TF.sharedListener, "l1", { protocol: "tcp", protocolPort: 80, loadbalancerId: "lb-x", defaultPoolId: "", transparentClientIpEnable: "true" }),
                res(TF.dedicatedListener, "l2", { protocol: "HTTPS", protocolPort: "443", loadbalancerId: U, transparentClientIpEnable: false }),
                res(TF.dedicatedListener, "l3", { protocol: "SCTP", protocolPort: 70000 }),
            );
            const [l1, l2, l3] = t.listeners;
            expect([l1.family, valueOf(l1.protocol), valueOf(l1.port), l1.loadBalancer.state, l1.defaultPool.state, valueOf(l1.transparentClientIp)]).toEqual(["shared", "TCP", 80, "external", "absent", true]);
            expect([l2.family, valueOf(l2.protocol), valueOf(l2.port), l2.loadBalancer.state, valueOf(l2.transparentClientIp)]).toEqual(["dedicated", "HTTPS", 443, "unresolved", false]);
            expect([l3.protocol.state, l3.port.state, l3.transparentClientIp.state]).toEqual(["invalid", "invalid", "absent"]);
            expect(t.findings.map((f) => `${f.name}.${f.property}`)).toEqual(["l3.protocol", "l3.protocolPort"]);
        });

        it("pools: protocol, listener, load balancer, anyPortEnable", () => {
            const t = build(res(TF.dedicatedListener, "l", { id: "l-1", protocol: "UDP" }), res(TF.dedicatedPool, "p", { protocol: "udp", listenerId: "l-1", anyPortEnable: true }), res(TF.sharedPool, "q", { protocol: "HTTP", loadbalancerId: "lb-x" }));
            const [p, q] = t.pools;
            expect([p.family, valueOf(p.protocol), target(t, p.listener), p.loadBalancer.state, valueOf(p.anyPortEnable)]).toEqual(["dedicated", "UDP", "l", "absent", true]);
            expect([q.family, valueOf(q.protocol), q.listener.state, q.loadBalancer.state, q.anyPortEnable.state]).toEqual(["shared", "HTTP", "absent", "external", "absent"]);
        });

        it("members: pool, address, port, subnet (IPv4 or, dedicated, IPv6 subnet ID), weight, adminStateUp", () => {
            const t = build(
                subnet,
                res(TF.sharedPool, "p", { id: "p-1", protocol: "HTTP" }),
                res(TF.sharedMember, "m1", { poolId: "p-1", address: "192.168.1.10", protocolPort: 8080, subnetId: "v4-1", weight: 0, adminStateUp: false }),
                res(TF.dedicatedMember, "m2", { poolId: "p-1", address: "2001:db8::10", protocolPort: 0, subnetId: "v6-1" }),
                res(TF.dedicatedMember, "m3", { poolId: "p-1", address: "10.9.9.9", protocolPort: 80 }),
                res(TF.sharedMember, "m4", { poolId: "p-1", address: "not-an-ip", protocolPort: 99999, subnetId: "v4-1", weight: 101 }),
            );
            const [m1, m2, m3, m4] = t.members;
            expect([target(t, m1.pool), valueOf(m1.address), valueOf(m1.port), target(t, m1.subnet), valueOf(m1.weight), valueOf(m1.adminStateUp)]).toEqual(["p", "192.168.1.10", 8080, "sub", 0, false]);
            expect([valueOf(m2.address), valueOf(m2.port), target(t, m2.subnet)]).toEqual(["2001:db8::10", 0, "sub"]);
            expect([m3.subnet.state, m3.weight.state, m3.adminStateUp.state]).toEqual(["absent", "absent", "absent"]);
            expect([m4.address.state, m4.port.state, m4.weight.state]).toEqual(["invalid", "invalid", "invalid"]);
        });

        it("monitors: shared type/delay/expectedCodes/adminStateUp, dedicated protocol/interval/statusCode/enabled", () => {
            const t = build(
                res(TF.sharedMonitor, "s", { poolId: "p", type: "udp_connect", delay: 5, timeout: 3, maxRetries: 3, port: 53, urlPath: "/h", expectedCodes: "200-202", adminStateUp: false, domainName: "www.example.com" }),
                res(TF.dedicatedMonitor, "d", { poolId: "p", protocol: "HTTPS", interval: 10, timeout: 5, maxRetries: 2, statusCode: "200,202", enabled: "true", domainName: "a.example.com", type: "TCP", delay: 99 }),
                res(TF.dedicatedMonitor, "bad", { protocol: "PING", interval: 0, timeout: 51, maxRetries: 11, port: 0 }),
            );
            const [s, d, bad] = t.monitors;
            expect([s.family, valueOf(s.protocol), valueOf(s.interval), valueOf(s.timeout), valueOf(s.maxRetries), valueOf(s.port), valueOf(s.urlPath), valueOf(s.expectedCodes), valueOf(s.enabled), valueOf(s.domainName)]).toEqual(["shared", "UDP_CONNECT", 5, 3, 3, 53, "/h", "200-202", false, "www.example.com"]);
            expect([d.family, valueOf(d.protocol), valueOf(d.interval), valueOf(d.expectedCodes), valueOf(d.enabled), valueOf(d.domainName), d.port.state]).toEqual(["dedicated", "HTTPS", 10, "200,202", true, "a.example.com", "absent"]);
            expect([bad.protocol, bad.interval, bad.timeout, bad.maxRetries, bad.port].map((v) => v.state)).toEqual(["invalid", "invalid", "invalid", "invalid", "invalid"]);
        });
    });

    describe(`normalize (${style} tokens): network`, () => {
        it("VPC: cidr, secondaryCidrs and the deprecated secondaryCidr merged", () => {
            const t = build(res(TF.vpc, "a", { cidr: "10.0.0.0/16", secondaryCidrs: ["10.1.0.0/16"], secondaryCidr: "10.2.0.0/16" }), res(TF.vpc, "b", { cidr: "10.0.0.0/33" }), res(TF.vpc, "c", { cidr: "10.0.0.0/8", secondaryCidrs: [U] }));
            const [a, b, c] = t.vpcs;
            expect(valueOf(a.cidr)).toEqual(cidr("10.0.0.0/16"));
            expect(a.secondaryCidrs.state === "known" && a.secondaryCidrs.value.toCidrs()).toEqual(["10.1.0.0/16", "10.2.0.0/16"]);
            expect([b.cidr.state, b.secondaryCidrs.state, c.secondaryCidrs.state]).toEqual(["invalid", "absent", "unknown"]);
        });

        it("subnet: vpc, cidr, ipv6Cidr, the ID kinds (subnetId is the alias of ipv4SubnetId)", () => {
            const t = build(res(TF.vpc, "v", { id: "vpc-1", cidr: "192.168.0.0/16" }), res(TF.subnet, "s", { id: "net-1", vpcId: "vpc-1", subnetId: "v4-1", ipv6SubnetId: "v6-1", cidr: "192.168.1.0/24", ipv6Cidr: "2001:db8::/64" }), res(TF.subnet, "u", { id: U, ipv4SubnetId: U, cidr: U }));
            const [s, u] = t.subnets;
            expect([s.id, s.ipv4SubnetId, s.ipv6SubnetId, target(t, s.vpc), valueOf(s.cidr), valueOf(s.ipv6Cidr)]).toEqual(["net-1", "v4-1", "v6-1", "v", cidr("192.168.1.0/24"), cidr("2001:db8::/64")]);
            expect([u.id, u.ipv4SubnetId, u.cidr.state, u.ipv6Cidr.state, u.vpc.state]).toEqual([undefined, undefined, "unknown", "absent", "absent"]);
        });

        it("security group: name and deleteDefaultRules", () => {
            const t = build(res(TF.sg, "g", { name: "web", deleteDefaultRules: true }), res(TF.sg, "h", {}));
            expect(t.securityGroups.map((g) => [valueOf(g.groupName), valueOf(g.deleteDefaultRules)])).toEqual([["web", true], ["absent", "absent"]]);
        });

        it("security group rules: ports or portRangeMin/Max, omitted protocol, remotes, action and priority", () => {
            const rule = (name: string, props: Record<string, unknown>) => res(TF.sgRule, name, { securityGroupId: "sg-1", direction: "ingress", ethertype: "IPv4", ...props });
            const t = build(
                res(TF.sg, "g", { id: "sg-1" }),
                rule("ports", { protocol: "tcp", ports: "22, 80,8000-8080", remoteIpPrefix: "100.125.0.0/16", action: "deny", priority: 5 }),
                rule("range", { direction: "INGRESS", ethertype: "ipv6", protocol: "udp", portRangeMin: 53, portRangeMax: 54, remoteGroupId: "sg-1" }),
                rule("single", { protocol: "tcp", portRangeMin: 443 }),
                rule("any", { protocol: "", remoteIpPrefix: "", remoteAddressGroupId: "ag-x" }),
                rule("icmp", { protocol: "icmp", portRangeMin: 0, portRangeMax: 0 }),
                rule("num", { protocol: "6", ports: "80" }),
                rule("bad", { protocol: "any", ports: "80-70", portRangeMin: 5, action: "reject", priority: 0, direction: "both", ethertype: "IPv5", remoteIpPrefix: "10.0.0.0/40" }),
                rule("inverted", { protocol: "tcp", portRangeMin: 90, portRangeMax: 80 }),
            );
            const byName = Object.fromEntries(t.securityGroupRules.map((r) => [r.name, r]));
            const p = byName.ports;
            expect([target(t, p.group), valueOf(p.direction), valueOf(p.ethertype), valueOf(p.protocol), ports(p.ports), valueOf(p.action), valueOf(p.priority)]).toEqual(["g", "ingress", 4, 6, "22, 80, 8000-8080", "deny", 5]);
            expect(p.remotes).toEqual([{ kind: "cidr", set: { state: "known", value: cidr("100.125.0.0/16") } }]);
            const r = byName.range;
            expect([valueOf(r.direction), valueOf(r.ethertype), valueOf(r.protocol), ports(r.ports), r.remotes.map((x) => x.kind), r.action.state, r.priority.state]).toEqual(["ingress", 6, 17, "53-54", ["group"], "absent", "absent"]);
            expect(r.remotes[0].kind === "group" && target(t, r.remotes[0].group)).toBe("g");
            expect(ports(byName.single.ports)).toBe("443");
            expect([byName.any.protocol.state, byName.any.ports.state, byName.any.remotes.map((x) => x.kind)]).toEqual(["absent", "absent", ["addressGroup"]]);
            // On an ICMP rule the two fields are the ICMP type and code, not ports.
            expect([byName.icmp.ports.state, valueOf(byName.icmp.icmpType!)]).toEqual(["absent", { type: 0, code: 0 }]);
            expect(valueOf(byName.num.protocol)).toBe(6);
            const bad = byName.bad;
            expect([bad.protocol, bad.ports, bad.action, bad.priority, bad.direction, bad.ethertype, (bad.remotes[0] as { set: Value<unknown> }).set].map((v) => v.state)).toEqual(Array(7).fill("invalid"));
            expect(byName.inverted.ports).toMatchObject({ state: "invalid", path: "portRangeMax" });
        });

        it("address groups: addresses or ipExtraSets[].ip, ipVersion default 4", () => {
            const t = build(res(TF.addressGroup, "a", { addresses: ["10.0.0.0/24", "10.0.1.1-10.0.1.5"] }), res(TF.addressGroup, "b", { ipVersion: 6, ipExtraSets: [{ ip: "2001:db8::/64", remarks: "x" }] }), res(TF.addressGroup, "c", {}), res(TF.addressGroup, "d", { ipVersion: 5, addresses: ["x"] }));
            const [a, b, c, d] = t.addressGroups;
            expect([valueOf(a.ipVersion), a.addresses.state === "known" && a.addresses.value.toCidrs().length]).toEqual([4, 4]);
            expect([valueOf(b.ipVersion), valueOf(b.addresses)]).toEqual([6, cidr("2001:db8::/64")]);
            expect(valueOf(c.addresses)).toEqual(AddressSet.EMPTY);
            expect([d.ipVersion.state, d.addresses.state]).toEqual(["invalid", "invalid"]);
        });
    });

    describe(`normalize (${style} tokens): network ACLs`, () => {
        const rule = (r: AclRule) => [r.label, valueOf(r.action), valueOf(r.protocol), valueOf(r.ipVersion), valueOf(r.source) instanceof AddressSet ? (valueOf(r.source) as AddressSet).toString() : r.source.state, ports(r.sourcePorts), ports(r.destinationPorts), valueOf(r.enabled)];

        it("current ACL: enabled, associatedSubnets[].subnetId (subnet ids), ordered rules with hyphen port strings", () => {
            const t = build(
                subnet,
                res(TF.addressGroup, "ag", { id: "ag-1", addresses: ["10.0.0.0/8"] }),
                res(TF.acl, "acl", {
                    enabled: false,
                    associatedSubnets: [{ subnetId: "net-1" }],
                    ingressRules: [
                        { name: "hc", action: "allow", protocol: "TCP", ipVersion: 4, sourceIpAddress: "100.125.0.0/16", destinationPort: "22-30,33" },
                        { action: "deny", protocol: "any", ipVersion: 6, sourcePort: "", sourceIpAddressGroupId: "ag-1" },
                        { action: "allow", protocol: "udp", ipVersion: "4", destinationPort: "1:100", destinationIpAddress: "10.0.0.300" },
                    ],
                }),
            );
            const acl = t.networkAcls[0];
            expect([acl.kind, valueOf(acl.enabled), names(t, acl.subnets), acl.egress.state === "known" && acl.egress.value.length]).toEqual(["networkAcl", false, ["sub"], 0]);
            const ingress = acl.ingress.state === "known" ? acl.ingress.value : [];
            expect(ingress.map(rule).slice(0, 2)).toEqual([
                ["hc", "allow", 6, 4, "100.125.0.0/16", "all ports", "22-30, 33", true],
                ["ingressRules[1]", "deny", "any", 6, AddressSet.ANY.toString(), "all ports", "all ports", true],
            ]);
            expect(ingress[0]).toMatchObject({ urn: acl.urn, path: "ingressRules[0]" });
            expect(target(t, ingress[1].sourceAddressGroup)).toBe("ag");
            expect([ingress[2].destinationPorts.state, ingress[2].destination.state]).toEqual(["invalid", "invalid"]);
            expect(t.findings.map((f) => f.property)).toEqual(["ingressRules[2].destinationIpAddress", "ingressRules[2].destinationPort"]);
        });

        it("legacy ACL: rules are AclRule resources in inboundRules order, colon port strings, enabled flag; subnets are subnet ids", () => {
            const r = (name: string, props: Record<string, unknown>) => res(TF.legacyAclRule, name, { id: `${name}-id`, protocol: "tcp", action: "allow", ...props });
            const t = build(
                subnet,
                r("deny-all", { action: "DENY", protocol: "ANY" }),
                r("hc", { sourceIpAddress: "100.125.0.0/16", destinationPort: "80:90", enabled: false }),
                r("v6", { ipVersion: 6, sourcePort: "1-2" }),
                res(TF.legacyAcl, "acl", { inboundRules: ["hc-id", "deny-all-id"], outboundRules: ["v6-id"], subnets: ["net-1"] }),
                res(TF.legacyAcl, "partial", { inboundRules: ["hc-id", "elsewhere"] }),
            );
            const [acl, partial] = t.networkAcls;
            expect([acl.kind, acl.enabled.state, names(t, acl.subnets)]).toEqual(["legacyAcl", "absent", ["sub"]]);
            expect(acl.ingress.state === "known" && acl.ingress.value.map(rule)).toEqual([
                ["hc", "allow", 6, 4, "100.125.0.0/16", "all ports", "80-90", false],
                ["deny-all", "deny", "any", 4, AddressSet.ANY.toString(), "all ports", "all ports", true],
            ]);
            expect(acl.egress.state === "known" && acl.egress.value[0].sourcePorts.state).toBe("invalid");
            expect([partial.ingress.state, partial.egress.state, valueOf(partial.subnets)]).toEqual(["unknown", "known", []]);
        });
    });

    describe(`normalize (${style} tokens): compute`, () => {
        it("ECS: networks[] (uuid = subnet id, fixedIpV4), securityGroupIds in order, userData", () => {
            const t = build(
                subnet,
                res(TF.sg, "a", { id: "sg-a" }),
                res(TF.sg, "b", { id: "sg-b" }),
                res(TF.ecs, "vm", { networks: [{ uuid: "net-1", fixedIpV4: "192.168.1.10" }, { uuid: "net-2", fixedIpV4: "" }], securityGroupIds: ["sg-b", "sg-a"], userData: "#!/bin/sh" }),
                res(TF.ecs, "bare", { networks: [{ uuid: "net-1", fixedIpV4: "300.1.1.1" }] }),
            );
            const [vm, bare] = t.servers;
            expect(vm.nics.map((n) => [n.path, target(t, n.subnet), valueOf(n.fixedIpV4), names(t, n.securityGroups)])).toEqual([
                ["networks[0]", "sub", "192.168.1.10", ["b", "a"]],
                ["networks[1]", "external", "absent", ["b", "a"]],
            ]);
            expect(valueOf(vm.userData)).toBe("#!/bin/sh");
            expect([bare.nics[0].securityGroups.state, bare.nics[0].fixedIpV4.state, bare.userData.state]).toEqual(["absent", "invalid", "absent"]);
        });

        it("ECS securityGroups are NAMES: resolved by a group's name, else external by name", () => {
            const t = build(res(TF.sg, "a", { name: "web" }), res(TF.sg, "b", { name: "ops" }), res(TF.ecs, "vm", { networks: [{ uuid: "x" }], securityGroups: ["ops", "web", "default"] }));
            const groups = t.servers[0].nics[0].securityGroups;
            expect(names(t, groups)).toEqual(["b", "a", "external"]);
            expect(groups.state === "known" && groups.value[2]).toEqual({ state: "external", id: "default", path: "securityGroups[2]" });
        });

        it("standalone NICs: Port (networkId, fixedIps), NetworkInterface (subnetId = subnet id), InterfaceAttach (networkId, fixedIp)", () => {
            const t = build(
                subnet,
                res(TF.ecs, "vm", { id: "vm-1", networks: [{ uuid: "net-1" }] }),
                res(TF.port, "port", { id: "port-1", networkId: "net-1", fixedIps: [{ subnetId: "v4-1", ipAddress: "2001:db8::5" }, { subnetId: "v4-1", ipAddress: "192.168.1.5" }], securityGroupIds: ["sg-x"], deviceId: "vm-1" }),
                res(TF.port, "open", { networkId: "net-1", fixedIps: [{ subnetId: "v4-1" }], noSecurityGroups: true }),
                res(TF.nic, "eni", { subnetId: "net-1", fixedIpV4: "192.168.1.6", instanceId: U }),
                res(TF.attach, "att", { instanceId: "vm-1", networkId: "net-1", fixedIp: "192.168.1.7", securityGroupIds: [] }),
            );
            const byName = Object.fromEntries(t.standaloneNics.map((n) => [n.name, n]));
            const row = (name: string) => {
                const n = byName[name];
                return [n.kind, target(t, n.nic.subnet), valueOf(n.nic.fixedIpV4), names(t, n.nic.securityGroups), target(t, n.instance)];
            };
            expect(row("port")).toEqual(["port", "sub", "192.168.1.5", ["external"], "vm"]);
            expect(row("open")).toEqual(["port", "sub", "absent", [], "absent"]);
            expect(row("eni")).toEqual(["networkInterface", "sub", "192.168.1.6", "absent", "unresolved"]);
            expect(row("att")).toEqual(["interfaceAttach", "sub", "192.168.1.7", [], "vm"]);
        });

        it("EIPs: publicip.portId (a port or a shared LB's vipPortId; publicip as an object or a one-element list), address; associations: portId and publicIp (an address)", () => {
            const t = build(
                res(TF.sharedLb, "lb", { vipSubnetId: "v4-1", vipPortId: "vip-port-1" }),
                res(TF.eip, "eip", { publicip: { type: "5_bgp", portId: "vip-port-1" }, bandwidth: { shareType: "PER", size: 5 }, address: "1.2.3.4" }),
                res(TF.eip, "free", { publicip: [{ ipAddress: "5.6.7.8" }] }),
                res(TF.eipAssociate, "assoc", { publicIp: "5.6.7.8", portId: "vip-port-1" }),
            );
            const [eip, free] = t.eips;
            expect([target(t, eip.port), eip.address, free.port.state, free.address]).toEqual(["lb", "1.2.3.4", "absent", "5.6.7.8"]);
            const assoc = t.eipAssociations[0];
            expect([target(t, assoc.port), target(t, assoc.eip)]).toEqual(["lb", "free"]);
        });
    });
}

describe("normalize: defaults the consumers rely on", () => {
    it("an ACL rule without addresses or ports matches any; without ipVersion it is IPv4", () => {
        const t = build(styled("static")(TF.acl, "acl", { ingressRules: [{ action: "allow", protocol: "tcp" }] }));
        const r = (t.networkAcls[0].ingress as { value: AclRule[] }).value[0];
        expect([valueOf(r.source), valueOf(r.destination), valueOf(r.sourcePorts), valueOf(r.destinationPorts), valueOf(r.ipVersion), valueOf(r.enabled)]).toEqual([AddressSet.ANY, AddressSet.ANY, ALL_PORTS, ALL_PORTS, 4, true]);
        expect(valueOf(t.networkAcls[0].subnets)).toEqual([]);
    });

    it("recognised kinds without an entity (whitelist, ipgroup) and foreign types are skipped", () => {
        const res = styled("static");
        const t = build(res("huaweicloud_lb_whitelist", "w", {}), res("huaweicloud_elb_ipgroup", "i", {}), { urn: "urn:x", type: "aws:s3/bucket:Bucket", name: "b", props: {} });
        expect(t.byUrn.size).toBe(0);
    });

    it("IPv6 NIC addresses: networks[].fixedIpV6, accessIpV6 for the primary NIC, InterfaceAttach fixedIpv6; a member's IPv6 address finds its server", () => {
        const res = styled("static");
        const t = build(
            res("huaweicloud_compute_instance", "vm", { networks: [{ uuid: "net-1", ipv6Enable: true }, { uuid: "net-2", fixedIpV6: "2001:db8::5" }], accessIpV6: "2001:db8::4" }),
            res("huaweicloud_compute_interface_attach", "att", { instanceId: "vm-id", networkId: "net-3", ipv6Enable: true, fixedIpv6: "2001:db8::6" }),
            res("huaweicloud_elb_member", "m", { poolId: "p", address: "2001:DB8::4", protocolPort: 80, subnetId: "s6" }),
        );
        const [vm] = t.servers;
        expect(vm.nics.map((n) => n.fixedIpV6)).toEqual([{ state: "known", value: "2001:db8::4" }, { state: "known", value: "2001:db8::5" }]);
        expect(vm.nics[0].ipv6Enable).toEqual({ state: "known", value: true });
        expect(t.standaloneNics[0].nic.fixedIpV6).toEqual({ state: "known", value: "2001:db8::6" });
        const b = t.backendOfMember(t.members[0]);
        expect(b.state === "nic" && b.server === vm && b.nic === vm.nics[0]).toBe(true);
        expect(t.members[0].subnetIdLiteral).toBe("s6");
    });

    for (const style of ["static", "index"] as const) {
        it(`an active/standby pool is a pool with two inline members and an enabled check (${style} tokens)`, () => {
            const res = styled(style);
            const t = build(
                res("huaweicloud_elb_active_standby_pool", "a", {
                    protocol: "tcp", ipVersion: "V4", type: "instance",
                    members: [{ address: "10.0.0.1", role: "master", protocolPort: 80 }, { address: "10.0.0.2", role: "SLAVE", protocolPort: 81, name: "b" }],
                    healthmonitors: [{ type: "HTTP", delay: 5, timeout: 3, maxRetries: 3, monitorPort: 8080, urlPath: "/h" }],
                }),
            );
            const [pool] = t.pools;
            expect(pool.activeStandby).toBeDefined();
            expect(pool.ipVersion).toEqual({ state: "known", value: "v4" });
            expect(pool.poolType).toEqual({ state: "known", value: "instance" });
            expect(t.members.map((m) => [m.name, m.role, m.port, m.subnet.state])).toEqual([["a.members[0]", "master", { state: "known", value: 80 }, "absent"], ["b", "slave", { state: "known", value: 81 }, "absent"]]);
            expect(t.members.every((m) => t.poolOfMember(m) === pool)).toBe(true);
            const [mon] = t.monitorsOfPool(pool);
            expect(mon.enabled).toEqual({ state: "known", value: true });
            expect(mon.port).toEqual({ state: "known", value: 8080 });
            expect(mon.protocol).toEqual({ state: "known", value: "HTTP" });
        });
    }
});
