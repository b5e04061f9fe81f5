/**
 * The normalized topology: one typed, unknown-safe view of the planned network.
 * Built once per stack by `buildTopology` (topology.ts) from raw resources; everything
 * downstream (reach, policies, CLI) reads this and never raw properties.
 *
 * Every field read from a property is a `Value<T>` (known / unknown / absent / invalid) and
 * every cross-resource reference a `Ref`, so callers must handle what the plan cannot tell.
 */
import type { AddressSet } from "../net/addresses";
import type { PortSet } from "../net/ports";
import type { Protocol } from "../net/protocols";

// ---------------------------------------------------------------------------------------------
// Values and references

/** A property read. `path` is the property path, e.g. `networks[0].fixedIpV4`. */
export type Value<T> =
    | { state: "known"; value: T }
    | { state: "unknown"; path: string }
    | { state: "absent"; path: string }
    /** `expected` says what would have been valid; the value itself is never kept (it may be a secret). */
    | { state: "invalid"; path: string; expected: string };

/** A reference from one resource to another. */
export type Ref =
    /** Found in the plan: by a known literal ID, or (ID unknown) through the property's propertyDependencies. */
    | { state: "resolved"; urn: string; via: "id" | "dependency"; path: string }
    /** A known ID that no resource of the plan carries: an existing resource managed elsewhere. */
    | { state: "external"; id: string; path: string }
    /** Unknown ID and the propertyDependencies do not single out one resource of the right kind. */
    | { state: "unresolved"; reason: string; path: string }
    | { state: "absent"; path: string }
    | { state: "invalid"; path: string; expected: string };

/** A data problem found while reading: reported by policies as a clear diagnostic. */
export interface DataFinding {
    urn: string;
    type: string;
    name: string;
    /** Property path, e.g. `ingressRules[2].destinationPort`. */
    property: string;
    /** What a valid value looks like. Never the value itself. */
    expected: string;
}

// ---------------------------------------------------------------------------------------------
// Kinds

export type Family = "shared" | "dedicated";

export type ResourceKind =
    | "loadBalancer"
    | "listener"
    | "pool"
    | "member"
    | "monitor"
    | "whitelist"
    | "ipgroup"
    | "l7policy" // forwarding policy: can route a listener to a pool (redirectPoolId)
    | "activeStandbyPool"
    | "scalingGroup"
    | "scalingConfiguration"
    | "scalingAttach"
    | "vpc"
    | "subnet"
    | "securityGroup"
    | "securityGroupRule"
    | "addressGroup"
    | "networkAcl" // Vpc/networkAcl (rules inline)
    | "legacyAcl" // NetworkAcl/acl (rules by ID)
    | "legacyAclRule" // NetworkAcl/aclRule
    | "instance" // Ecs/instance
    | "interfaceAttach" // Ecs/interfaceAttach
    | "port" // Vpc/port
    | "networkInterface" // Vpc/networkInterface
    | "eip" // Vpc/eip
    | "eipAssociate" // Vpc/eipAssociate
    | "peering" // Vpc/peeringConnection
    | "peeringAccepter" // Vpc/peeringConnectionAccepter
    | "route" // Vpc/route
    | "routeTable"; // Vpc/routeTable

export interface EntityBase {
    urn: string;
    type: string;
    /** Logical (Pulumi) name. */
    name: string;
    /** Known string tags; `elb-health-exempt` is read from here. */
    tags: Record<string, string>;
    /** Known literal `id` output, if any. */
    id?: string;
}

// ---------------------------------------------------------------------------------------------
// Load balancing

export interface LoadBalancer extends EntityBase {
    kind: "loadBalancer";
    family: Family;
    vpc: Ref; // dedicated vpcId
    /** Shared `vipSubnetId`, dedicated `ipv4SubnetId`: a Subnet's ipv4SubnetId. */
    ipv4Subnet: Ref;
    /** Dedicated `ipv6NetworkId`: a Subnet's id. */
    ipv6Network: Ref;
    /** Dedicated `backendSubnets` (Subnet ids); absent = the defaults of the docs. */
    backendSubnets: Value<Ref[]>;
    /** A private IPv4 VIP exists (shared: always, via vipSubnetId; dedicated: ipv4SubnetId set). */
    privateIpv4: Value<boolean>;
    /** An EIP is bound on the resource itself (dedicated ipv4EipId / iptype, outputs publicIp / ipv4Eip). Associations are in Topology. */
    eipOnResource: Value<boolean>;
    /** Dedicated "IP as a backend". */
    crossVpcBackend: Value<boolean>;
}

export interface Listener extends EntityBase {
    kind: "listener";
    family: Family;
    /** Upper-case: TCP, UDP, HTTP, HTTPS, TERMINATED_HTTPS, QUIC, TLS, IP. */
    protocol: Value<string>;
    port: Value<number>;
    loadBalancer: Ref;
    defaultPool: Ref;
    /** `transparentClientIpEnable` (bool, or "true"/"false" in newer Terraform): absent in the static SDK. */
    transparentClientIp: Value<boolean>;
}

