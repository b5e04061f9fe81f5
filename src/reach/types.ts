/** Results of the reachability core: one verdict per member, per check and per required flow. */
import { AddressSet, parseCidr } from "../net/addresses";
import type { Backend } from "../model/topology";
import type { Family, Listener, LoadBalancer, Member, Monitor, Pool, SecurityGroupRule } from "../model/types";
import type { Note, SourceLabel, Subject } from "./notes";

export interface ReachConfig {
    /** Where shared load balancers send health checks from (seed: 100.125.0.0/16 and 100.126.0.0/16). */
    sharedElbSourceRanges: AddressSet;
    /** Dedicated load balancers: their backend subnets' CIDRs (default) or the whole VPC CIDR. */
    dedicatedSource: "backend-subnet" | "vpc";
    /** Whether an ACL filters traffic between a dedicated LB and members of the same subnet (UNCONFIRMED). */
    aclSameSubnet: "filtered" | "not-filtered";
}

const cidr = (t: string): AddressSet => {
    const p = parseCidr(t);
    if (!p.ok) throw new Error(`bad built-in CIDR ${t}`);
    return p.value;
};

/** The two ranges Huawei's ELB FAQ names for shared load balancers (only 100.125.0.0/16 is confirmed in every region). */
export const DEFAULT_SHARED_ELB_SOURCE_RANGES = ["100.125.0.0/16", "100.126.0.0/16"] as const;

export const SHARED_ELB_SOURCE_RANGES: AddressSet = DEFAULT_SHARED_ELB_SOURCE_RANGES.map(cidr).reduce((a, b) => a.union(b));

export const defaultReachConfig: ReachConfig = {
    sharedElbSourceRanges: SHARED_ELB_SOURCE_RANGES,
    dedicatedSource: "backend-subnet",
    aclSameSubnet: "filtered",
};

export type Verdict = "reachable" | "partial" | "blocked" | "undetermined";

export type FlowPurpose = "health-check port" | "member port" | "ICMP for UDP health checks";

/** Traffic the load balancer must get through to the member: one protocol, one destination port. */
export interface Flow {
    /** IP protocol number: 6 TCP, 17 UDP, 1 ICMP (ICMPv6 for an IPv6 member: rules may say icmp or icmpv6). */
    protocol: number;
    /** Destination port (TCP/UDP only). */
    port?: number;
    family: 4 | 6;
    /** The required source addresses, of `family` only. */
    sources: AddressSet;
    /** Where the sources are: the shared ELB ranges, backend subnets, a VPC (data; src/policy writes the words). */
    sourceLabel: SourceLabel;
    purpose: FlowPurpose;
    /**
     * Set when the source CIDR is not known at preview (a backend subnet's IPv6 CIDR is assigned at
     * creation): `sources` is then every address of the family, and a verdict stands only when it holds
     * for all of them (nothing admitted = blocked, everything admitted = reachable); else undetermined.
     */
    unknownSources?: {
        reason: Note;
        name: Subject;
        /**
         * The one backend subnet whose unknown CIDR the sources are (URN). A rule address unknown at preview
         * whose only dependency is this subnet is taken to be that CIDR, so it matches every source (assumption 40).
         */
        subnet?: string;
    };
}

export type CheckKind = "security-group" | "network-acl" | "network-acl-lb-subnet";

/** A rule of a network ACL by its list position (0-based) and label. */
export interface AclRuleAt {
    index: number;
    label: string;
}

/**
 * An allow rule further down that would admit the witness, and why it does not: `covered` — an
 * earlier rule covers every packet it matches, so it never matches; `first-match` — `by` matches first.
 */
export interface Shadowing {
    rule: AclRuleAt;
    by: AclRuleAt;
    how: "covered" | "first-match";
}

export type Blocker =
    | { kind: "deny-rule"; urn: string; groupUrn: string; group: string; rule: SecurityGroupRule; name: string; priority: number | "unknown" }
    | { kind: "no-rule"; groups: { urn: string; name: string }[] }
    | { kind: "acl-rule"; aclUrn: string; aclName: string; rulePath: string; label: string; index: number; ruleUrn: string; shadowing?: Shadowing }
    | { kind: "acl-default-deny"; aclUrn: string; aclName: string; shadowing?: Shadowing };

