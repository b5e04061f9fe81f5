/** Results of the reachability core: one verdict per member, per check and per required flow. */
import type { AddressSet } from "../net/addresses";
import type { Backend } from "../model/topology";
import type { Family, LoadBalancer, Member, Monitor, Pool } from "../model/types";

export interface ReachConfig {
    sharedElbSourceRanges: AddressSet;
    dedicatedSource: "backend-subnet" | "vpc";
    /** Whether an ACL filters traffic between a dedicated LB and members of the same subnet (unconfirmed). */
    aclSameSubnet: "filtered" | "not-filtered";
}

export type Verdict = "reachable" | "partial" | "blocked" | "undetermined";

/** Traffic the load balancer must get through to the member: one protocol, one destination port. */
export interface Flow {
    /** IP protocol number: 6 TCP, 17 UDP, 1 ICMP. */
    protocol: number;
    /** Destination port (TCP/UDP). */
    port?: number;
    family: 4 | 6;
    sources: AddressSet;
    /** "shared ELB source ranges 100.125.0.0/16, 100.126.0.0/16", "backend subnet lb (192.168.1.0/24)". */
    sourceLabel: string;
    purpose: "health-check port" | "member port" | "ICMP for UDP health checks";
}

export type CheckKind = "security-group" | "network-acl" | "network-acl-lb-subnet";

export type Blocker =
    | { kind: "deny-rule"; urn: string; group: string; label: string; priority: number | "unknown" }
    | { kind: "no-rule"; groups: { urn: string; name: string }[] }
    | { kind: "acl-rule"; aclUrn: string; aclName: string; rulePath: string; label: string; shadowedRule?: string }
    | { kind: "acl-default-deny"; aclUrn: string; aclName: string; shadowedRule?: string };

export interface Witness {
    source: string;
    protocol: string;
    port?: number;
    sourcePort?: number;
}

export interface FlowCheck {
    kind: CheckKind;
    flow: Flow;
    state: Verdict;
    /** Sources admitted in every reading (the pessimistic bound). */
    admitted: AddressSet;
    /** Required sources blocked in every reading. */
    blocked: AddressSet;
    witness?: Witness;
    blockedBy?: Blocker;
    /** The minimal change that fixes it. */
    fix?: string;
    /** For undetermined: what could not be resolved. */
    reason?: string;
    assumptions: string[];
    /** The resource to look at: a security group or an ACL. */
    subjectUrn?: string;
    subjectName?: string;
}

export interface MemberReachability {
    member: Member;
    pool?: Pool;
    loadBalancer?: LoadBalancer;
    monitor?: Monitor;
    family: Family;
    backend: Backend;
    notes: {
        weightZero: boolean;
        /** The health check is disabled (or there is none): members are treated as healthy. */
        checkDisabled: boolean;
        noMonitor: boolean;
        transparentClientIp: boolean;
    };
    /** Set when flows cannot be computed at all (pool unresolved, port unknown, ...). */
    undetermined?: string;
    checks: FlowCheck[];
}
