/**
 * VPCs, subnets, security groups and their rules, address groups (huaweicloud-resources.md §6, §8.1, §8.2).
 */
import { AddressSet } from "../../net/addresses";
import { ICMP, ICMPV6, type Protocol } from "../../net/protocols";
import { portRange, type PortSet } from "../../net/ports";
import { known } from "../reader";
import type { AddressGroup, IcmpTypeCode, Peering, PeeringAccepter, Ref, Remote, Route, SecurityGroup, SecurityGroupRule, Subnet, Value, Vpc, VpcRoute } from "../types";
import { formatPath, type Path } from "../reader";
import { absent, ACTIONS, entity, ipVersion, TARGETS, type Ctx } from "./context";

export function vpc(c: Ctx): Vpc {
    const { r } = c;
    // `secondaryCidrs` (list, current) and the deprecated single `secondaryCidr` (§8.1), merged.
    const list = r.has(["secondaryCidrs"]) ? r.addressList(["secondaryCidrs"], [], 64) : undefined;
    const single = r.unset(["secondaryCidr"]) ? undefined : r.cidr(["secondaryCidr"]);
    return entity(c, { kind: "vpc", cidr: r.cidr(["cidr"]), secondaryCidrs: unionOf(list, single) ?? absent("secondaryCidrs") });
}

/** Union of two optional reads; the first one not known decides when either is not known. */
function unionOf(a: Value<AddressSet> | undefined, b: Value<AddressSet> | undefined): Value<AddressSet> | undefined {
    if (!a || !b) return a ?? b;
    if (a.state !== "known") return a;
    if (b.state !== "known") return b;
    return known(a.value.union(b.value));
}

export function subnet(c: Ctx): Subnet {
    const { r } = c;
    const s: Subnet = entity(c, {
        kind: "subnet",
        vpc: c.resolve.ref(["vpcId"], TARGETS.vpc),
        cidr: r.cidr(["cidr"]),
        // Output, present when IPv6 is enabled.
        ipv6Cidr: r.unset(["ipv6Cidr"]) ? absent("ipv6Cidr") : r.cidr(["ipv6Cidr"]),
        ipv6Enable: r.unset(["ipv6Enable"]) ? absent("ipv6Enable") : r.bool(["ipv6Enable"]),
    });
    // Known ipv4SubnetId (or its alias subnetId) and ipv6SubnetId outputs, as indexed (§3.1).
    const v4 = c.knownId("ipv4SubnetId");
    const v6 = c.knownId("ipv6SubnetId");
    if (v4 !== undefined) s.ipv4SubnetId = v4;
    if (v6 !== undefined) s.ipv6SubnetId = v6;
    return s;
}

export function securityGroup(c: Ctx): SecurityGroup {
    return entity(c, { kind: "securityGroup", groupName: c.r.string(["name"], 1024), deleteDefaultRules: c.r.bool(["deleteDefaultRules"]) });
}

export function securityGroupRule(c: Ctx): SecurityGroupRule {
    const { r, resolve } = c;
    // Several remotes on one rule are not blocked by the schema (§6.2); all are kept, reach/ decides.
    const remotes: Remote[] = [];
    if (!r.unset(["remoteIpPrefix"])) {
        const remote: Remote = { kind: "cidr", set: r.cidr(["remoteIpPrefix"]) };
        const from = c.soleSubnetDependency(["remoteIpPrefix"]);
        if (from !== undefined) remote.fromSubnet = from;
        remotes.push(remote);
    }
    if (!r.unset(["remoteGroupId"])) remotes.push({ kind: "group", group: resolve.ref(["remoteGroupId"], TARGETS.securityGroup) });
    if (!r.unset(["remoteAddressGroupId"])) remotes.push({ kind: "addressGroup", group: resolve.ref(["remoteAddressGroupId"], TARGETS.addressGroup) });
    const ethertype = r.oneOf(["ethertype"], ["IPv4", "IPv6"] as const);
    // Omitted protocol = all protocols (§6.2): absent here. "any" is not an SG rule value.
    const protocol: Value<Protocol> = r.unset(["protocol"]) ? absent("protocol") : r.protocol(["protocol"], false);
    return entity(c, {
        kind: "securityGroupRule",
        group: resolve.ref(["securityGroupId"], TARGETS.securityGroup),
        // Validation is case-insensitive (§6.2).
        direction: r.oneOf(["direction"], ["ingress", "egress"] as const),
        ethertype: ethertype.state === "known" ? known(ethertype.value === "IPv4" ? 4 : 6) : ethertype,
        protocol,
        ...portsOrIcmpType(c, protocol),
        remotes,
        // Omitted action = allow (API); omitted priority = 1 (TF173 doc; one API spec says 100): left absent for reach/.
        action: r.oneOf(["action"], ACTIONS),
        priority: r.number(["priority"], 1, 100),
    });
}

/**
 * On an ICMP rule, `portRangeMin`/`portRangeMax` are the ICMP type and code (VPC API: "when the protocol
 * is ICMP, port_range_min is the ICMP type and port_range_max the code", 0-255); `ports` stays a port list.
 */
