/**
 * Type token catalogue: every resource the checks read, by Terraform name, under both token styles:
 * - the static provider (huaweicloud/pulumi-huaweicloud): `huaweicloud:<Module>/<lowerName>:<Name>`;
 * - the dynamic "any Terraform provider" route: `huaweicloud:index/<lowerCamel(tf)>:<UpperCamel(tf)>`,
 *   tf = the Terraform name without `huaweicloud_` (huaweicloud-resources.md §2.2).
 * Tokens are compared exactly (case-sensitive).
 */
import type { Family, ResourceKind } from "./types";

export interface TokenInfo {
    kind: ResourceKind;
    family?: Family;
    /** Terraform resource name. */
    terraform: string;
    style: "static" | "index";
}

// [Terraform name, static token, kind, family]
const TABLE: readonly (readonly [string, string, ResourceKind, Family?])[] = [
    ["huaweicloud_lb_loadbalancer", "huaweicloud:Elb/loadbalancer:Loadbalancer", "loadBalancer", "shared"],
    ["huaweicloud_lb_listener", "huaweicloud:Elb/listener:Listener", "listener", "shared"],
    ["huaweicloud_lb_pool", "huaweicloud:Elb/pool:Pool", "pool", "shared"],
    ["huaweicloud_lb_member", "huaweicloud:Elb/member:Member", "member", "shared"],
    ["huaweicloud_lb_monitor", "huaweicloud:Elb/monitor:Monitor", "monitor", "shared"],
    ["huaweicloud_lb_whitelist", "huaweicloud:Elb/whitelist:Whitelist", "whitelist", "shared"],
    ["huaweicloud_lb_l7policy", "huaweicloud:Elb/l7policy:L7policy", "l7policy", "shared"],
    ["huaweicloud_elb_loadbalancer", "huaweicloud:DedicatedElb/loadbalancer:Loadbalancer", "loadBalancer", "dedicated"],
    ["huaweicloud_elb_listener", "huaweicloud:DedicatedElb/listener:Listener", "listener", "dedicated"],
    ["huaweicloud_elb_pool", "huaweicloud:DedicatedElb/pool:Pool", "pool", "dedicated"],
    ["huaweicloud_elb_member", "huaweicloud:DedicatedElb/member:Member", "member", "dedicated"],
    ["huaweicloud_elb_monitor", "huaweicloud:DedicatedElb/monitor:Monitor", "monitor", "dedicated"],
    ["huaweicloud_elb_ipgroup", "huaweicloud:DedicatedElb/ipgroup:Ipgroup", "ipgroup", "dedicated"],
    ["huaweicloud_elb_active_standby_pool", "huaweicloud:DedicatedElb/activeStandbyPool:ActiveStandbyPool", "activeStandbyPool", "dedicated"],
    ["huaweicloud_elb_l7policy", "huaweicloud:DedicatedElb/l7policy:L7policy", "l7policy", "dedicated"],
    ["huaweicloud_vpc", "huaweicloud:Vpc/vpc:Vpc", "vpc"],
    ["huaweicloud_vpc_subnet", "huaweicloud:Vpc/subnet:Subnet", "subnet"],
    ["huaweicloud_networking_secgroup", "huaweicloud:Vpc/secgroup:Secgroup", "securityGroup"],
    ["huaweicloud_networking_secgroup_rule", "huaweicloud:Vpc/secgroupRule:SecgroupRule", "securityGroupRule"],
    ["huaweicloud_vpc_address_group", "huaweicloud:Vpc/addressGroup:AddressGroup", "addressGroup"],
    ["huaweicloud_vpc_network_acl", "huaweicloud:Vpc/networkAcl:NetworkAcl", "networkAcl"],
    ["huaweicloud_network_acl", "huaweicloud:NetworkAcl/acl:Acl", "legacyAcl"],
    ["huaweicloud_network_acl_rule", "huaweicloud:NetworkAcl/aclRule:AclRule", "legacyAclRule"],
    ["huaweicloud_compute_instance", "huaweicloud:Ecs/instance:Instance", "instance"],
    ["huaweicloud_compute_interface_attach", "huaweicloud:Ecs/interfaceAttach:InterfaceAttach", "interfaceAttach"],
    ["huaweicloud_networking_port", "huaweicloud:Vpc/port:Port", "port"],
    ["huaweicloud_vpc_network_interface", "huaweicloud:Vpc/networkInterface:NetworkInterface", "networkInterface"],
    ["huaweicloud_vpc_eip", "huaweicloud:Vpc/eip:Eip", "eip"],
    ["huaweicloud_vpc_eip_associate", "huaweicloud:Vpc/eipAssociate:EipAssociate", "eipAssociate"],
    // IP-type (cross-VPC) backends are reached over VPC peering connections and their routes.
    ["huaweicloud_vpc_peering_connection", "huaweicloud:Vpc/peeringConnection:PeeringConnection", "peering"],
    ["huaweicloud_vpc_peering_connection_accepter", "huaweicloud:Vpc/peeringConnectionAccepter:PeeringConnectionAccepter", "peeringAccepter"],
    ["huaweicloud_vpc_route", "huaweicloud:Vpc/route:Route", "route"],
    ["huaweicloud_vpc_route_table", "huaweicloud:Vpc/routeTable:RouteTable", "routeTable"],
    // Auto Scaling registers the instances it launches as members of the pools in `lbaasListeners`.
    ["huaweicloud_as_group", "huaweicloud:As/group:Group", "scalingGroup"],
    ["huaweicloud_as_configuration", "huaweicloud:As/configuration:Configuration", "scalingConfiguration"],
    ["huaweicloud_as_instance_attach", "huaweicloud:As/instanceAttach:InstanceAttach", "scalingAttach"],
];

const camel = (parts: string[]) => parts.map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join("");

/** `huaweicloud_lb_pool` → `huaweicloud:index/lbPool:LbPool`. */
export function indexToken(terraform: string): string {
    const upper = camel(terraform.replace(/^huaweicloud_/, "").split("_"));
    return `huaweicloud:index/${upper.charAt(0).toLowerCase()}${upper.slice(1)}:${upper}`;
}

const BY_TOKEN = new Map<string, TokenInfo>();
for (const [terraform, token, kind, family] of TABLE) {
    BY_TOKEN.set(token, { kind, family, terraform, style: "static" });
    BY_TOKEN.set(indexToken(terraform), { kind, family, terraform, style: "index" });
}

export function tokenInfo(type: string): TokenInfo | undefined {
    return BY_TOKEN.get(type);
}

/** Every token the catalogue knows, for tests and docs. */
export function allTokens(): ReadonlyMap<string, TokenInfo> {
    return BY_TOKEN;
}
