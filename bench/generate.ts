/**
 * Synthetic but realistic Huawei stacks of a given size: VPCs with an app and an LB subnet and a
 * network ACL; per backend an ECS instance in a security group with several rules; shared and
 * dedicated load balancers with listeners, pools, monitors and members. About half of the cells
 * are "fresh" (IDs unknown, linked through propertyDependencies), half "existing" (literal IDs).
 */
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import type { Plan, PlanResource } from "../src/host/plan";

const PROJECT = "bench";
const STACK = "dev";
const urn = (type: string, name: string) => `urn:pulumi:${STACK}::${PROJECT}::${type}::${name}`;

export function generatePlan(target: number): Plan {
    const resources: PlanResource[] = [];
    const stackUrn = urn("pulumi:pulumi:Stack", `${PROJECT}-${STACK}`);
    const providerUrn = urn("pulumi:providers:huaweicloud", "default");
    resources.push({ urn: stackUrn, type: "pulumi:pulumi:Stack", name: `${PROJECT}-${STACK}`, custom: false, inputs: {}, outputs: {}, dependencies: [], propertyDependencies: {} });
    resources.push({ urn: providerUrn, type: "pulumi:providers:huaweicloud", name: "default", custom: true, inputs: { region: "cn-north-4" }, outputs: { region: "cn-north-4" }, dependencies: [], propertyDependencies: {} });

    let fresh = false;
    /** Adds a resource; `refs` maps property → [target name, output attribute]. */
    const add = (type: string, name: string, props: Record<string, unknown>, refs: Record<string, [string, string] | [string, string][]> = {}, computed: Record<string, string> = {}) => {
        const inputs: Record<string, unknown> = { ...props };
        const propertyDependencies: Record<string, string[]> = {};
        for (const [prop, ref] of Object.entries(refs)) {
            const list = (Array.isArray(ref[0]) ? ref : [ref]) as [string, string][];
            const values = list.map(([target, attr]) => (fresh ? unknownValue : `${target}-${attr}`));
            inputs[prop] = Array.isArray(ref[0]) ? values : values[0];
            propertyDependencies[prop] = list.map(([target]) => byName.get(target)!);
        }
        const outputs: Record<string, unknown> = { ...inputs, id: fresh ? unknownValue : `${name}-id` };
        for (const [k, v] of Object.entries(computed)) outputs[k] = fresh ? unknownValue : v;
        const u = urn(type, name);
        byName.set(name, u);
        resources.push({ urn: u, type, name, custom: true, parent: stackUrn, inputs, outputs, dependencies: [...new Set(Object.values(propertyDependencies).flat())], propertyDependencies, provider: `${providerUrn}::provider-id` });
    };
    const byName = new Map<string, string>();

    for (let v = 0; resources.length < target; v++) {
        fresh = v % 2 === 0;
        const vpc = `vpc${v}`;
        add("huaweicloud:Vpc/vpc:Vpc", vpc, { cidr: "10.0.0.0/8" });
        add("huaweicloud:Vpc/subnet:Subnet", `${vpc}-lb`, { cidr: `10.${v % 250}.0.0/24`, gatewayIp: `10.${v % 250}.0.1` }, { vpcId: [vpc, "id"] }, { ipv4SubnetId: `${vpc}-lb-ipv4SubnetId` });
        add("huaweicloud:Vpc/subnet:Subnet", `${vpc}-app`, { cidr: `10.${v % 250}.1.0/24`, gatewayIp: `10.${v % 250}.1.1` }, { vpcId: [vpc, "id"] }, { ipv4SubnetId: `${vpc}-app-ipv4SubnetId` });
        add("huaweicloud:Vpc/networkAcl:NetworkAcl", `${vpc}-acl`, {
            ingressRules: [
                { action: "deny", protocol: "tcp", ipVersion: 4, sourceIpAddress: "198.51.100.0/24" },
                { action: "allow", protocol: "tcp", ipVersion: 4, sourceIpAddress: "100.125.0.0/16", destinationPort: "80,8080" },
                { action: "allow", protocol: "tcp", ipVersion: 4, sourceIpAddress: "100.126.0.0/16", destinationPort: "80,8080" },
                { action: "allow", protocol: "any", ipVersion: 4, sourceIpAddress: `10.${v % 250}.0.0/24` },
            ],
            associatedSubnets: [{ subnetId: fresh ? unknownValue : `${vpc}-app-id` }],
        }, {});
        // associatedSubnets depends on the app subnet.
        resources[resources.length - 1].propertyDependencies.associatedSubnets = [byName.get(`${vpc}-app`)!];

        const shared = v % 3 !== 2;
        const lb = `${vpc}-lb0`;
        if (shared) {
            add("huaweicloud:Elb/loadbalancer:Loadbalancer", lb, {}, { vipSubnetId: [`${vpc}-lb`, "ipv4SubnetId"] }, { vipPortId: `${lb}-vipPortId` });
            add("huaweicloud:Elb/listener:Listener", `${lb}-http`, { protocol: "HTTP", protocolPort: 80 }, { loadbalancerId: [lb, "id"] });
            add("huaweicloud:Elb/pool:Pool", `${lb}-pool`, { protocol: "HTTP", lbMethod: "ROUND_ROBIN" }, { listenerId: [`${lb}-http`, "id"] });
            add("huaweicloud:Elb/monitor:Monitor", `${lb}-check`, { type: "HTTP", port: 8080, urlPath: "/healthz", delay: 5, timeout: 3, maxRetries: 3 }, { poolId: [`${lb}-pool`, "id"] });
        } else {
            add("huaweicloud:DedicatedElb/loadbalancer:Loadbalancer", lb, { availabilityZones: ["cn-north-4a"] }, { vpcId: [vpc, "id"], ipv4SubnetId: [`${vpc}-lb`, "ipv4SubnetId"], backendSubnets: [[`${vpc}-lb`, "id"]] });
            add("huaweicloud:DedicatedElb/listener:Listener", `${lb}-tcp`, { protocol: "TCP", protocolPort: 80 }, { loadbalancerId: [lb, "id"] });
            add("huaweicloud:DedicatedElb/pool:Pool", `${lb}-pool`, { protocol: "TCP", lbMethod: "ROUND_ROBIN" }, { listenerId: [`${lb}-tcp`, "id"] });
            add("huaweicloud:DedicatedElb/monitor:Monitor", `${lb}-check`, { protocol: "TCP", interval: 5, timeout: 3, maxRetries: 3 }, { poolId: [`${lb}-pool`, "id"] });
        }
        const sg = `${vpc}-sg`;
        add("huaweicloud:Vpc/secgroup:Secgroup", sg, { name: sg });
        const sources = shared ? ["100.125.0.0/16", "100.126.0.0/16"] : [`10.${v % 250}.0.0/24`];
        sources.forEach((cidr, i) => add("huaweicloud:Vpc/secgroupRule:SecgroupRule", `${sg}-hc${i}`, { direction: "ingress", ethertype: "IPv4", protocol: "tcp", ports: "80,8080", remoteIpPrefix: cidr, action: "allow", priority: 1 }, { securityGroupId: [sg, "id"] }));
        add("huaweicloud:Vpc/secgroupRule:SecgroupRule", `${sg}-ssh`, { direction: "ingress", ethertype: "IPv4", protocol: "tcp", ports: "22", remoteIpPrefix: "10.0.0.0/8" }, { securityGroupId: [sg, "id"] });
        add("huaweicloud:Vpc/secgroupRule:SecgroupRule", `${sg}-deny`, { direction: "ingress", ethertype: "IPv4", protocol: "tcp", ports: "3306", remoteIpPrefix: "0.0.0.0/0", action: "deny", priority: 1 }, { securityGroupId: [sg, "id"] });
        // Backends: instances and members until the VPC holds ~100 resources.
        for (let b = 0; b < 20 && resources.length < target; b++) {
            const vm = `${vpc}-vm${b}`;
            const ipAddr = `10.${v % 250}.1.${10 + b}`;
            add("huaweicloud:Ecs/instance:Instance", vm, { flavorName: "s6.small.1", imageName: "Ubuntu 22.04", networks: [{ uuid: fresh ? unknownValue : `${vpc}-app-id`, fixedIpV4: ipAddr }] }, { securityGroupIds: [[sg, "id"]] }, { accessIpV4: ipAddr });
            resources[resources.length - 1].propertyDependencies.networks = [byName.get(`${vpc}-app`)!];
            add(shared ? "huaweicloud:Elb/member:Member" : "huaweicloud:DedicatedElb/member:Member", `${vm}-member`, { protocolPort: 80, weight: 1 }, { poolId: [`${lb}-pool`, "id"], address: [vm, "accessIpV4"], subnetId: [`${vpc}-app`, "ipv4SubnetId"] });
            // In an existing stack the member's address is the literal IP.
            if (!fresh) resources[resources.length - 1].inputs.address = resources[resources.length - 1].outputs.address = ipAddr;
        }
    }
    return { version: 1, organization: "organization", project: PROJECT, stack: STACK, dryRun: true, resources };
}