export interface Pool extends EntityBase {
    kind: "pool";
    family: Family;
    /** Upper-case: TCP, UDP, HTTP, HTTPS, QUIC, GRPC, TLS, IP. */
    protocol: Value<string>;
    listener: Ref;
    loadBalancer: Ref;
    anyPortEnable: Value<boolean>;
    /** Dedicated `ipVersion`: `dualstack`, `v6` or `v4` (lower-case); absent on shared pools. */
    ipVersion: Value<string>;
    /** Dedicated pool `type`: `instance` or `ip` (lower-case); absent/empty = any backend kind. */
    poolType: Value<string>;
    /** An active/standby pool (`DedicatedElb/activeStandbyPool`): its two inline members and its inline health check. */
    activeStandby?: { members: Member[]; monitor?: Monitor };
}

export interface Member extends EntityBase {
    kind: "member";
    family: Family;
    pool: Ref;
    address: Value<string>;
    port: Value<number>;
    /** A Subnet's ipv4SubnetId (or ipv6SubnetId); absent on a dedicated member = IP-as-a-backend. */
    subnet: Ref;
    weight: Value<number>;
    adminStateUp: Value<boolean>;
    /**
     * Set on the members an AS group registers (one per `lbaasListeners` entry): the group, and the
     * server when it is an instance attached to the group (else the member stands for the instances
     * the group launches, on the group's NIC).
     */
    scalingGroup?: ScalingGroup;
    attachedServer?: Server;
    /** An instance attachment whose group or instance cannot be resolved: why (the member is undetermined). */
    attachProblem?: string;
    /** A dedicated member's `subnetId` when known: compared with the subnet's ipv6SubnetId (an IPv6 member names its IPv6 subnet). */
    subnetIdLiteral?: string;
    /** The IP version registered when the address is not known (AS groups: `protocolVersion`). */
    ipVersion?: 4 | 6;
    /** Members of an active/standby pool: `master` (active) or `slave` (standby). */
    role?: "master" | "slave";
    /** An inline member (active/standby pool): where it is declared in the pool resource, `members[0]`. */
    memberPath?: string;
}

/** An AS group: every instance it launches gets `nic` and is registered in each pool of `registrations`. */
export interface ScalingGroup extends EntityBase {
    kind: "scalingGroup";
    /** The instances' NIC in the first network, the one registered with the load balancers (assumption). */
    nic: Nic;
    configuration: Ref;
    registrations: { path: string; pool: Ref; port: Value<number>; weight: Value<number>; ipVersion: Value<string> }[];
}

/** An existing ECS instance added to an AS group (`huaweicloud_as_instance_attach`): registered in the group's pools too. */
export interface ScalingAttach extends EntityBase {
    kind: "scalingAttach";
    group: Ref;
    instance: Ref;
}

/** An AS configuration: the security groups its instances get (they take precedence over the AS group's). */
export interface ScalingConfiguration extends EntityBase {
    kind: "scalingConfiguration";
    securityGroups: Value<Ref[]>;
    /** instanceConfig.instanceId: an instance used as the template; its settings replace securityGroupIds. */
    template: Ref;
}

export interface Monitor extends EntityBase {
    kind: "monitor";
    family: Family;
    pool: Ref;
    /** Shared `type`, dedicated `protocol`; upper-case: TCP, UDP_CONNECT, HTTP, HTTPS, GRPC, TLS. */
    protocol: Value<string>;
    port: Value<number>;
    /** Shared `delay`, dedicated `interval` (seconds). */
    interval: Value<number>;
    timeout: Value<number>;
    maxRetries: Value<number>;
    urlPath: Value<string>;
    domainName: Value<string>;
    /** Shared `expectedCodes`, dedicated `statusCode`. */
    expectedCodes: Value<string>;
    /** Shared `adminStateUp`, dedicated `enabled`; absent = enabled. */
    enabled: Value<boolean>;
    /** An inline check (active/standby pool): the input that holds it, `healthmonitor` or `healthmonitor[0]`. */
    inputPath?: string;
}

/** A forwarding policy: a listener routes to `redirectPool` through it, which associates the pool. */
export interface L7Policy extends EntityBase {
    kind: "l7policy";
    family: Family;
    listener: Ref;
    redirectPool: Ref;
}

// ---------------------------------------------------------------------------------------------
// Network

export interface Vpc extends EntityBase {
    kind: "vpc";
    cidr: Value<AddressSet>;
    secondaryCidrs: Value<AddressSet>;
}

