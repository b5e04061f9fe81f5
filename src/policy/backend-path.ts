/**
 * The network path to IP-type (cross-VPC) backends of dedicated load balancers, for HWELB-008:
 * IP as a backend enabled on the load balancer (`crossVpcBackend`), a private IPv4 address, a pool
 * protocol that allows it, and for a member in another VPC of the stack a VPC peering connection with
 * routes both ways (ELB user guide, "IP as a Backend": "In a different VPC … Set up a VPC peering
 * connection"; the backend subnet must be reachable both ways). Peerings and routes may be managed
 * outside the stack, so these are advisories that say so.
 */
import { AddressSet, parseAddress, parseCidr } from "../net/addresses";
import { IntervalSet } from "../net/intervals";
import type { Topology } from "../model/topology";
import type { LoadBalancer, Peering, Ref, Subnet, Value, Vpc, VpcRoute } from "../model/types";
import type { MemberReachability } from "../reach";
import type { Finding } from "./definition";
import { label } from "./describe";

/** Pool protocols IP-type members may use (elb_member docs: "the protocol … must be TCP, HTTP, or HTTPS"). */
const IP_BACKEND_PROTOCOLS = new Set(["TCP", "HTTP", "HTTPS"]);

/** A dedicated member without subnetId (and not an AS registration): "IP as a backend". */
export function isIpTypeMember(r: MemberReachability): boolean {
    return r.member.family === "dedicated" && r.member.subnet.state === "absent" && !r.member.scalingGroup;
}

export function vpcOfLoadBalancer(topology: Topology, lb: LoadBalancer): Vpc | undefined {
    const direct = topology.deref(lb.vpc, "vpc");
    if (direct) return direct;
    const subnet = topology.deref(lb.ipv4Subnet, "subnet") ?? topology.deref(lb.ipv6Network, "subnet");
    return subnet ? topology.deref(subnet.vpc, "vpc") : undefined;
}

/** The VPC the member's address is in: its NIC's subnet's VPC, else the one stack VPC whose CIDRs hold the address. */
export function vpcOfMember(topology: Topology, r: MemberReachability): Vpc | undefined {
    if (r.backend.state === "nic") {
        const s = topology.subnetOfNic(r.backend.nic);
        return s ? topology.deref(s.vpc, "vpc") : undefined;
    }
    const a = r.member.address;
    if (a.state !== "known") return undefined;
    const parsed = parseAddress(a.value);
    if (!parsed.ok) return undefined;
    const point = AddressSet.ofFamily(parsed.value.family, IntervalSet.of(parsed.value.value, parsed.value.value));
    const holding = topology.vpcs.filter((v) => cidrsOf(v)?.intersect(point).isEmpty() === false);
    return holding.length === 1 ? holding[0] : undefined;
}

function cidrsOf(v: Vpc): AddressSet | undefined {
    if (v.cidr.state !== "known") return undefined;
    return v.secondaryCidrs.state === "known" ? v.cidr.value.union(v.secondaryCidrs.value) : v.cidr.value;
}

const cidrText = (s: AddressSet) => s.toCidrs().join(", ");

