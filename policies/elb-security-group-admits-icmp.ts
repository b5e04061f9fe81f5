/**
 * Seed, "Checking Security Group Rules", UDP listeners: "the rule must allow inbound ICMP traffic".
 * UDP_CONNECT health checks also need ICMP from the same source (huaweicloud-resources.md §10.3).
 */
import type { PolicyDefinition } from "../src/policy/definition";
import { reachFindings } from "../src/policy/reach-findings";
import { ICMP } from "../src/net/protocols";

export const elbSecurityGroupAdmitsIcmp: PolicyDefinition = {
    name: "elb-security-group-admits-icmp",
    id: "HWELB-005",
    displayName: "Backend security groups admit ICMP for UDP health checks",
    description: "Members checked over UDP must also admit inbound ICMP from the ELB source, or the UDP health check cannot run.",
    severity: "high",
    defaultLevel: "mandatory",
    remediation: "Add an ingress rule allowing protocol icmp from the ELB source (the backend subnet's CIDR for dedicated load balancers, 100.125.0.0/16 and 100.126.0.0/16 for shared ones) to the member's security group.",
    settings: ["sharedElbSourceRanges", "dedicatedSource"],
    check: (ctx) =>
        reachFindings(ctx, {
            checks: (c) => c.kind === "security-group" && c.flow.protocol === ICMP,
            what: "its security groups do not admit the ICMP that UDP health checks need",
            question: "the security groups admit the ICMP that UDP health checks need",
            // Only when the check is, or may be, UDP (pool or monitor protocol unknown or unresolved).
            reportUndeterminedMember: (r) => {
                const pool = r.pool?.protocol;
                const monitor = r.monitor?.protocol;
                if (!pool || pool.state !== "known" || pool.value === "UDP" || pool.value === "QUIC") return true;
                return !!monitor && (monitor.state !== "known" || monitor.value === "UDP_CONNECT");
            },
        }),
};
