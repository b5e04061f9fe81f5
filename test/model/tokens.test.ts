import { describe, expect, it } from "vitest";
import { allTokens, indexToken, tokenInfo } from "../../src/model/tokens";

describe("token catalogue", () => {
    it("knows every resource the checks read, under the static token of the provider (§2.3)", () => {
        const expected: [string, string, string?][] = [
            ["huaweicloud:Elb/loadbalancer:Loadbalancer", "loadBalancer", "shared"],
            ["huaweicloud:Elb/listener:Listener", "listener", "shared"],
            ["huaweicloud:Elb/pool:Pool", "pool", "shared"],
            ["huaweicloud:Elb/member:Member", "member", "shared"],
            ["huaweicloud:Elb/monitor:Monitor", "monitor", "shared"],
            ["huaweicloud:Elb/whitelist:Whitelist", "whitelist", "shared"],
            ["huaweicloud:DedicatedElb/loadbalancer:Loadbalancer", "loadBalancer", "dedicated"],
            ["huaweicloud:DedicatedElb/listener:Listener", "listener", "dedicated"],
            ["huaweicloud:DedicatedElb/pool:Pool", "pool", "dedicated"],
            ["huaweicloud:DedicatedElb/member:Member", "member", "dedicated"],
            ["huaweicloud:DedicatedElb/monitor:Monitor", "monitor", "dedicated"],
            ["huaweicloud:DedicatedElb/ipgroup:Ipgroup", "ipgroup", "dedicated"],
            ["huaweicloud:DedicatedElb/activeStandbyPool:ActiveStandbyPool", "activeStandbyPool", "dedicated"],
            ["huaweicloud:Vpc/vpc:Vpc", "vpc"],
            ["huaweicloud:Vpc/subnet:Subnet", "subnet"],
            ["huaweicloud:Vpc/secgroup:Secgroup", "securityGroup"],
            ["huaweicloud:Vpc/secgroupRule:SecgroupRule", "securityGroupRule"],
            ["huaweicloud:Vpc/addressGroup:AddressGroup", "addressGroup"],
            ["huaweicloud:Vpc/networkAcl:NetworkAcl", "networkAcl"],
            ["huaweicloud:NetworkAcl/acl:Acl", "legacyAcl"],
            ["huaweicloud:NetworkAcl/aclRule:AclRule", "legacyAclRule"],
            ["huaweicloud:Ecs/instance:Instance", "instance"],
            ["huaweicloud:Ecs/interfaceAttach:InterfaceAttach", "interfaceAttach"],
            ["huaweicloud:Vpc/port:Port", "port"],
            ["huaweicloud:Vpc/networkInterface:NetworkInterface", "networkInterface"],
            ["huaweicloud:Vpc/eip:Eip", "eip"],
            ["huaweicloud:Vpc/eipAssociate:EipAssociate", "eipAssociate"],
        ];
        for (const [token, kind, family] of expected) expect(tokenInfo(token), token).toMatchObject({ kind, family, style: "static" });
    });

    it("derives the index style from the Terraform name (§2.2)", () => {
        expect(indexToken("huaweicloud_lb_pool")).toBe("huaweicloud:index/lbPool:LbPool");
        expect(indexToken("huaweicloud_elb_member")).toBe("huaweicloud:index/elbMember:ElbMember");
        expect(indexToken("huaweicloud_networking_secgroup_rule")).toBe("huaweicloud:index/networkingSecgroupRule:NetworkingSecgroupRule");
        expect(indexToken("huaweicloud_vpc_network_acl")).toBe("huaweicloud:index/vpcNetworkAcl:VpcNetworkAcl");
        expect(indexToken("huaweicloud_compute_instance")).toBe("huaweicloud:index/computeInstance:ComputeInstance");
        expect(indexToken("huaweicloud_vpc_eip_associate")).toBe("huaweicloud:index/vpcEipAssociate:VpcEipAssociate");
    });

    it("gives every static token an index twin of the same kind and family, and nothing else", () => {
        const all = [...allTokens()];
        const statics = all.filter(([, i]) => i.style === "static");
        expect(all.length).toBe(2 * statics.length);
        for (const [token, info] of statics) {
            expect(tokenInfo(indexToken(info.terraform)), token).toMatchObject({ kind: info.kind, family: info.family, terraform: info.terraform, style: "index" });
        }
        // One row per Terraform name.
        expect(new Set(statics.map(([, i]) => i.terraform)).size).toBe(statics.length);
    });

    it("matches exactly: case, module and unrelated tokens", () => {
        for (const t of ["huaweicloud:elb/pool:Pool", "huaweicloud:Elb/pool:pool", "huaweicloud:Eip/eip:Eip", "huaweicloud:index/LbPool:LbPool", "huaweicloud:Ecs/eipAssociate:EipAssociate", "aws:ec2/instance:Instance", "", "huaweicloud:Elb/pool:Pool "]) {
            expect(tokenInfo(t), t).toBeUndefined();
        }
        expect(tokenInfo("constructor")).toBeUndefined();
        expect(tokenInfo("__proto__")).toBeUndefined();
    });
});