/** Advisories on the path to every IP-type or cross-VPC member. */
export function backendPathNotes(topology: Topology, all: readonly MemberReachability[]): Finding[] {
    const out: Finding[] = [];
    for (const r of all) {
        const lb = r.loadBalancer;
        if (!lb || lb.family !== "dedicated" || !r.pool) continue;
        const m = r.member;
        const ipType = isIpTypeMember(r);
        const server = r.backend.state === "nic" ? (r.backend.server ?? r.backend.holder) : undefined;
        const who = `${label(m)} (${label(r.pool)}${server ? `, server "${server.name}"` : ""}${m.address.state === "known" ? `, ${m.address.value}` : ""})`;
        const related = [r.pool.urn, lb.urn];
        const note = (message: string, extra: string[] = []) => out.push({ urn: m.urn, class: "violation", related: [...related, ...extra], message: `${who}: ${message}` });

        if (ipType) {
            const cross = lb.crossVpcBackend;
            if (cross.state === "absent" || (cross.state === "known" && !cross.value)) {
                note(`it names no subnet, so it is an IP as a backend server, but ${label(lb)} does not have IP as a backend enabled (crossVpcBackend). The member cannot be added and is never health-checked. Set crossVpcBackend to true (the docs: it can be set when updating the load balancer).`);
            }
            if (m.address.state === "known" && m.address.value.includes(":")) {
                note(`an IP as a backend server must use a private IPv4 address; this one is IPv6.`);
            }
            if (r.pool.protocol.state === "known" && !IP_BACKEND_PROTOCOLS.has(r.pool.protocol.value)) {
                note(`IP as a backend servers take only TCP, HTTP or HTTPS pools; ${label(r.pool)} is ${r.pool.protocol.value}.`);
            }
        } else if (r.pool.poolType.state === "known" && r.pool.poolType.value === "ip" && m.subnet.state !== "absent" && !m.scalingGroup) {
            note(`${label(r.pool)} has type ip, which takes only IP as a backend servers (members without subnetId); this member names a subnet.`);
        }

        // A member with a subnet must use the address of the server's primary NIC (the first of `networks`);
        // an extension NIC (InterfaceAttach) or a later entry of `networks` is not one.
        if (!ipType && !m.scalingGroup && r.backend.state === "nic" && r.backend.server) {
            const { nic, holder, server: host } = r.backend;
            const at = holder.kind === "instance" ? holder.nics.indexOf(nic) : -1;
            if (at > 0 || holder.kind === "interfaceAttach") {
                const where = at > 0 ? `${nic.path} of ECS instance ${host.name}` : `extension network interface ${holder.name} of ECS instance ${host.name}`;
                note(`its address is on ${where}, not on the server's primary network interface; a member with a subnet can only use the primary NIC's address (Huawei's docs), so the load balancer cannot register it as is. Register the address of the primary NIC (networks[0]), or add the address as an IP as a backend server (no subnetId, crossVpcBackend on).`);
            }
        }

        const lbVpc = vpcOfLoadBalancer(topology, lb);
        const memberVpc = vpcOfMember(topology, r);
        if (!lbVpc || !memberVpc || lbVpc === memberVpc) continue;
        if (!ipType) {
            if (m.scalingGroup) continue;
            note(`its subnet is in VPC ${memberVpc.name}, not in the load balancer's VPC ${lbVpc.name}: a member with a subnetId must be in the load balancer's VPC. Add it as an IP as a backend server (no subnetId) over a VPC peering connection instead.`);
            continue;
        }
        const peerings = topology.peerings.filter((p) => joins(topology, p, lbVpc, memberVpc));
        const undecided = topology.peerings.some((p) => topology.deref(p.vpc, "vpc") === undefined || topology.deref(p.peerVpc, "vpc") === undefined);
        if (peerings.length === 0) {
            if (undecided) continue;
            note(`it is in VPC ${memberVpc.name} and ${label(lb)} is in VPC ${lbVpc.name}, and no VPC peering connection in this stack joins them, so the health checks from the backend subnet cannot reach it. Create a peering connection with routes both ways; if one exists outside this stack, check its routes.`, [lbVpc.urn, memberVpc.urn]);
            continue;
        }
        const rejected = peerings.filter((p) => topology.peeringAccepters.some((a) => topology.deref(a.peering, "peering") === p && a.accept.state === "known" && !a.accept.value));
        if (rejected.length === peerings.length) {
            note(`the VPC peering connection ${rejected.map((p) => p.name).join(", ")} between VPC ${lbVpc.name} and VPC ${memberVpc.name} is rejected by its accepter (accept false).`, rejected.map((p) => p.urn));
            continue;
        }
        const routes = topology.routes.filter((x) => peerings.some((p) => topology.deref(x.nexthop, "peering") === p));
        if (routes.length === 0) {
            if (topology.routes.some((x) => x.nexthop.state === "unresolved")) continue;
            note(`VPC peering connection ${peerings.map((p) => p.name).join(", ")} joins VPC ${lbVpc.name} and VPC ${memberVpc.name}, but no route in this stack sends traffic over it. Health checks need routes both ways: in VPC ${lbVpc.name} to the member, in VPC ${memberVpc.name} back to the load balancer's backend subnet. If the routes are managed outside this stack, check them there.`, peerings.map((p) => p.urn));
            continue;
        }
        const there = memberTarget(r);
        const back = r.flows.length > 0 ? r.flows.reduce((a, f) => a.union(f.sources), AddressSet.EMPTY) : undefined;
        // Each direction leaves a subnet: the load balancer's backend subnets, the member's subnet.
        const lbSubnets = topology.backendSubnetsOfLoadBalancer(lb);
        const fromLb = lbSubnets.state === "known" ? lbSubnets.value : [];
        const memberSubnet = r.backend.state === "nic" ? topology.subnetOfNic(r.backend.nic) : undefined;
        const missing: string[] = [];
        if (there && !covered(topology, routes, lbVpc, there, fromLb)) missing.push(`in VPC ${lbVpc.name} to ${cidrText(there)}${tableHint(topology, routes, lbVpc, fromLb)}`);
        if (back && !back.isEmpty() && !covered(topology, routes, memberVpc, back, memberSubnet ? [memberSubnet] : [])) {
            missing.push(`in VPC ${memberVpc.name} back to the backend subnet ${cidrText(back)}${tableHint(topology, routes, memberVpc, memberSubnet ? [memberSubnet] : [])}`);
        }
        if (missing.length > 0 && !routes.some((x) => x.destination.state !== "known" || x.vpc.state !== "resolved")) {
            note(`the routes over VPC peering connection ${peerings.map((p) => p.name).join(", ")} do not cover the health-check path: no route ${missing.join(", nor ")}. Add the route${missing.length > 1 ? "s" : ""} with the peering connection as next hop.`, peerings.map((p) => p.urn));
        }
    }
    return out;
}