export interface Subnet extends EntityBase {
    kind: "subnet";
    vpc: Ref;
    cidr: Value<AddressSet>;
    ipv6Cidr: Value<AddressSet>;
    /** The `ipv6Enable` input: a dual-stack subnet (its ipv6Cidr is computed, so unknown at preview). */
    ipv6Enable: Value<boolean>;
    /** Known literal `ipv4SubnetId` (and its alias `subnetId`) and `ipv6SubnetId` outputs. */
    ipv4SubnetId?: string;
    ipv6SubnetId?: string;
}

export interface SecurityGroup extends EntityBase {
    kind: "securityGroup";
    /** The `name` property: ECS `securityGroups` refers to groups by it. */
    groupName: Value<string>;
    /** true = the cloud's default rules are removed right after creation. */
    deleteDefaultRules: Value<boolean>;
}

/** One address condition of a rule. Several on one rule: see reach/match.ts for the reading. */
export type Remote =
    /**
     * `fromSubnet`: the prefix is unknown at preview and its only dependency is that subnet (its URN): the
     * value is taken to be the subnet's computed IPv6 CIDR (docs/assumptions.md 40).
     */
    | { kind: "cidr"; set: Value<AddressSet>; fromSubnet?: string }
    | { kind: "group"; group: Ref }
    | { kind: "addressGroup"; group: Ref };

/** An ICMP type, and its code when the rule names one. */
export interface IcmpTypeCode {
    type: number;
    code?: number;
}

export interface SecurityGroupRule extends EntityBase {
    kind: "securityGroupRule";
    group: Ref;
    direction: Value<"ingress" | "egress">;
    ethertype: Value<4 | 6>;
    /** Absent protocol = all protocols ("any"). */
    protocol: Value<Protocol>;
    /** From `ports` or `portRangeMin`/`portRangeMax`; absent = all ports. On an ICMP rule only `ports`: see icmpType. */
    ports: Value<PortSet>;
    /**
     * An ICMP rule's `portRangeMin`/`portRangeMax`: the ICMP type and code (VPC API; the console's
     * "Echo" is type 8 code 0). Absent = every type and code.
     */
    icmpType?: Value<IcmpTypeCode>;
    /** Empty = any address of the rule's ethertype. */
    remotes: Remote[];
    /** Absent = allow. */
    action: Value<"allow" | "deny">;
    /** 1 (highest) – 100; absent = 1 (TF doc; see docs/assumptions). */
    priority: Value<number>;
}

export interface AddressGroup extends EntityBase {
    kind: "addressGroup";
    ipVersion: Value<4 | 6>;
    /** `addresses` or `ipExtraSets[].ip`, parsed. */
    addresses: Value<AddressSet>;
}

/** One rule of a network ACL in evaluation order, from either ACL resource style. */
export interface AclRule {
    /** Where it is declared: the ACL's URN and `ingressRules[3]`, or the legacy AclRule's URN. */
    urn: string;
    path: string;
    /** Human label: rule name if known, else the path. */
    label: string;
    action: Value<"allow" | "deny">;
    protocol: Value<Protocol>;
    ipVersion: Value<4 | 6>;
    /** Absent address / port = any. */
    source: Value<AddressSet>;
    destination: Value<AddressSet>;
    sourcePorts: Value<PortSet>;
    destinationPorts: Value<PortSet>;
    /** Legacy rules can be disabled (skipped). */
    enabled: Value<boolean>;
    /** The source address is unknown at preview and its only dependency is that subnet (URN): taken to be its IPv6 CIDR (assumption 40). */
    sourceFromSubnet?: string;
    /** Address-group references (v3 ACL), resolved in topology. */
    sourceAddressGroup?: Ref;
    destinationAddressGroup?: Ref;
}

/** A deprecated `NetworkAcl/aclRule`: does nothing until an `NetworkAcl/acl` lists it. */
export interface LegacyAclRule extends EntityBase {
    kind: "legacyAclRule";
    rule: AclRule;
}

export interface NetworkAcl extends EntityBase {
    kind: "networkAcl" | "legacyAcl";
    /** Absent = enabled. Legacy ACLs have no flag. */
    enabled: Value<boolean>;
    /** Subnet ids (`associatedSubnets[].subnetId` / legacy `subnets`). */
    subnets: Value<Ref[]>;
    /** Ordered. For legacy ACLs, the referenced AclRule resources in `inboundRules` order (unresolvable ones make `ingress` unknown). */
    ingress: Value<AclRule[]>;
    egress: Value<AclRule[]>;
}

// ---------------------------------------------------------------------------------------------
// Compute

