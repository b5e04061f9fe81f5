/**
 * Seed check "Checking Network ACL Rules": an ACL on the member's subnet (inbound) or on a dedicated
 * load balancer's backend subnet (outbound) must admit the health-check traffic; rules apply in
 * order, the first match decides and an implicit rule denies everything else.
 */
import type { PolicyDefinition } from "../src/policy/definition";
import { reachFindings } from "../src/policy/reach-findings";

export const elbNetworkAclAdmitsHealthCheck: PolicyDefinition = {
    name: "elb-network-acl-admits-health-check",
    id: "HWELB-006",
    displayName: "Network ACLs admit ELB health checks",
    description: "Network ACLs on an ELB member's subnet, and on a dedicated load balancer's backend subnet, must admit the load balancer's health-check traffic.",
    severity: "high",
    defaultLevel: "mandatory",
    remediation: "Add an allow rule for the health-check protocol and port from the ELB source to the ACL, ahead of any deny rule that matches it (inbound on the member's subnet; outbound on a dedicated load balancer's subnet).",
    settings: ["sharedElbSourceRanges", "dedicatedSource", "aclSameSubnet"],
    check: (ctx) =>
        reachFindings(ctx, {
            checks: (c) => c.kind === "network-acl" || c.kind === "network-acl-lb-subnet",
            what: "a network ACL drops the load balancer's health checks",
            question: "the network ACLs admit the load balancer's health checks",
            // A member whose flows cannot be computed cannot be judged against its ACLs either.
            reportUndeterminedMember: () => true,
        }),
};
