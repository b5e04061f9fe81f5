/**
 * The topology interface: normalized entities plus the links between them, all computed once,
 * in time linear in the number of resources (indexes by URN, by literal ID, by subnet ID kind,
 * by security-group name, by NIC address). Implemented in build.ts (`buildTopology`).
 */
import type {
    AddressGroup,
    ScalingGroup,
    DataFinding,
    Entity,
    EntityOfKind,
    EipAssociate,
    Eip,
    Listener,
    LoadBalancer,
    Member,
    Monitor,
    NetworkAcl,
    Nic,
    Peering,
    PeeringAccepter,
    Pool,
    Ref,
    SecurityGroup,
    SecurityGroupRule,
    Server,
    StandaloneNic,
    Subnet,
    Value,
    Vpc,
    Route,
    VpcRoute,
} from "./types";

/** Where a member's address lives. */
export type Backend =
    /** A NIC of a server (or a standalone port / network interface) in the plan carries the address. */
    | { state: "nic"; nic: Nic; server?: Server; holder: Server | StandaloneNic | ScalingGroup }
    /** The address is known and no NIC in the plan carries it: a server outside this stack, or IP as a backend. */
    | { state: "outside"; address: string }
    /** Cannot tell (address unknown and no dependency leads to a NIC, or several NICs match). */
    | { state: "unresolved"; reason: string };

/** How a subnet is protected by network ACLs. */
export type SubnetAcl =
    | { state: "none" }
    | { state: "acl"; acl: NetworkAcl }
    /** An ACL in the plan may cover the subnet but its associations are unknown. */
    | { state: "unresolved"; reason: string; acl: NetworkAcl };

export interface Topology {
    readonly byUrn: ReadonlyMap<string, Entity>;
    /** Invalid values met while reading, one per resource and property. */
    readonly findings: readonly DataFinding[];

    readonly loadBalancers: readonly LoadBalancer[];
    readonly listeners: readonly Listener[];
    readonly pools: readonly Pool[];
    readonly members: readonly Member[];
    readonly monitors: readonly Monitor[];
    readonly vpcs: readonly Vpc[];
    readonly subnets: readonly Subnet[];
    readonly securityGroups: readonly SecurityGroup[];
    readonly securityGroupRules: readonly SecurityGroupRule[];
    readonly addressGroups: readonly AddressGroup[];
    readonly networkAcls: readonly NetworkAcl[];
    readonly servers: readonly Server[];
    readonly standaloneNics: readonly StandaloneNic[];
    readonly eips: readonly Eip[];
    readonly eipAssociations: readonly EipAssociate[];
    readonly peerings: readonly Peering[];
    readonly peeringAccepters: readonly PeeringAccepter[];
    /** Every route: Vpc/route resources and the routes[] of route tables. */
    readonly routes: readonly VpcRoute[];
    /** Custom route tables (their `subnets` say which subnets' outbound traffic their routes steer). */
    readonly routeTables: readonly Route[];

    /** The entity a resolved reference points at, if it is of the expected kind. */
    deref<K extends Entity["kind"]>(ref: Ref, kind: K): EntityOfKind<K> | undefined;

    /** Listeners that route to the pool: `pool.listener`, or any listener whose `defaultPool` is the pool. */
    listenersOfPool(pool: Pool): Listener[];
    /** The pool's load balancer: `pool.loadBalancer`, else the load balancer of its listener. */
    loadBalancerOfPool(pool: Pool): LoadBalancer | undefined;
    membersOfPool(pool: Pool): Member[];
    monitorsOfPool(pool: Pool): Monitor[];
    /** The pool a member belongs to (resolved `member.pool`). */
    poolOfMember(member: Member): Pool | undefined;
    /** Subnet of a member, through `member.subnet` (an ipv4SubnetId / ipv6SubnetId). */
    subnetOfMember(member: Member): Subnet | undefined;
    backendOfMember(member: Member): Backend;
    /** Subnet of a NIC, through its subnet `id`. */
    subnetOfNic(nic: Nic): Subnet | undefined;
    /** Rules whose `group` resolves to the security group, in declaration order. */
    rulesOfGroup(group: SecurityGroup): SecurityGroupRule[];
    /** Security groups of a NIC in binding order: each resolved, external (by ID or name) or unresolved. */
    groupsOfNic(nic: Nic): Value<Ref[]>;
    aclOfSubnet(subnet: Subnet): SubnetAcl;
    /** Subnets the load balancer sends health checks from (dedicated): backendSubnets, else the documented defaults. */
    backendSubnetsOfLoadBalancer(lb: LoadBalancer): Value<Subnet[]>;
    /** Whether an EIP is bound to the load balancer, on the resource or by an association / EIP port binding. */
    hasEip(lb: LoadBalancer): Value<boolean>;
}
