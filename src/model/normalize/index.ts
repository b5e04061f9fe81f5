/**
 * Raw resource → normalized entity, one normalizer per kind (a file per area). The index-style tokens
 * carry the same camelCased Terraform names, so one normalizer serves both token styles.
 */
import type { Path } from "../reader";
import type { Entity, ResourceKind } from "../types";
import { legacyAcl, legacyAclRule, networkAcl } from "./acl";
import { scalingAttach, scalingConfiguration, scalingGroup } from "./autoscaling";
import { eip, eipAssociate, instance, interfaceAttach, networkInterface, port } from "./compute";
import type { Ctx, IdKind } from "./context";
import { activeStandbyPool, l7policy, listener, loadBalancer, member, monitor, pool } from "./elb";
import { addressGroup, peering, peeringAccepter, route, securityGroup, securityGroupRule, subnet, vpc } from "./network";

export type { Ctx, IdKind, Resolver, Target } from "./context";
export { TARGETS } from "./context";

/**
 * The identifiers other resources use to refer to a resource, besides its `id` (indexed for every kind).
 * Subnets: §3.1 (`subnetId` is the deprecated alias of `ipv4SubnetId`); LB port IDs: §4.1, §5.1; EIP
 * address: §8.7; security group names: §8.3.
 */
export function identifiers(kind: ResourceKind, family: string | undefined): readonly (readonly [IdKind, Path])[] {
    switch (kind) {
        case "subnet":
            return [["ipv4SubnetId", ["ipv4SubnetId"]], ["ipv4SubnetId", ["subnetId"]], ["ipv6SubnetId", ["ipv6SubnetId"]]];
        case "loadBalancer":
            return [["portId", [family === "shared" ? "vipPortId" : "ipv4PortId"]]];
        case "securityGroup":
            return [["name", ["name"]]];
        case "port":
        case "networkInterface":
            return [["portId", ["id"]]];
        case "eip":
            return [["address", ["address"]], ["address", ["publicip", "ipAddress"]], ["address", ["publicip", 0, "ipAddress"]]];
        default:
            return [];
    }
}

const NORMALIZERS: Partial<Record<ResourceKind, (c: Ctx) => Entity>> = {
    loadBalancer, listener, pool, member, monitor, l7policy,
    vpc,
    subnet,
    securityGroup, securityGroupRule, addressGroup,
    networkAcl, legacyAcl, legacyAclRule,
    instance, interfaceAttach, port, networkInterface,
    eip, eipAssociate,
    scalingGroup, scalingConfiguration, scalingAttach,
    // An active/standby pool is a pool (kind "pool") carrying its inline members and check.
    activeStandbyPool,
    peering, peeringAccepter, route, routeTable: route,
    // whitelist, ipgroup: recognised by the catalogue, no entity yet.
};

/** The entity of a recognised resource, or undefined for kinds the checks do not read. */
export function normalize(c: Ctx): Entity | undefined {
    return NORMALIZERS[c.info.kind]?.(c);
}