function joins(topology: Topology, p: Peering, a: Vpc, b: Vpc): boolean {
    const x = topology.deref(p.vpc, "vpc");
    const y = topology.deref(p.peerVpc, "vpc");
    return (x === a && y === b) || (x === b && y === a);
}

/** The member's address as a set (known address), else its NIC's subnet CIDR. */
function memberTarget(r: MemberReachability): AddressSet | undefined {
    const a = r.member.address;
    if (a.state === "known") {
        const p = parseCidr(a.value);
        return p.ok ? p.value : undefined;
    }
    return undefined;
}

/** Routes in `vpc` over the peering that apply to traffic leaving every subnet of `from` together cover `need`. */
function covered(topology: Topology, routes: readonly VpcRoute[], vpc: Vpc, need: AddressSet, from: readonly Subnet[]): boolean {
    let have = AddressSet.EMPTY;
    for (const x of routes) {
        if (topology.deref(x.vpc, "vpc") === vpc && x.destination.state === "known" && from.every((s) => appliesTo(topology, x, s))) have = have.union(x.destination.value);
    }
    return need.isSubsetOf(have);
}

/**
 * Does a route steer traffic leaving subnet `s`? A custom route table's routes apply only to the subnets
 * associated with it, and a subnet associated with one no longer uses the VPC's default table (route_table
 * docs). What the plan does not tell (a table outside the stack, associations unknown) counts as applying.
 */
function appliesTo(topology: Topology, x: VpcRoute, s: Subnet): boolean {
    const associated = (t: { subnets?: Value<Ref[]> }): boolean | undefined => {
        if (!t.subnets || t.subnets.state !== "known") return undefined;
        if (t.subnets.value.some((ref) => topology.deref(ref, "subnet") === s)) return true;
        return t.subnets.value.every((ref) => ref.state === "resolved") ? false : undefined;
    };
    if (x.table.state === "absent") {
        // The default table: unless the subnet is surely associated with a custom table of the stack.
        return !topology.routeTables.some((t) => associated(t) === true);
    }
    const table = topology.deref(x.table, "routeTable");
    return !table || associated(table) !== false;
}

/** When a peering route exists in the VPC but not for the subnet the traffic leaves: say why. */
function tableHint(topology: Topology, routes: readonly VpcRoute[], vpc: Vpc, from: readonly Subnet[]): string {
    const inVpc = routes.filter((x) => topology.deref(x.vpc, "vpc") === vpc && x.destination.state === "known");
    if (inVpc.length === 0 || from.length === 0) return "";
    return ` that applies to subnet ${from.map((s) => s.name).join(", ")} (a custom route table's routes apply only to the subnets associated with it, and such a subnet no longer uses the default route table)`;
}
