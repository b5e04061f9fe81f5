/**
 * The example web tier: a VPC with a web subnet (load balancers) and an app subnet (backends),
 * a shared ELB serving HTTP with a health check on a separate port, a dedicated ELB serving a UDP
 * game port with a UDP_CONNECT check, ECS backends in security groups, and a network ACL on the
 * app subnet.
 *
 * variant "correct": every health check can reach its members.
 * variant "broken": the mistakes from Huawei's troubleshooting list, one per check:
 *   a pool with no listener; a UDP load balancer with no private IP or EIP; a relative check
 *   path and a timeout longer than the interval; a security group that admits only
 *   100.125.0.0/16 on the member port (not 100.126.0.0/16, not the check port 8080); UDP without
 *   ICMP; an ACL rule that denies 100.126.0.0/16 ahead of the allow rule.
 */
import type * as pulumi from "@pulumi/pulumi";
import * as hw from "./huaweicloud";

export type Variant = "correct" | "broken";

const SHARED_ELB_SOURCES = ["100.125.0.0/16", "100.126.0.0/16"];
const WEB_CIDR = "192.168.1.0/24";
const HTTP_PORT = 80;
const HEALTH_PORT = 8080;
const GAME_PORT = 27015;

export interface WebTierOptions {
    /** Sources of the web security group's ingress rules, one rule each (default: by variant). */
    webSgSources?: string[];
    /** The game server's admin password (a secret in stack config). */
    adminPass?: pulumi.Input<string>;
}

