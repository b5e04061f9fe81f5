/**
 * Not a seed check but the guard behind all of them: a value the checks read that has the wrong
 * type or shape (a malformed CIDR, a port string like "80-", an object where a string belongs).
 * The health-check policies treat such a value as undetermined, never as reachable; this policy
 * says which resource and property to correct. The value itself is never printed.
 */
import type { PolicyDefinition } from "../src/policy/definition";

export const elbPlanValuesValid: PolicyDefinition = {
    name: "elb-plan-values-valid",
    id: "HWELB-009",
    displayName: "Values the ELB health checks depend on are well-formed",
    description: "Properties that decide ELB health-check reachability (CIDRs, ports, protocols, references) must be well-formed.",
    severity: "medium",
    defaultLevel: "advisory",
    remediation: "Correct the property named in the message to the expected form.",
    settings: [],
    check({ topology }) {
        return topology.findings.map((f) => ({
            urn: f.urn,
            class: "violation" as const,
            message: `${f.type.split(":").pop()} "${f.name}": property ${f.property} is not valid (expected ${f.expected}). Checks that depend on it cannot decide reachability.`,
        }));
    },
};
