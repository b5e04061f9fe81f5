/**
 * Seed checks "Checking the Firewall on the Backend Server" and "Checking the hosts.deny File", and the
 * host side of UDP checks: hints from an ECS instance's userData (cloud-init) that a host firewall, a
 * tcp_wrappers deny, or ICMP echo switched off would drop the load balancer's health checks; and a
 * backend ECS that is planned stopped (reported OFFLINE by the checks). Hints only: the host may change later.
 * userData may hold secrets: messages name the kind of command and its line, never its text.
 */
import type { Finding, PolicyDefinition } from "../src/policy/definition";
import { label } from "../src/policy/describe";
import { scanUserData, type ProbeProfile } from "../src/policy/host-hints";
import { sourceText as sourceWords } from "../src/policy/reach-text";
import type { MemberReachability } from "../src/reach";
import type { Server } from "../src/model/types";
import { AddressSet } from "../src/net/addresses";
import { ICMP } from "../src/net/protocols";

/** Power actions that leave the server stopped (compute_instance `power_action`). */
const STOPPED = new Set(["OFF", "FORCE-OFF"]);

interface ServerUse {
    server: Server;
    members: MemberReachability[];
}

export const elbBackendHostFirewall: PolicyDefinition = {
    name: "elb-backend-host-firewall",
    id: "HWELB-007",
    displayName: "Backend host firewall admits ELB health checks",
    description: "A backend server's start-up script must not enable a host firewall, a tcp_wrappers deny or an ICMP echo block that drops the load balancer's health checks, and a checked backend should not be planned stopped.",
    severity: "medium",
    defaultLevel: "advisory",
    remediation: "In the server's userData, allow the ELB health-check source (shared: 100.125.0.0/16 and 100.126.0.0/16; dedicated: the load balancer's backend subnet) on the health-check port before any drop rule, keep it out of /etc/hosts.deny (or allow it in /etc/hosts.allow), keep ICMP echo answered for UDP checks, and start the server (powerAction ON).",
    settings: ["sharedElbSourceRanges"],
    check({ settings, reachability }) {
        const findings: Finding[] = [];
        const uses = new Map<string, ServerUse>();
        for (const r of reachability()) {
            if (r.backend.state !== "nic" || !r.backend.server) continue;
            const server = r.backend.server;
            const use = uses.get(server.urn);
            if (use) use.members.push(r);
            else uses.set(server.urn, { server, members: [r] });
        }
        for (const { server, members } of uses.values()) {
            const related = members.map((r) => r.member.urn);
            const names = describeMembers(members);
            const power = server.powerAction;
            const checked = members.filter((r) => !r.notes.checkDisabled);
            if (power.state === "known" && STOPPED.has(power.value) && checked.length > 0) {
                findings.push({
                    urn: server.urn,
                    class: "violation",
                    related,
                    message: `${label(server)} (backend of ${describeMembers(checked)}) is planned stopped (powerAction ${power.value}): its health checks will report it OFFLINE and the load balancer sends it no traffic. Set powerAction to ON, or remove the server from the pool while it is stopped.`,
                });
            }
            if (server.userData.state !== "known") continue;
            const probe = probeOf(members, settings.sharedElbSourceRanges);
            const hints = scanUserData(server.userData.value, probe);
            if (hints.length === 0) continue;
            findings.push({
                urn: server.urn,
                class: "violation",
                related,
                message:
                    `${label(server)} (backend of ${names}) has userData that may block health checks: ${hints.map((h) => `${h.what} (line ${h.line})`).join("; ")}. ` +
                    `Allow ${sourceText(members, settings.sharedElbSourceRangesText)} on ${portsText(members)} before any drop rule and keep those addresses out of /etc/hosts.deny (or allow them in /etc/hosts.allow)${probe.udpFamilies.size > 0 ? "; keep ICMP echo requests answered" : ""}.`,
            });
        }
        return findings;
    },
};

/** The ELB sources and UDP-check families over every member the server backs. */
function probeOf(members: readonly MemberReachability[], sharedRanges: AddressSet): ProbeProfile {
    let sources = AddressSet.EMPTY;
    let possible = AddressSet.EMPTY;
    const udpFamilies = new Set<4 | 6>();
    for (const r of members) {
        for (const f of r.flows) {
            // Sources not known at preview (every address of the family) say nothing about the script's
            // addresses, but they are of the flow's IP version.
            if (!f.unknownSources) sources = sources.union(f.sources);
            else possible = possible.union(AddressSet.anyOf(f.family));
            if (f.protocol === ICMP && f.purpose === "ICMP for UDP health checks") udpFamilies.add(f.family);
        }
        const mon = r.monitor;
        if (r.flows.length === 0) {
            // Flows undetermined: a shared LB still sends from its ranges; a dedicated one from its subnet (not known here).
            if (r.family === "shared") sources = sources.union(sharedRanges);
            else possible = r.ipVersion ? possible.union(AddressSet.anyOf(r.ipVersion)) : AddressSet.ANY;
            if (mon && !r.notes.checkDisabled && mon.protocol.state === "known" && mon.protocol.value === "UDP_CONNECT") udpFamilies.add(r.ipVersion ?? 4);
        }
    }
    return { sources, possible, udpFamilies };
}

function describeMembers(members: readonly MemberReachability[]): string {
    return members
        .map((r) => {
            const role = r.member.role ? `${r.member.role === "master" ? "active" : "standby"} ` : "";
            return `${role}member "${r.member.name}"${r.pool ? ` of pool "${r.pool.name}"` : ""}`;
        })
        .join(", ");
}

function sourceText(members: readonly MemberReachability[], sharedRanges: readonly string[]): string {
    const labels = [...new Set(members.flatMap((r) => r.flows.map((f) => sourceWords(f.sourceLabel))))];
    if (labels.length > 0) return labels.join(" and ");
    return members.some((r) => r.family === "dedicated") ? "the load balancer's backend subnet" : sharedRanges.join(" and ");
}

function portsText(members: readonly MemberReachability[]): string {
    const ports = new Set<number>();
    for (const r of members) {
        for (const f of r.flows) if (f.port !== undefined) ports.add(f.port);
        if (r.flows.length === 0) {
            if (r.member.port.state === "known") ports.add(r.member.port.value);
            if (r.monitor?.port.state === "known") ports.add(r.monitor.port.value);
        }
    }
    return ports.size > 0 ? `port ${[...ports].sort((a, b) => a - b).join(", ")}` : "the health-check port";
}