export function webTier(variant: Variant, opts: WebTierOptions = {}) {
    const broken = variant === "broken";

    const vpc = new hw.Vpc("vpc", { name: "web-tier", cidr: "192.168.0.0/16" });
    const webSubnet = new hw.Subnet("web-subnet", { name: "web", vpcId: vpc.id, cidr: WEB_CIDR, gatewayIp: "192.168.1.1" });
    const appSubnet = new hw.Subnet("app-subnet", { name: "app", vpcId: vpc.id, cidr: "192.168.2.0/24", gatewayIp: "192.168.2.1" });

    // --- Security groups of the backends ---------------------------------------------------
    const webSg = new hw.Secgroup("web-sg", { name: "web-sg", description: "HTTP backends behind the shared ELB" });
    const webSources = opts.webSgSources ?? (broken ? ["100.125.0.0/16"] : SHARED_ELB_SOURCES);
    for (const [i, cidr] of webSources.entries()) {
        new hw.SecgroupRule(`web-sg-http-${i}`, {
            securityGroupId: webSg.id, direction: "ingress", ethertype: "IPv4", protocol: "tcp",
            ports: broken ? `${HTTP_PORT}` : `${HTTP_PORT},${HEALTH_PORT}`, remoteIpPrefix: cidr, action: "allow", priority: 1,
        });
    }

    const gameSg = new hw.Secgroup("game-sg", { name: "game-sg", description: "UDP game servers behind the dedicated ELB" });
    new hw.SecgroupRule("game-sg-udp", {
        securityGroupId: gameSg.id, direction: "ingress", ethertype: "IPv4", protocol: "udp", ports: `${GAME_PORT}`, remoteIpPrefix: WEB_CIDR,
    });
    if (!broken) {
        // UDP health checks also need ICMP (seed: "the rule must allow inbound ICMP traffic").
        new hw.SecgroupRule("game-sg-icmp", { securityGroupId: gameSg.id, direction: "ingress", ethertype: "IPv4", protocol: "icmp", remoteIpPrefix: WEB_CIDR });
    }

    // --- Network ACL on the app subnet -------------------------------------------------------
    const aclIngress: hw.AclRuleArgs[] = [
        ...(broken ? [{ name: "deny-scanners", action: "deny" as const, protocol: "tcp", ipVersion: 4 as const, sourceIpAddress: "100.126.0.0/16" }] : []),
        ...SHARED_ELB_SOURCES.map((cidr, i) => ({ name: `allow-elb-${i}`, action: "allow" as const, protocol: "tcp", ipVersion: 4 as const, sourceIpAddress: cidr, destinationPort: `${HTTP_PORT},${HEALTH_PORT}` })),
        { name: "allow-game", action: "allow", protocol: "udp", ipVersion: 4, sourceIpAddress: WEB_CIDR, destinationPort: `${GAME_PORT}` },
        { name: "allow-icmp", action: "allow", protocol: "icmp", ipVersion: 4, sourceIpAddress: WEB_CIDR },
    ];
    new hw.NetworkAcl("app-acl", {
        name: "app-acl",
        ingressRules: aclIngress,
        egressRules: [{ name: "allow-all-out", action: "allow", protocol: "any", ipVersion: 4, destinationIpAddress: "0.0.0.0/0" }],
        associatedSubnets: [{ subnetId: appSubnet.id }],
    });

    // --- Backends ----------------------------------------------------------------------------
    // Plain loops, not callbacks: the SDK records a resource's source position only from a named
    // frame, so resources declared inside arrow functions get none (docs/real-engine.md).
    const webServers: InstanceType<typeof hw.Instance>[] = [];
    for (const [i, host] of [10, 11].entries()) {
        webServers.push(
            new hw.Instance(`web-${i}`, {
                name: `web-${i}`, imageName: "Ubuntu 22.04 server 64bit", flavorName: "s6.small.1", availabilityZone: "cn-north-4a",
                networks: [{ uuid: appSubnet.id, fixedIpV4: `192.168.2.${host}` }],
                securityGroupIds: [webSg.id],
                userData: "#!/bin/bash\napt-get install -y nginx\n",
            }),
        );
    }
    const gameServer = new hw.Instance("game-0", {
        name: "game-0", imageName: "Ubuntu 22.04 server 64bit", flavorName: "c7.large.2", availabilityZone: "cn-north-4a",
        networks: [{ uuid: appSubnet.id, fixedIpV4: "192.168.2.20" }],
        securityGroupIds: [gameSg.id],
        ...(opts.adminPass === undefined ? {} : { adminPass: opts.adminPass }),
    });

    // --- Shared ELB: HTTP on 80, health check on 8080 ---------------------------------------
    const sharedLb = new hw.SharedLoadbalancer("web-lb", { name: "web-lb", vipSubnetId: webSubnet.ipv4SubnetId });
    const httpListener = new hw.SharedListener("web-http", { name: "web-http", protocol: "HTTP", protocolPort: HTTP_PORT, loadbalancerId: sharedLb.id });
    const webPool = new hw.SharedPool("web-pool", { name: "web-pool", protocol: "HTTP", lbMethod: "ROUND_ROBIN", listenerId: httpListener.id });
    new hw.SharedMonitor("web-check", {
        name: "web-check", poolId: webPool.id, type: "HTTP", port: HEALTH_PORT,
        urlPath: broken ? "healthz" : "/healthz", delay: 5, timeout: broken ? 10 : 3, maxRetries: 3,
    });
    for (const [i, server] of webServers.entries()) {
        new hw.SharedMember(`web-member-${i}`, { poolId: webPool.id, address: server.accessIpV4, protocolPort: HTTP_PORT, subnetId: appSubnet.ipv4SubnetId });
    }
    if (broken) {
        // A second pool for an API that was never wired to a listener.
        const apiPool = new hw.SharedPool("api-pool", { name: "api-pool", protocol: "HTTP", lbMethod: "ROUND_ROBIN", loadbalancerId: sharedLb.id });
        new hw.SharedMember("api-member", { poolId: apiPool.id, address: webServers[0].accessIpV4, protocolPort: 8081, subnetId: appSubnet.ipv4SubnetId });
    }

    // --- Dedicated ELB: UDP game port with a UDP_CONNECT check --------------------------------
    const dedicatedLb = new hw.DedicatedLoadbalancer("game-lb", {
        name: "game-lb", availabilityZones: ["cn-north-4a"], vpcId: vpc.id,
        // Broken: no ipv4SubnetId and no EIP, so the UDP listener's checks fail.
        ...(broken ? {} : { ipv4SubnetId: webSubnet.ipv4SubnetId }),
        backendSubnets: [webSubnet.id],
    });
    const udpListener = new hw.DedicatedListener("game-udp", { name: "game-udp", protocol: "UDP", protocolPort: GAME_PORT, loadbalancerId: dedicatedLb.id });
    const gamePool = new hw.DedicatedPool("game-pool", { name: "game-pool", protocol: "UDP", lbMethod: "ROUND_ROBIN", listenerId: udpListener.id });
    new hw.DedicatedMonitor("game-check", { name: "game-check", poolId: gamePool.id, protocol: "UDP_CONNECT", interval: 5, timeout: 3, maxRetries: 3 });
    new hw.DedicatedMember("game-member-0", { poolId: gamePool.id, address: gameServer.accessIpV4, protocolPort: GAME_PORT, subnetId: appSubnet.ipv4SubnetId });

    return { sharedLbId: sharedLb.id, dedicatedLbId: dedicatedLb.id };
}
