/**
 * What the reachability core has to say beyond sets and verdicts, as data: why a verdict cannot be
 * told, the readings taken where the docs are silent, where health checks come from. Each note is a
 * code with its parameters; the English is written in src/policy/reach-text.ts.
 */
import type { AclRule, Ref, SecurityGroupRule, Value } from "../model/types";

/** A value that cannot be used: its state and path, never the value. */
export type Missing = Exclude<Value<unknown>, { state: "known" }> | { state: "known"; path?: undefined };

export const missing = (v: Value<unknown>): Missing => (v.state === "known" ? { state: "known" } : v);

/** A rule field as the unknowns of a rule name it. */
export type RuleField = "direction" | "ethertype" | "protocol" | "ports" | "icmpType" | "action" | "priority" | "remoteIpPrefix" | "enabled" | "ipVersion" | "destinationPort" | "sourcePort" | "source" | "destination";

/** A thing whose value a verdict needs. */
export type Subject =
    | { of: "health-check-protocol" | "pool-protocol" | "member-address" | "health-check-port" | "member-port" }
    | { of: "backend-subnet-ipv6"; subnet: string }
    | { of: "subnet-cidr"; family: 4 | 6; subnet: string }
    | { of: "lb-backend-subnets"; lb: string }
    | { of: "vpc-cidr" | "vpc-secondary-cidrs"; vpc: string };

/** A network-ACL rule by list position (0-based) and label. */
export interface AclRuleRef {
    index: number;
    rule: Pick<AclRule, "label">;
}

export type Note =
    /** A value the verdict needs is unknown at preview, invalid or not set. */
    | { code: "value"; what: Subject; value: Missing }
    /** A rule's field is unknown at preview or invalid. */
    | { code: "rule-value"; field: RuleField; value: Missing }
    | { code: "priority-omitted" }
    | { code: "address-group-missing"; path: string; external: boolean }
    | { code: "address-group-addresses"; group: string; invalid: boolean }
    | { code: "address-group-ip-version"; group: string }
    | { code: "member-address-unknown" }
    | { code: "member-address-partial-destination" }
    // Readings taken where the docs are silent.
    | { code: "sg-several-remotes"; rule: SecurityGroupRule }
    | { code: "sg-restricted-icmp"; rule: SecurityGroupRule; ports: string }
    | { code: "acl-restricted-ports"; rule: AclRuleRef; side: "destination" | "source"; ports: string; protocol: string }
    /** An address unknown at preview that comes from the backend subnet alone is taken to be its CIDR (assumption 40). */
    | { code: "sg-remote-is-source-cidr"; rule: SecurityGroupRule; name: Subject }
    | { code: "acl-source-is-source-cidr"; rule: AclRuleRef; name: Subject }
    | { code: "binding-order-unknown" }
    | { code: "same-subnet-filtered" }
    | { code: "same-subnet-not-filtered"; subnet: string; inside: string }
    // Security groups that cannot be evaluated.
    | { code: "group-not-known"; ref: Ref }
    | { code: "no-security-groups" }
    | { code: "security-groups-value"; value: Missing }
    | { code: "sg-rule-unknowns"; rule: SecurityGroupRule; group: string; unknowns: Note[] }
    | { code: "binding-order-conflict"; groups: ({ name: string } | { path: string })[] }
    | { code: "rule-values-unknown" }
    // Network ACLs that cannot be evaluated.
    | { code: "acl-rules-unknown"; acl: string; direction: "ingress" | "egress"; invalid: boolean }
    | { code: "acl-enabled-unknown"; acl: string }
    | { code: "acl-rule-unknowns"; rule: AclRuleRef; acl: string; unknowns: Note[] }
    | { code: "acl-values-unknown"; acl: string }
    // The path to the member.
    /** A reason the model gives in words (an unresolved reference, an ambiguous backend). */
    | { code: "model"; text: string }
    | { code: "member-outside"; address: string; ipBackend: boolean }
    | { code: "member-no-subnet" }
    | { code: "member-subnet-unresolved"; ref: Ref }
    | { code: "lb-no-subnets"; lb: string }
    | { code: "unknown-sources-partial"; reason: Note; by: "security-groups" | "network-acl" }
    // The flows.
    | { code: "check-protocol-unsupported"; protocol: string }
    | { code: "pool-protocol-unsupported"; protocol: string }
    | { code: "member-address-not-ip" }
    | { code: "as-group-ip-version"; group: string; family: 4 | 6 }
    | { code: "address-ipv6-subnet-id"; subnet: string }
    | { code: "address-pool-ip-version"; pool: string; family: 4 | 6; ipVersion: string }
    | { code: "address-no-ipv6-subnet" }
    | { code: "address-layer7" }
    | { code: "address-nic-no-ipv6" }
    | { code: "ip-version-ambiguous"; subnet: string }
    | { code: "pool-not-in-stack" | "pool-unresolved"; path: string }
    | { code: "any-port-no-check-port" }
    | { code: "member-port-invalid"; port: number }
    | { code: "sources-empty"; sources: SourceLabel; family: 4 | 6 }
    | { code: "lb-unresolved" }
    | { code: "subnet-ipv6-cidr-pending"; subnet: string }
    | { code: "backend-subnets-no-ipv6"; subnets: string[]; lb: string }
    | { code: "vpc-unresolved"; lb: string };

/** Where health checks come from. */
export type SourceLabel =
    | { kind: "shared"; cidrs: string[] }
    /** A CIDR not known until a subnet is created. */
    | { kind: "pending"; name: Subject }
    | { kind: "backend-subnets"; subnets: { name: string; cidrs: string[] }[]; lb: string }
    | { kind: "vpc-ipv6-subnets" | "vpc"; vpc: string; cidrs: string[] }
    /** A fixed set named by the caller (tests). */
    | { kind: "cidrs"; cidrs: string[] };