function portsOrIcmpType(c: Ctx, protocol: Value<Protocol>): { ports: Value<PortSet>; icmpType?: Value<IcmpTypeCode> } {
    const { r } = c;
    const icmp = protocol.state === "known" && (protocol.value === ICMP || protocol.value === ICMPV6);
    if (!icmp || !r.unset(["ports"]) || (r.unset(["portRangeMin"]) && r.unset(["portRangeMax"]))) return { ports: rulePorts(c) };
    const type = r.number(["portRangeMin"], 0, 255);
    if (type.state === "absent") return { ports: absent("ports"), icmpType: r.invalid(["portRangeMin"], "an ICMP type 0-255 when portRangeMax (the ICMP code) is set") };
    if (type.state !== "known") return { ports: absent("ports"), icmpType: type };
    if (r.unset(["portRangeMax"])) return { ports: absent("ports"), icmpType: known({ type: type.value }) };
    const code = r.number(["portRangeMax"], 0, 255);
    return { ports: absent("ports"), icmpType: code.state === "known" ? known({ type: type.value, code: code.value }) : code };
}

/** `ports` ("80", "1-30", "22,80,443") or `portRangeMin`/`portRangeMax`; absent = all ports (§6.2). */
function rulePorts(c: Ctx): Value<PortSet> {
    const { r } = c;
    if (!r.unset(["ports"])) return r.ports(["ports"], "list");
    if (r.unset(["portRangeMin"]) && r.unset(["portRangeMax"])) return absent("ports");
    const min = r.number(["portRangeMin"], 1, 65535);
    // portRangeMax needs portRangeMin; without a max the range is the single port min.
    const max = r.unset(["portRangeMax"]) ? min : r.number(["portRangeMax"], 1, 65535);
    if (min.state === "absent") return r.invalid(["portRangeMin"], "a port 1-65535 when portRangeMax is set");
    if (min.state !== "known") return min;
    if (max.state !== "known") return max;
    if (max.value < min.value) return r.invalid(["portRangeMax"], "a port not below portRangeMin");
    return known(portRange(min.value, max.value));
}

export function addressGroup(c: Ctx): AddressGroup {
    const { r } = c;
    // `addresses` or `ipExtraSets[].ip` (exclusive, §6.3); neither = an empty group.
    const extra = r.pick("ipExtraSets", "ipExtraSet");
    const addresses: Value<AddressSet> = r.has(["addresses"])
        ? r.addressList(["addresses"])
        : r.has([extra])
          ? r.addressList([extra], ["ip"])
          : known(AddressSet.EMPTY);
    return entity(c, { kind: "addressGroup", ipVersion: ipVersion(r, ["ipVersion"], 4), addresses });
}

/** A VPC peering connection (vpc_peering_connection docs): `vpcId` (requester) ↔ `peerVpcId` (accepter). */
export function peering(c: Ctx): Peering {
    return entity(c, {
        kind: "peering" as const,
        vpc: c.resolve.ref(["vpcId"], TARGETS.vpc),
        peerVpc: c.resolve.ref(["peerVpcId"], TARGETS.vpc),
        crossTenant: !c.r.unset(["peerTenantId"]),
    });
}

export function peeringAccepter(c: Ctx): PeeringAccepter {
    return entity(c, {
        kind: "peeringAccepter" as const,
        peering: c.resolve.ref(["vpcPeeringConnectionId"], TARGETS.peering),
        accept: c.r.unset(["accept"]) ? absent<boolean>("accept") : c.r.bool(["accept"]),
    });
}

/** One route at `at`: `destination` (a CIDR), `type`, `nexthop` (a peering connection's ID for type peering). */
function vpcRoute(c: Ctx, at: Path, vpcPath: Path, table: Ref): VpcRoute {
    const { r } = c;
    const type = r.string([...at, "type"], 32);
    const p = (k: string): Path => [...at, k];
    const isPeering = type.state === "known" && type.value.trim().toLowerCase() === "peering";
    return {
        urn: c.base.urn,
        path: formatPath(at),
        vpc: c.resolve.ref(vpcPath, TARGETS.vpc),
        destination: r.cidr(p("destination")),
        routeType: type.state === "known" ? known(type.value.trim().toLowerCase()) : type,
        // Only a peering route's next hop is a peering connection; other next hops are not followed.
        nexthop: isPeering ? c.resolve.ref(p("nexthop"), TARGETS.peering) : { state: "absent", path: formatPath(p("nexthop")) },
        table,
    };
}

/** `Vpc/route`: one route; `Vpc/routeTable`: its `routes[]` (route_table docs). */
export function route(c: Ctx): Route {
    if (c.info.kind === "route") {
        const table: Ref = c.r.unset(["routeTableId"]) ? { state: "absent", path: "routeTableId" } : c.resolve.ref(["routeTableId"], TARGETS.routeTable);
        return entity(c, { kind: "route" as const, routes: [vpcRoute(c, [], ["vpcId"], table)] });
    }
    const self: Ref = { state: "resolved", urn: c.base.urn, via: "id", path: "" };
    const key = c.r.pick("routes", "route");
    const n = c.r.list([key], 200);
    const routes: VpcRoute[] = [];
    for (let i = 0; n.state === "known" && i < n.value; i++) routes.push(vpcRoute(c, [key, i], ["vpcId"], self));
    // `subnets` (subnet ids); absent = associated with no subnet.
    const subnets: Value<Ref[]> = c.r.has(["subnets"]) ? c.resolve.refList(["subnets"], TARGETS.subnetById) : known([]);
    return entity(c, { kind: "routeTable" as const, routes, subnets });
}