/** A network interface of a server: ECS `networks[i]`, an InterfaceAttach, a Port or a NetworkInterface. */
export interface Nic {
    /** URN of the resource declaring it and the path inside it. */
    urn: string;
    path: string;
    /** Subnet `id` (network id). */
    subnet: Ref;
    fixedIpV4: Value<string>;
    /** ECS `networks[].ipv6Enable` (absent = false), InterfaceAttach `ipv6Enable`: whether the NIC has an IPv6 address at all. */
    ipv6Enable?: Value<boolean>;
    /** The NIC's IPv6 address: ECS `networks[].fixedIpV6` (output; `accessIpV6` for the primary NIC), InterfaceAttach `fixedIpv6`, a Port's IPv6 fixed IP. */
    fixedIpV6?: Value<string>;
    /** Security groups in binding order. Absent = the cloud's default group (see reach). */
    securityGroups: Value<Ref[]>;
}

export interface Server extends EntityBase {
    kind: "instance";
    nics: Nic[];
    /** `userData` text, only for the host-firewall hints; never printed. */
    userData: Value<string>;
    /** `powerAction` (ON, OFF, REBOOT, FORCE-OFF, FORCE-REBOOT), upper-case: a stopped server is reported OFFLINE. */
    powerAction: Value<string>;
}

export interface StandaloneNic extends EntityBase {
    kind: "port" | "networkInterface" | "interfaceAttach";
    nic: Nic;
    /** The server it belongs to: interfaceAttach `instanceId`; output `deviceId` (port) / `instanceId` (network interface); or an InterfaceAttach naming this port. */
    instance: Ref;
    /** interfaceAttach `portId`: an existing Port / NetworkInterface attached to the instance (that resource then carries the NIC). */
    port?: Ref;
}

export interface Eip extends EntityBase {
    kind: "eip";
    /** `publicip.portId`: the port it is bound to. */
    port: Ref;
    /** Known `address` output. */
    address?: string;
}

export interface EipAssociate extends EntityBase {
    kind: "eipAssociate";
    /** `portId`: for a shared LB, its `vipPortId`. */
    port: Ref;
    /** The EIP through `publicIp` (an address) — resolved by address or dependency. */
    eip: Ref;
}

/** A VPC peering connection (`huaweicloud_vpc_peering_connection`): `vpcId` ↔ `peerVpcId`. */
export interface Peering extends EntityBase {
    kind: "peering";
    vpc: Ref;
    peerVpc: Ref;
    /** `peerTenantId`: set = the peer VPC belongs to another account (it must accept). */
    crossTenant: boolean;
}

/** Accepts a peering request from another account (`huaweicloud_vpc_peering_connection_accepter`). */
export interface PeeringAccepter extends EntityBase {
    kind: "peeringAccepter";
    peering: Ref;
    /** `accept`: false rejects the request. */
    accept: Value<boolean>;
}

/** One route: a `Vpc/route`, or one of a route table's `routes[]`. */
export interface VpcRoute {
    urn: string;
    /** "" for a Vpc/route resource, `routes[2]` in a route table. */
    path: string;
    vpc: Ref;
    destination: Value<AddressSet>;
    /** `type`, lower-case: `peering`, `ecs`, `eni`, `vip`, `nat`, `vpn`, `dc`, `cc`, ... */
    routeType: Value<string>;
    /** `nexthop`: for `peering` routes, the peering connection's ID. */
    nexthop: Ref;
    /** The route table holding it: a route table's own routes, or a Vpc/route's `routeTableId` (absent = the VPC's default table). */
    table: Ref;
}

export interface Route extends EntityBase {
    kind: "route" | "routeTable";
    routes: VpcRoute[];
    /**
     * A custom route table's `subnets` (subnet ids): its routes apply only to traffic leaving them (route_table
     * docs: "The custom route table associated with a subnet affects only the outbound traffic").
     */
    subnets?: Value<Ref[]>;
}

export type Entity =
    | LoadBalancer
    | Listener
    | Pool
    | Member
    | Monitor
    | L7Policy
    | Vpc
    | Subnet
    | SecurityGroup
    | SecurityGroupRule
    | AddressGroup
    | NetworkAcl
    | LegacyAclRule
    | Server
    | StandaloneNic
    | Eip
    | EipAssociate
    | ScalingGroup
    | ScalingConfiguration
    | ScalingAttach
    | Peering
    | PeeringAccepter
    | Route;

/** The entity type whose `kind` includes K (StandaloneNic and NetworkAcl each cover several kinds). */
export type EntityOfKind<K extends Entity["kind"]> = OfKind<Entity, K>;
type OfKind<E, K> = E extends { kind: infer EK } ? (K extends EK ? E : never) : never;

// ---------------------------------------------------------------------------------------------
// Raw input

/** A resource as any front end hands it over: CrossGuard stack resources, plan files, tests. */
export interface RawResource {
    urn: string;
    type: string;
    name: string;
    /** Outputs (or inputs); a plain object or the policy SDK's unknown-checking proxy. */
    props: unknown;
    /** Property name → URNs its value came from. */
    propertyDependencies?: Record<string, readonly string[]>;
}
