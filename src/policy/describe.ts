/** How findings name things: only logical names, kinds, ports, protocols and CIDRs — never property values. */
import type { EntityBase, Family, Ref, Value } from "../model/types";

const KIND_WORDS: Record<string, string> = {
    loadBalancer: "load balancer",
    listener: "listener",
    pool: "pool",
    member: "member",
    monitor: "health check",
    securityGroup: "security group",
    securityGroupRule: "security group rule",
    networkAcl: "network ACL",
    legacyAcl: "network ACL",
    instance: "ECS instance",
    subnet: "subnet",
    scalingGroup: "AS group",
    scalingConfiguration: "AS configuration",
    scalingAttach: "AS instance attachment",
};

/** `shared ELB pool "web-pool"`. */
export function label(e: EntityBase & { kind: string; family?: Family; activeStandby?: unknown; role?: string }): string {
    const family = e.family ? `${e.family} ELB ` : "";
    // Active/standby pools and their inline members: "dedicated ELB active/standby pool", "standby member".
    const word = e.kind === "pool" && e.activeStandby ? "active/standby pool" : e.kind === "member" && e.role ? `${e.role === "master" ? "active" : "standby"} member` : (KIND_WORDS[e.kind] ?? e.kind);
    return `${family}${word} "${e.name}"`;
}

/** Why a value is not known, for "undetermined" messages. */
export function whyNotKnown(v: Value<unknown> | Ref, what: string): string {
    switch (v.state) {
        case "unknown":
            return `${what} (${v.path}) is not known until the resources are created and nothing in the plan links it`;
        case "absent":
            return `${what} (${v.path}) is not set`;
        case "invalid":
            return `${what} (${v.path}) is invalid: expected ${v.expected}`;
        case "unresolved":
            return `${what} (${v.path}) cannot be resolved: ${v.reason}`;
        case "external":
            return `${what} (${v.path}) refers to a resource that is not in this stack`;
        default:
            return `${what} is not known`;
    }
}

export function known<T>(v: Value<T>): T | undefined {
    return v.state === "known" ? v.value : undefined;
}
