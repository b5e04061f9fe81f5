/**
 * Load balancing: both families (shared `Elb`, dedicated `DedicatedElb`), both token styles.
 * Property names and meanings: huaweicloud-resources.md §4 (shared) and §5 (dedicated).
 */
import type { L7Policy, Listener, LoadBalancer, Member, Monitor, Pool, Value } from "../types";
import { absent, absentRef, entity, LISTENER_PROTOCOLS, MONITOR_PROTOCOLS, POOL_PROTOCOLS, TARGETS, type Ctx } from "./context";

/** Set in Terraform's sense (known non-empty, or unknown): an unknown value is still a value. */
const isSet = (c: Ctx, key: string): Value<boolean> => ({ state: "known", value: !c.r.unset([key]) });

export function loadBalancer(c: Ctx): LoadBalancer {
    const { r, resolve } = c;
    if (c.family === "shared") {
        return entity(c, {
        kind: "loadBalancer", family: "shared",
            vpc: absentRef("vpcId"),
            // vipSubnetId (required) is a subnet's ipv4SubnetId, and gives the LB its private VIP (§4.1).
            ipv4Subnet: resolve.ref(["vipSubnetId"], TARGETS.subnetByIpv4),
            ipv6Network: absentRef("ipv6NetworkId"),
            backendSubnets: absent("backendSubnets"),
            privateIpv4: isSet(c, "vipSubnetId"),
            // Output `publicIp`: the EIP bound to it. EIP associations are followed in build.ts.
            eipOnResource: { state: "known", value: r.knownNonEmpty(["publicIp"]) },
            crossVpcBackend: absent("crossVpcBackend"),
        });
    }
    return entity(c, {
        kind: "loadBalancer", family: "dedicated",
        vpc: resolve.ref(["vpcId"], TARGETS.vpc),
        ipv4Subnet: resolve.ref(["ipv4SubnetId"], TARGETS.subnetByIpv4),
        // ipv6NetworkId and backendSubnets carry subnet `id`s, not ipv4SubnetIds (§3.1, §5.1).
        ipv6Network: resolve.ref(["ipv6NetworkId"], TARGETS.subnetById),
        backendSubnets: r.has(["backendSubnets"]) ? resolve.refList(["backendSubnets"], TARGETS.subnetById) : absent("backendSubnets"),
        // No ipv4SubnetId = no private IPv4 VIP; the computed ipv4Address cannot appear from nothing.
        privateIpv4: isSet(c, "ipv4SubnetId"),
        // An EIP on the resource: ipv4EipId (existing EIP) or iptype (+ bandwidth, new EIP); outputs ipv4Eip / ipv6Eip (§5.1).
        eipOnResource: { state: "known", value: !r.unset(["ipv4EipId"]) || !r.unset(["iptype"]) || r.knownNonEmpty(["ipv4Eip"]) || r.knownNonEmpty(["ipv6Eip"]) },
        crossVpcBackend: r.bool(["crossVpcBackend"]),
    });
}

export function listener(c: Ctx): Listener {
    const { r, resolve } = c;
    return entity(c, {
        kind: "listener", family: c.family,
        protocol: r.oneOf(["protocol"], LISTENER_PROTOCOLS),
        // Dedicated listeners may have 0 / no port with portRanges or protocol IP (§5.2).
        port: r.number(["protocolPort"], 0, 65535),
        loadBalancer: resolve.ref(["loadbalancerId"], TARGETS.loadBalancer),
        defaultPool: resolve.ref(["defaultPoolId"], TARGETS.pool),
        // Not in the static SDK; newer Terraform has it as a string "true"/"false" (§1).
        transparentClientIp: r.bool(["transparentClientIpEnable"]),
    });
}

export function pool(c: Ctx): Pool {
    const { r, resolve } = c;
    return entity(c, {
        kind: "pool", family: c.family,
        protocol: r.oneOf(["protocol"], POOL_PROTOCOLS),
        listener: resolve.ref(["listenerId"], TARGETS.listener),
        loadBalancer: resolve.ref(["loadbalancerId"], TARGETS.loadBalancer),
        anyPortEnable: r.bool(["anyPortEnable"]),
    });
}

export function member(c: Ctx): Member {
    const { r, resolve } = c;
    return entity(c, {
        kind: "member", family: c.family,
        pool: resolve.ref(["poolId"], TARGETS.pool),
        address: r.address(["address"]),
        // 0 is legal for dedicated gateway IP pools (§5.4).
        port: r.number(["protocolPort"], 0, 65535),
        // Shared: the subnet's ipv4SubnetId (§4.4); dedicated: ipv4SubnetId or ipv6SubnetId, absent = IP as a backend (§5.4).
        subnet: resolve.ref(["subnetId"], c.family === "shared" ? TARGETS.subnetByIpv4 : TARGETS.subnetByIpv4OrIpv6),
        weight: r.number(["weight"], 0, 100),
        adminStateUp: r.bool(["adminStateUp"]),
    });
}

export function monitor(c: Ctx): Monitor {
    const { r, resolve } = c;
    const shared = c.family === "shared";
    return entity(c, {
        kind: "monitor", family: c.family,
        pool: resolve.ref(["poolId"], TARGETS.pool),
        // Shared: type / delay / expectedCodes / adminStateUp (§4.5); dedicated: protocol / interval / statusCode / enabled (§5.5).
        protocol: r.oneOf([shared ? "type" : "protocol"], MONITOR_PROTOCOLS),
        port: r.number(["port"], 1, 65535),
        interval: r.number([shared ? "delay" : "interval"], 1, 50),
        timeout: r.number(["timeout"], 1, 50),
        maxRetries: r.number(["maxRetries"], 1, 10),
        urlPath: r.string(["urlPath"], 4096),
        // Dedicated only in the static SDK; the index style (current Terraform) has it for shared monitors too (§1).
        domainName: r.string(["domainName"], 1024),
        expectedCodes: r.string([shared ? "expectedCodes" : "statusCode"], 1024),
        enabled: r.bool([shared ? "adminStateUp" : "enabled"]),
    });
}

export function l7policy(c: Ctx): L7Policy {
    return entity(c, {
        kind: "l7policy", family: c.family,
        listener: c.resolve.ref(["listenerId"], TARGETS.listener),
        redirectPool: c.resolve.ref(["redirectPoolId"], TARGETS.pool),
    });
}
