/**
 * A small typed stand-in for the Huawei Cloud provider SDK (@huaweicloudos/pulumi cannot be
 * installed here): the real type tokens and input property names (huaweicloud-resources.md),
 * registered as plain CustomResources. Only the inputs and outputs this example uses are typed.
 */
import * as pulumi from "@pulumi/pulumi";

/** Like the generated SDKs: every input, nested ones too, may be an Output. */
type DeepInput<T> = T extends (infer U)[] ? pulumi.Input<DeepInput<U>>[] : T extends object ? { [K in keyof T]: pulumi.Input<DeepInput<T[K]>> } : T;
type Inputs<T> = { [K in keyof T]: pulumi.Input<DeepInput<T[K]>> };

function resource<Args extends object, Out extends string>(token: string, outputs: readonly Out[]) {
    class HuaweiResource extends pulumi.CustomResource {
        static readonly __pulumiType = token;
        constructor(name: string, args: Inputs<Args>, opts?: pulumi.CustomResourceOptions) {
            // Declared outputs are passed as undefined so the engine (or the mocks) fills them in.
            const props: Record<string, unknown> = { ...args };
            for (const o of outputs) if (!(o in props)) props[o] = undefined;
            super(token, name, props, opts);
        }
    }
    return HuaweiResource as unknown as new (name: string, args: Inputs<Args>, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource & { [K in Out]: pulumi.Output<string> };
}

export const Vpc = resource<{ name?: string; cidr: string }, "cidr">("huaweicloud:Vpc/vpc:Vpc", ["cidr"]);

export const Subnet = resource<{ name?: string; vpcId: string; cidr: string; gatewayIp: string }, "ipv4SubnetId" | "cidr">(
    "huaweicloud:Vpc/subnet:Subnet",
    ["ipv4SubnetId", "cidr"],
);

export const Secgroup = resource<{ name?: string; description?: string; deleteDefaultRules?: boolean }, "name">("huaweicloud:Vpc/secgroup:Secgroup", ["name"]);

export const SecgroupRule = resource<
    {
        securityGroupId: string;
        direction: "ingress" | "egress";
        ethertype: "IPv4" | "IPv6";
        protocol?: string;
        ports?: string;
        portRangeMin?: number;
        portRangeMax?: number;
        remoteIpPrefix?: string;
        remoteGroupId?: string;
        action?: "allow" | "deny";
        priority?: number;
        description?: string;
    },
    never
>("huaweicloud:Vpc/secgroupRule:SecgroupRule", []);

export interface AclRuleArgs {
    name?: string;
    action: "allow" | "deny";
    protocol: string;
    ipVersion: 4 | 6;
    sourceIpAddress?: string;
    destinationIpAddress?: string;
    sourcePort?: string;
    destinationPort?: string;
}
export const NetworkAcl = resource<{ name?: string; enabled?: boolean; ingressRules?: AclRuleArgs[]; egressRules?: AclRuleArgs[]; associatedSubnets?: { subnetId: string }[] }, never>(
    "huaweicloud:Vpc/networkAcl:NetworkAcl",
    [],
);

export const Instance = resource<
    {
        name?: string;
        imageName?: string;
        flavorName?: string;
        availabilityZone?: string;
        networks: { uuid: string; fixedIpV4?: string }[];
        securityGroupIds?: string[];
        userData?: string;
        adminPass?: string;
    },
    "accessIpV4"
>("huaweicloud:Ecs/instance:Instance", ["accessIpV4"]);

// Shared ELB (module Elb)
export const SharedLoadbalancer = resource<{ name?: string; vipSubnetId: string }, "vipPortId" | "vipAddress">("huaweicloud:Elb/loadbalancer:Loadbalancer", ["vipPortId", "vipAddress"]);
export const SharedListener = resource<{ name?: string; protocol: string; protocolPort: number; loadbalancerId: string; defaultPoolId?: string }, never>("huaweicloud:Elb/listener:Listener", []);
export const SharedPool = resource<{ name?: string; protocol: string; lbMethod: string; listenerId?: string; loadbalancerId?: string }, never>("huaweicloud:Elb/pool:Pool", []);
export const SharedMember = resource<{ name?: string; poolId: string; address: string; protocolPort: number; subnetId: string; weight?: number }, never>("huaweicloud:Elb/member:Member", []);
export const SharedMonitor = resource<
    { name?: string; poolId: string; type: string; delay: number; timeout: number; maxRetries: number; port?: number; urlPath?: string; expectedCodes?: string },
    never
>("huaweicloud:Elb/monitor:Monitor", []);

// Dedicated ELB (module DedicatedElb)
export const DedicatedLoadbalancer = resource<
    { name?: string; availabilityZones: string[]; vpcId?: string; ipv4SubnetId?: string; backendSubnets?: string[]; ipv4EipId?: string },
    "ipv4Address"
>("huaweicloud:DedicatedElb/loadbalancer:Loadbalancer", ["ipv4Address"]);
export const DedicatedListener = resource<{ name?: string; protocol: string; protocolPort: number; loadbalancerId: string; defaultPoolId?: string }, never>("huaweicloud:DedicatedElb/listener:Listener", []);
export const DedicatedPool = resource<{ name?: string; protocol: string; lbMethod: string; listenerId?: string; loadbalancerId?: string }, never>("huaweicloud:DedicatedElb/pool:Pool", []);
export const DedicatedMember = resource<{ name?: string; poolId: string; address: string; protocolPort: number; subnetId?: string; weight?: number }, never>("huaweicloud:DedicatedElb/member:Member", []);
export const DedicatedMonitor = resource<
    { name?: string; poolId: string; protocol: string; interval: number; timeout: number; maxRetries: number; port?: number; urlPath?: string; statusCode?: string },
    never
>("huaweicloud:DedicatedElb/monitor:Monitor", []);

/**
 * What the provider would compute for an existing resource (known-ids capture mode): enough for
 * references between resources to hold literal, consistent values.
 */
export function knownOutputs(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    if (type === "huaweicloud:Vpc/subnet:Subnet") return { ipv4SubnetId: `${name}-ipv4SubnetId` };
    if (type === "huaweicloud:Ecs/instance:Instance") {
        const networks = inputs.networks as { fixedIpV4?: string }[] | undefined;
        return { accessIpV4: networks?.[0]?.fixedIpV4 ?? "" };
    }
    if (type === "huaweicloud:Elb/loadbalancer:Loadbalancer") return { vipPortId: `${name}-vipPortId` };
    return {};
}
