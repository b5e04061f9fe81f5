/**
 * The seed's notes on health-check results that are not failures but change what they mean:
 * weight 0 (result irrelevant), disabled health checks (members treated as healthy), and
 * Transfer Client IP Address on TCP/UDP listeners (client addresses reach the backends).
 */
import type { Finding, PolicyDefinition } from "../src/policy/definition";
import { backendPathNotes } from "../src/policy/backend-path";
import { label } from "../src/policy/describe";
import { onlyLayer7, type MemberReachability } from "../src/reach";

const LAYER4 = new Set(["TCP", "UDP"]);

export const elbHealthCheckNotes: PolicyDefinition = {
    name: "elb-health-check-notes",
    id: "HWELB-008",
    displayName: "Notes on ELB health-check results",
    description: "Points out settings that change what an ELB health-check result means: members with weight 0, disabled health checks, transparent client IP on TCP/UDP listeners, members whose IP version the load balancer does not talk, and the path to IP-type and cross-VPC members (IP as a backend, VPC peering, routes).",
    severity: "low",
    defaultLevel: "advisory",
    remediation: "Review each note: give members a non-zero weight if they should serve, enable the health check, and for listeners that pass client IPs control client access on the listener. Advisory by default; set the policy to mandatory to enforce.",
    settings: [],
    check({ topology, reachability }) {
        const findings: Finding[] = [];
        findings.push(...ipVersionNotes(reachability()), ...backendPathNotes(topology, reachability()));
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

/**
 * IP-version mismatches a health check cannot pass (elb_faq_21020223): shared load balancers support only
 * IPv4; an application (HTTP/HTTPS) dedicated load balancer talks IPv4 to its backends; a pool's
 * `ipVersion` v4 / v6 takes members of that version only.
 */
function ipVersionNotes(all: readonly MemberReachability[]): Finding[] {
    const out: Finding[] = [];
    for (const r of all) {
        const m = r.member;
        const v = m.address.state === "known" ? (m.address.value.includes(":") ? 6 : 4) : r.ipVersion;
        if (v === undefined || !r.pool) continue;
        const who = `${label(m)} (${label(r.pool)}${m.address.state === "known" ? `, ${m.address.value}` : ""})`;
        const related = [r.pool.urn];
        const pv = r.pool.ipVersion;
        if (v === 6 && r.family === "shared") {
            out.push({ urn: m.urn, class: "violation", related, message: `${who} is an IPv6 backend of a shared load balancer, which supports only IPv4: it gets no traffic and its health checks cannot pass. Use an IPv4 address, or a dedicated load balancer.` });
        } else if (v === 6 && r.loadBalancer?.family === "dedicated" && onlyLayer7(r.listeners)) {
            out.push({ urn: m.urn, class: "violation", related, message: `${who} is an IPv6 backend behind HTTP/HTTPS listeners: an application load balancer talks IPv4 to its backends, so this member gets no traffic and its health checks cannot pass. Register the server's IPv4 address, or use a TCP/UDP listener.` });
        } else if (pv.state === "known" && ((pv.value === "v4" && v === 6) || (pv.value === "v6" && v === 4))) {
            out.push({ urn: m.urn, class: "violation", related, message: `${who} is an IPv${v} address in a pool that takes IPv${v === 6 ? 4 : 6} members only (ipVersion ${pv.value}). Set the pool's ipVersion to dualstack or register the server's IPv${v === 6 ? 4 : 6} address.` });
        }
    }
    return out;
}
