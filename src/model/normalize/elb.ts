/**
 * Load balancing: both families (shared `Elb`, dedicated `DedicatedElb`), both token styles.
 * Property names and meanings: huaweicloud-resources.md §4 (shared) and §5 (dedicated).
 */
import type { L7Policy, Listener, LoadBalancer, Member, Monitor, Pool, Value } from "../types";
import { formatPath } from "../reader";
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
        // Dedicated only (§5.3): `dualstack` | `v6` | `v4`; `instance` | `ip` | empty.
        ipVersion: lower(c.family === "dedicated" && !r.unset(["ipVersion"]) ? r.oneOf(["ipVersion"], ["dualstack", "v6", "v4"] as const) : absent("ipVersion")),
        poolType: lower(c.family === "dedicated" && !r.unset(["type"]) ? r.oneOf(["type"], ["instance", "ip"] as const) : absent("type")),
    });
}

const lower = (v: Value<string>): Value<string> => (v.state === "known" ? { state: "known", value: v.value.toLowerCase() } : v);

/**
 * An active/standby pool (`huaweicloud_elb_active_standby_pool`): a dedicated pool with two inline members
 * (`members[]`, `role` master = active, slave = standby) and an inline `healthmonitor` that cannot be
 * disabled (elb_active_standby_pool docs; API: "默认开启健康检查,无法关闭"). Modelled as a pool, members
 * and a monitor, all on the pool's URN, so every member and check policy applies to both servers.
 */
export function activeStandbyPool(c: Ctx): Pool {
    const { r } = c;
    const p = pool(c);
    const self = { state: "resolved" as const, urn: c.base.urn, via: "id" as const, path: "" };
    const members: Member[] = [];
    const n = r.list(["members"], 16);
    for (let i = 0; n.state === "known" && i < n.value; i++) {
        const at = ["members", i] as const;
        const name = r.string([...at, "name"], 255);
        const role = r.oneOf([...at, "role"], ["master", "slave"] as const);
        const m: Member = {
            kind: "member", family: "dedicated",
            urn: c.base.urn, type: c.base.type, tags: c.base.tags,
            name: name.state === "known" && name.value.trim() !== "" ? name.value : `${c.base.name}.members[${i}]`,
            pool: { ...self, path: `members[${i}]` },
            address: r.address([...at, "address"]),
            port: r.number([...at, "protocolPort"], 0, 65535),
            // IPv4 or IPv6 subnet ID; absent = IP as a backend (as for DedicatedElb/member).
            subnet: r.unset([...at, "subnetId"]) ? absentRef(`members[${i}].subnetId`) : c.resolve.ref([...at, "subnetId"], TARGETS.subnetByIpv4OrIpv6),
            ...(() => {
                const literal = r.id([...at, "subnetId"]);
                return literal.state === "known" ? { subnetIdLiteral: literal.value } : {};
            })(),
            weight: absent(`members[${i}].weight`),
            adminStateUp: absent(`members[${i}].adminStateUp`),
            memberPath: `members[${i}]`,
        };
        if (c.base.id !== undefined) m.id = c.base.id;
        if (role.state === "known") m.role = role.value.toLowerCase() as "master" | "slave";
        members.push(m);
    }
    let monitor: Monitor | undefined;
    const hmKey = r.pick("healthmonitor", "healthmonitors");
    if (r.has([hmKey])) {
        const at = r.block(hmKey);
        const f = (k: string) => [...at, k];
        monitor = {
            kind: "monitor", family: "dedicated",
            urn: c.base.urn, type: c.base.type, name: `${c.base.name}.${hmKey}`, tags: c.base.tags,
            pool: self,
            protocol: r.oneOf(f("type"), MONITOR_PROTOCOLS),
            port: r.number(f("monitorPort"), 1, 65535),
            interval: r.number(f("delay"), 1, 50),
            timeout: r.number(f("timeout"), 1, 50),
            maxRetries: r.number(f("maxRetries"), 1, 10),
            urlPath: r.string(f("urlPath"), 4096),
            domainName: r.string(f("domainName"), 1024),
            expectedCodes: r.string(f("expectedCodes"), 1024),
            // The check of an active/standby pool cannot be disabled.
            enabled: { state: "known", value: true },
            inputPath: formatPath(at),
        };
        if (c.base.id !== undefined) monitor.id = c.base.id;
    }
    p.activeStandby = { members, monitor };
    return p;
}

export function member(c: Ctx): Member {
    const { r, resolve } = c;
    const literal = c.family === "dedicated" ? r.id(["subnetId"]) : undefined;
    const m: Member = entity(c, {
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
    if (literal?.state === "known") m.subnetIdLiteral = literal.value;
    return m;
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