/** One concrete packet the check drops. */
export interface Witness {
    /** A concrete source address that is blocked. */
    source: string;
    protocol: string;
    port?: number;
    /** Set when only some source ports are dropped (network ACLs). */
    sourcePort?: number;
}

/** The minimal change that makes the flow pass, as data (src/policy writes the sentence). */
export type FixAction =
    | {
          kind: "add-security-group-rule";
          groupUrn: string;
          groupName: string;
          /** One rule per CIDR (remoteIpPrefix takes one), or one rule with an address group. */
          rule: { direction: "ingress"; ethertype: "IPv4" | "IPv6"; protocol: string; ports?: string; remoteIpPrefixes: string[]; action: "allow"; priority?: number };
          /** Where it stands against the blocking deny (FlowCheck.blockedBy): outranking it in its group, or in a group bound before. */
          place?: "ahead-of-blocking-deny" | "bound-before-blocking-deny";
      }
    | {
          kind: "remove-or-narrow-deny";
          /** Every deny rule that drops part of the missing sources. */
          rules: { ruleUrn: string; groupName: string; rule: SecurityGroupRule; priority: number | "unknown" }[];
          /**
           * The change as data: every deny rule (`denies`) that matches some of the missing sources on the
           * flow in the groups that decide them (the first group; every group when the binding order is
           * unknown) is narrowed to leave them out, and an allow at priority 1 in `allowIn` admits them.
           */
          narrow: { denies: string[]; allowIn: { urn: string; name: string }; missing: string[] };
      }
    | {
          kind: "add-acl-rule";
          aclUrn: string;
          aclName: string;
          direction: "inbound" | "outbound";
          /** Insert before this rule (list position, 1-based); absent = after the last rule. */
          before?: { position: number; rulePath: string; label: string };
          /** One rule per source CIDR. */
          rule: { action: "allow"; protocol: string; ipVersion: 4 | 6; sourceCidrs: string[]; destinationPort?: string; destination?: string };
      };

export interface FlowCheck {
    kind: CheckKind;
    flow: Flow;
    state: Verdict;
    /** The required sources (flow.sources, less what a documented reading exempts). */
    required: AddressSet;
    /** Required sources admitted in every reading (the pessimistic bound); for ACLs, on every source port. */
    admitted: AddressSet;
    /** Required sources admitted in some reading (the optimistic bound); for ACLs, on some source port. */
    possiblyAdmitted: AddressSet;
    /** Required sources dropped in every reading (for ACLs: on at least one source port). */
    blocked: AddressSet;
    witness?: Witness;
    blockedBy?: Blocker;
    /** The minimal change that fixes it, as the fix sentence states it (for sources unknown at preview too). */
    fix?: FixAction;
    /** The same change when it can be applied as it stands (absent when the sources are not known yet). */
    fixAction?: FixAction;
    /** For undetermined: what could not be resolved. */
    reason?: Note[];
    /** Readings taken where the docs are silent, when they matter for this verdict. */
    assumptions: Note[];
    /** The resource to look at: a security group or an ACL. */
    subjectUrn?: string;
    subjectName?: string;
    /** Network-ACL checks: the subnet whose ACL this is. */
    subnet?: { urn: string; name: string };
}

export interface MemberReachability {
    member: Member;
    pool?: Pool;
    loadBalancer?: LoadBalancer;
    monitor?: Monitor;
    listeners: Listener[];
    /** Shared or dedicated load balancer. */
    family: Family;
    /** IP version of the member's address, when it can be told. */
    ipVersion?: 4 | 6;
    backend: Backend;
    notes: {
        weightZero: boolean;
        /** The health check is disabled (or there is none): members are treated as healthy. */
        checkDisabled: boolean;
        noMonitor: boolean;
        /** Transfer Client IP on a TCP/UDP listener of the pool. */
        transparentClientIp: boolean;
    };
    /** Set when the flows cannot be computed at all (pool unresolved, port unknown, ...). */
    undetermined?: Note;
    flows: Flow[];
    checks: FlowCheck[];
    /** Member-level readings (e.g. the IP version of an address unknown at preview). */
    assumptions: Note[];
}
