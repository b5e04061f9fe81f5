/**
 * Seed checks "Checking the Firewall on the Backend Server" and "Checking the hosts.deny File":
 * hints from an ECS instance's userData (cloud-init) that a host firewall or /etc/hosts.deny
 * would drop the load balancer's health checks. Hints only: the host may change later.
 * userData may hold secrets: messages name the kind of command and its line, never its text.
 */
import type { Finding, PolicyDefinition } from "../src/policy/definition";
import { label } from "../src/policy/describe";
import type { Member, Server } from "../src/model/types";
import type { Topology } from "../src/model/topology";
import { AddressSet, parseCidr } from "../src/net/addresses";

interface Hint {
    line: number;
    what: string;
}

export const elbBackendHostFirewall: PolicyDefinition = {
    name: "elb-backend-host-firewall",
    id: "HWELB-007",
    displayName: "Backend host firewall admits ELB health checks",
    description: "A backend server's start-up script must not enable a host firewall or /etc/hosts.deny entry that drops the load balancer's health checks.",
    severity: "medium",
    defaultLevel: "advisory",
    remediation: "In the server's userData, allow the ELB health-check source (shared: 100.125.0.0/16 and 100.126.0.0/16; dedicated: the load balancer's backend subnet) on the health-check port before any drop rule, and keep it out of /etc/hosts.deny.",
    settings: ["sharedElbSourceRanges"],
    check({ topology, settings }) {
        const findings: Finding[] = [];
        const seen = new Set<string>();
        for (const member of topology.members) {
            const backend = topology.backendOfMember(member);
            if (backend.state !== "nic" || !backend.server) continue;
            const server = backend.server;
            if (seen.has(server.urn) || server.userData.state !== "known") continue;
            seen.add(server.urn);
            const hints = scanUserData(server.userData.value, settings.sharedElbSourceRanges);
            if (hints.length === 0) continue;
            const ports = healthCheckPorts(topology, server);
            findings.push({
                urn: server.urn,
                class: "violation",
                related: [member.urn],
                message:
                    `${label(server)} (backend of ${describeMembers(topology, server)}) has userData that may block health checks: ${hints.map((h) => `${h.what} (line ${h.line})`).join("; ")}. ` +
                    `Allow ${sourceText(topology, member, settings.sharedElbSourceRangesText)} on ${ports} before any drop rule, and keep those addresses out of /etc/hosts.deny.`,
            });
        }
        return findings;
    },
};

function describeMembers(topology: Topology, server: Server): string {
    const names = topology.members.filter((m) => {
        const b = topology.backendOfMember(m);
        return b.state === "nic" && b.server === server;
    });
    return names.map((m) => `member "${m.name}"`).join(", ");
}

function sourceText(topology: Topology, member: Member, sharedRanges: readonly string[]): string {
    const pool = topology.poolOfMember(member);
    const lb = pool && topology.loadBalancerOfPool(pool);
    return lb?.family === "dedicated" ? "the load balancer's backend subnet" : sharedRanges.join(" and ");
}

function healthCheckPorts(topology: Topology, server: Server): string {
    const ports = new Set<number>();
    for (const m of topology.members) {
        const b = topology.backendOfMember(m);
        if (b.state !== "nic" || b.server !== server) continue;
        if (m.port.state === "known") ports.add(m.port.value);
        const pool = topology.poolOfMember(m);
        for (const mon of pool ? topology.monitorsOfPool(pool) : []) if (mon.port.state === "known") ports.add(mon.port.value);
    }
    return ports.size > 0 ? `port ${[...ports].sort((a, b) => a - b).join(", ")}` : "the health-check port";
}

/** Decode base64 userData (the ECS API accepts either form). */
function decode(text: string): string {
    const t = text.trim();
    if (t.length >= 8 && t.length % 4 === 0 && /^[A-Za-z0-9+/\r\n]+=*$/.test(t)) {
        const decoded = Buffer.from(t, "base64").toString("utf8");
        if (/^[\x09\x0a\x0d\x20-\x7e\u00a0-\uffff]*$/.test(decoded)) return decoded;
    }
    return text;
}

/** Finds drop rules without an earlier or later accept for the ELB source. Exported for tests. */
export function scanUserData(userData: string, elbSources: AddressSet): Hint[] {
    const lines = decode(userData).slice(0, 1_000_000).split(/\r?\n/);
    const hints: Hint[] = [];
    const admitsElb = (line: string) =>
        [...line.matchAll(/\b(\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?)\b/g)].some((m) => {
            const p = parseCidr(m[1]);
            return p.ok && !p.value.intersect(elbSources).isEmpty();
        });
    const hasAccept = lines.some((l) => /(iptables|ip6tables).*-j\s+ACCEPT/.test(l) && admitsElb(l)) ||
        lines.some((l) => /ufw\s+allow\s+from/.test(l) && admitsElb(l)) ||
        lines.some((l) => /firewall-cmd.*(--add-source|source address)/.test(l) && admitsElb(l));
    lines.forEach((raw, i) => {
        const line = raw.replace(/^\s*#.*$/, "");
        const n = i + 1;
        if (/hosts\.deny/.test(line) && (/\bALL\s*:\s*ALL\b/i.test(line) || /:\s*ALL\b/i.test(line) || admitsElb(line))) {
            hints.push({ line: n, what: "an /etc/hosts.deny entry that denies all hosts or the ELB source" });
        } else if (/\b(iptables|ip6tables)\b/.test(line) && !hasAccept) {
            if (/-P\s+INPUT\s+(DROP|REJECT)/.test(line)) hints.push({ line: n, what: "an iptables INPUT policy of DROP" });
            else if (/-[AI]\s+INPUT\b/.test(line) && /-j\s+(DROP|REJECT)/.test(line) && (!/\s-s\s/.test(line) || admitsElb(line))) {
                hints.push({ line: n, what: "an iptables INPUT rule that drops traffic including the ELB source" });
            }
        } else if (/\bufw\b/.test(line) && !hasAccept && (/ufw\s+default\s+deny/.test(line) || (/ufw\s+deny\s+from/.test(line) && admitsElb(line)))) {
            hints.push({ line: n, what: "a ufw rule that denies incoming traffic" });
        } else if (/firewall-cmd/.test(line) && !hasAccept && (/--set-default-zone=(drop|block)/.test(line) || /--panic-on/.test(line))) {
            hints.push({ line: n, what: "a firewalld default zone that drops incoming traffic" });
        }
    });
    return hints.slice(0, 10);
}
