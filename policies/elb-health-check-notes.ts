/**
 * The seed's notes on health-check results that are not failures but change what they mean:
 * weight 0 (result irrelevant), disabled health checks (members treated as healthy), and
 * Transfer Client IP Address on TCP/UDP listeners (client addresses reach the backends).
 */
import type { Finding, PolicyDefinition } from "../src/policy/definition";
import { label } from "../src/policy/describe";

const LAYER4 = new Set(["TCP", "UDP"]);

export const elbHealthCheckNotes: PolicyDefinition = {
    name: "elb-health-check-notes",
    id: "HWELB-008",
    displayName: "Notes on ELB health-check results",
    description: "Points out settings that change what an ELB health-check result means: members with weight 0, disabled health checks, and transparent client IP on TCP/UDP listeners.",
    severity: "low",
    defaultLevel: "advisory",
    remediation: "Review each note: give members a non-zero weight if they should serve, enable the health check, and for listeners that pass client IPs control client access on the listener. Advisory by default; set the policy to mandatory to enforce.",
    settings: [],
    check({ topology }) {
        const findings: Finding[] = [];
        for (const m of topology.members) {
            if (m.weight.state === "known" && m.weight.value === 0) {
                findings.push({ urn: m.urn, class: "violation", message: `${label(m)} has weight 0: the load balancer sends it no traffic and reports it unhealthy, so its health-check result is irrelevant.` });
            }
        }
        for (const mon of topology.monitors) {
            if (mon.enabled.state === "known" && !mon.enabled.value) {
                const pool = topology.deref(mon.pool, "pool");
                findings.push({
                    urn: mon.urn,
                    class: "violation",
                    message: `${label(mon)}${pool ? ` of ${label(pool)}` : ""} is disabled: the load balancer treats every member as healthy and keeps routing to backends that are down.`,
                });
            }
        }
        for (const l of topology.listeners) {
            if (l.protocol.state !== "known" || !LAYER4.has(l.protocol.value)) continue;
            if (l.transparentClientIp.state === "known" && l.transparentClientIp.value) {
                findings.push({
                    urn: l.urn,
                    class: "violation",
                    message:
                        `${label(l)} passes client IP addresses to the backends (Transfer Client IP Address). Huawei's docs say traffic a Layer-4 listener forwards this way is not restricted by the backends' security groups or network ACLs, so control client access on the listener instead; ` +
                        `whether the health checks are exempt too is not confirmed, so the health-check policies still judge them from the ELB source.`,
                });
            }
        }
        return findings;
    },
};
