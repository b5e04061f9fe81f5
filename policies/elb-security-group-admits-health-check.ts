/**
 * Seed check "Checking Security Group Rules": the member's security groups must admit the health
 * check from the ELB source on the check protocol and port — and on the member port when it differs.
 */
import type { PolicyDefinition } from "../src/policy/definition";
import { reachFindings } from "../src/policy/reach-findings";
import { ICMP } from "../src/net/protocols";

export const elbSecurityGroupAdmitsHealthCheck: PolicyDefinition = {
    name: "elb-security-group-admits-health-check",
    id: "HWELB-004",
    displayName: "Backend security groups admit ELB health checks",
    description: "The security groups of every ELB backend member must admit the load balancer's health checks: the ELB source on the health-check protocol and port, and on the member port when it differs.",
    severity: "high",
    defaultLevel: "mandatory",
    remediation: "Add an ingress rule to the member's security group allowing the health-check protocol and port (and the member port) from the ELB source: 100.125.0.0/16 and 100.126.0.0/16 for shared load balancers, the backend subnet's CIDR for dedicated ones.",
    settings: ["sharedElbSourceRanges", "dedicatedSource"],
    check: (ctx) =>
        reachFindings(ctx, {
            checks: (c) => c.kind === "security-group" && c.flow.protocol !== ICMP,
            what: "its security groups do not admit the load balancer's health checks",
            question: "the security groups admit the load balancer's health checks",
            reportUndeterminedMember: () => true,
        }),
};
