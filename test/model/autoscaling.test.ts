/**
 * AS groups: each `lbaasListeners` entry becomes a member standing for every instance the group
 * launches, on the first network, with the security groups the instances get (the configuration's,
 * else the group's, else the default group), in both token styles and with IDs unknown.
 */
import { describe, expect, it } from "vitest";
import { names, res, STYLES, styled, target, TF, U, urnOf, token, valueOf } from "./helpers";
import { buildTopology } from "../../src/model/build";

describe.each(STYLES)("AS groups (%s tokens)", (style) => {
    const r = styled(style);
    const base = [
        r(TF.subnet, "app", { id: "net-1", ipv4SubnetId: "v4-1", cidr: "192.168.1.0/24" }),
        r(TF.sg, "group-sg", { id: "sg-g" }),
        r(TF.sg, "config-sg", { id: "sg-c" }),
        r(TF.sharedPool, "web", { id: "pool-1", protocol: "HTTP" }),
        r(TF.dedicatedPool, "api", { id: "pool-2", protocol: "TCP" }),
    ];
    const group = (props: Record<string, unknown>, deps: Record<string, string[]> = {}) =>
        r(TF.asGroup, "asg", { id: "asg-1", networks: [{ id: "net-1" }], securityGroups: [{ id: "sg-g" }], lbaasListeners: [{ poolId: "pool-1", protocolPort: 80 }, { poolId: "pool-2", protocolPort: 8443, weight: 0, protocolVersion: "ipv6" }], ...props }, deps);

    it("one member per lbaasListeners entry, in its pool's family, on the first network", () => {
        const t = buildTopology([...base, group({ scalingConfigurationId: undefined })]);
        const ms = t.members.filter((m) => m.scalingGroup);
        expect(ms.map((m) => [target(t, m.pool), m.family, valueOf(m.port), valueOf(m.weight), m.ipVersion, m.address.state])).toEqual([
            ["web", "shared", 80, 1, 4, "unknown"],
            ["api", "dedicated", 8443, 0, 6, "unknown"],
        ]);
        expect(t.membersOfPool(t.pools[0]).map((m) => m.name)).toEqual(["asg"]);
        const b = t.backendOfMember(ms[0]);
        expect(b.state === "nic" && target(t, b.nic.subnet)).toBe("app");
        expect(b.state === "nic" && names(t, b.nic.securityGroups)).toEqual(["group-sg"]);
    });

    it("the AS configuration's security groups take precedence over the group's", () => {
        const t = buildTopology([...base, r(TF.asConfig, "cfg", { id: "cfg-1", instanceConfig: { securityGroupIds: ["sg-c"] } }), group({ scalingConfigurationId: "cfg-1" })]);
        const b = t.backendOfMember(t.members[0]);
        expect(b.state === "nic" && names(t, b.nic.securityGroups)).toEqual(["config-sg"]);
    });

    it("a configuration without groups leaves the group's; one copying an instance takes that instance's", () => {
        const plain = buildTopology([...base, r(TF.asConfig, "cfg", { id: "cfg-1", instanceConfig: { flavor: "s6" } }), group({ scalingConfigurationId: "cfg-1" })]);
        const b1 = plain.backendOfMember(plain.members[0]);
        expect(b1.state === "nic" && names(plain, b1.nic.securityGroups)).toEqual(["group-sg"]);

        const templ = buildTopology([
            ...base,
            r(TF.ecs, "template", { id: "vm-1", networks: [{ uuid: "net-1" }], securityGroupIds: ["sg-c"] }),
            r(TF.asConfig, "cfg", { id: "cfg-1", instanceConfigs: [{ instanceId: "vm-1", securityGroupIds: ["sg-g"] }] }),
            group({ scalingConfigurationId: "cfg-1" }),
        ]);
        const b2 = templ.backendOfMember(templ.members.find((m) => m.scalingGroup)!);
        expect(b2.state === "nic" && names(templ, b2.nic.securityGroups)).toEqual(["config-sg"]);
    });

    it("a configuration outside the stack makes the groups unresolved, with the reason", () => {
        const t = buildTopology([...base, group({ scalingConfigurationId: "cfg-elsewhere" })]);
        const b = t.backendOfMember(t.members[0]);
        const refs = b.state === "nic" ? b.nic.securityGroups : undefined;
        expect(refs?.state === "known" && refs.value[0].state === "unresolved" && refs.value[0].reason).toContain("AS configuration");
    });

    it("unknown IDs at preview resolve through propertyDependencies", () => {
        // Everything is being created: IDs unknown, links only in propertyDependencies.
        const fresh = [r(TF.subnet, "app", { id: U, ipv4SubnetId: U, cidr: "192.168.1.0/24" }), r(TF.sg, "config-sg", { id: U }), r(TF.sharedPool, "web", { id: U, protocol: "HTTP" })];
        const t = buildTopology([
            ...fresh,
            r(TF.asConfig, "cfg", { id: U, instanceConfig: { securityGroupIds: [U] } }, { instanceConfig: [urnOf(token(TF.sg, style), "config-sg")] }),
            group(
                { scalingConfigurationId: U, networks: [{ id: U }], securityGroups: [{ id: U }], lbaasListeners: [{ poolId: U, protocolPort: 80 }] },
                { scalingConfigurationId: [urnOf(token(TF.asConfig, style), "cfg")], networks: [urnOf(token(TF.subnet, style), "app")], lbaasListeners: [urnOf(token(TF.sharedPool, style), "web")] },
            ),
        ]);
        const m = t.members[0];
        expect(target(t, m.pool)).toBe("web");
        const b = t.backendOfMember(m);
        expect(b.state === "nic" && target(t, b.nic.subnet)).toBe("app");
        expect(b.state === "nic" && names(t, b.nic.securityGroups)).toEqual(["config-sg"]);
    });

    it("an instance added to the group (as_instance_attach) is registered in its pools with its own NIC and groups", () => {
        const t = buildTopology([
            ...base,
            r(TF.ecs, "vm", { id: "vm-1", networks: [{ uuid: "net-1", fixedIpV4: "192.168.1.7" }], securityGroupIds: ["sg-c"] }),
            group({ scalingConfigurationId: undefined }),
            r(TF.asAttach, "attach", { scalingGroupId: "asg-1", instanceId: "vm-1" }),
        ]);
        const attached = t.members.filter((m) => m.attachedServer);
        expect(attached.map((m) => [m.name, target(t, m.pool), valueOf(m.address), valueOf(m.port)])).toEqual([
            ["vm", "web", "192.168.1.7", 80],
            ["vm", "api", "192.168.1.7", 8443],
        ]);
        const b = t.backendOfMember(attached[0]);
        expect(b.state === "nic" && b.server?.name).toBe("vm");
        expect(b.state === "nic" && names(t, b.nic.securityGroups)).toEqual(["config-sg"]);
    });

    it("bad values are data findings naming the property, never a crash", () => {
        const t = buildTopology([...base, group({ lbaasListeners: [{ poolId: "pool-1", protocolPort: "eighty" }], networks: "net-1" })]);
        expect(t.findings.map((f) => f.property)).toEqual(expect.arrayContaining(["lbaasListeners[0].protocolPort"]));
        expect(t.members[0].port.state).toBe("invalid");
    });
});

void res;
