/**
 * Seed check 3: "Checking the Health Check Configuration" (domain name, protocol, port, path),
 * plus the provider's documented limits (huaweicloud-resources §4.5, §5.5) and the healthy status
 * codes of each family (§10.7). Definite errors are violations; suspicious settings are warnings.
 */
import type { Finding, PolicyDefinition } from "../src/policy/definition";
import { label } from "../src/policy/describe";
import type { Monitor, Pool } from "../src/model/types";
import type { Topology } from "../src/model/topology";
import { monitorFixes, type MonitorError } from "../src/fix/config-fixes";
import type { ReachConfig } from "../src/reach";

// Status codes each family treats as healthy by default (ELB FAQ; seed "Checking the Backend Server").
const HEALTHY_CODES = { shared: [200, 202, 401], dedicated: [200] } as const;
const UDP_POOLS = new Set(["UDP", "QUIC"]);
const HTTP_CHECKS = new Set(["HTTP", "HTTPS"]);
// Printable path characters the ELB API accepts in a check path.
const PATH_RE = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*$/;
const DOMAIN_RE = /^(?=.{1,100}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export const elbHealthCheckConfig: PolicyDefinition = {
    name: "elb-health-check-config",
    id: "HWELB-003",
    displayName: "ELB health check is configured consistently",
    description: "An ELB health check must use a protocol that fits its pool, a valid port, an absolute path and domain name, and a timeout within its interval.",
    severity: "medium",
    defaultLevel: "mandatory",
    remediation: "Correct the health check (monitor) settings named in the message; see the docs page for each limit.",
    settings: [],
    check({ topology, settings }) {
        const findings: Finding[] = [];
        const config: ReachConfig = { sharedElbSourceRanges: settings.sharedElbSourceRanges, dedicatedSource: settings.dedicatedSource, aclSameSubnet: settings.aclSameSubnet };
        for (const monitor of topology.monitors) {
            const pool = topology.deref(monitor.pool, "pool");
            findings.push(...monitorFindings(topology, monitor, pool, config));
        }
        for (const pool of topology.pools) {
            const members = topology.membersOfPool(pool);
            if (members.length > 0 && topology.monitorsOfPool(pool).length === 0) {
                findings.push({
                    urn: pool.urn,
                    class: "warning",
                    message: pool.activeStandby
                        ? `${label(pool)} has ${members.length} member(s) but no healthmonitor: an active/standby pool fails over only when the check finds the active server unhealthy, and the provider requires the block. Add healthmonitor (type, delay, timeout, maxRetries).`
                        : `${label(pool)} has ${members.length} member(s) but no health check: the load balancer treats every member as healthy and keeps sending traffic to failed backends. Add a monitor with poolId set to this pool.`,
                });
            }
        }
        return findings;
    },
};

/** The check's property names as the program writes them: shared monitor, dedicated monitor, or an active/standby pool's inline healthmonitor. */
function fieldsOf(m: Monitor): { type: string; port: string; interval: string; codes: string } {
    if (m.family === "shared") return { type: "type", port: "port", interval: "delay", codes: "expectedCodes" };
    const inline = m.pool.state === "resolved" && m.pool.urn === m.urn;
    return inline ? { type: "healthmonitor.type", port: "healthmonitor.monitorPort", interval: "healthmonitor.delay", codes: "healthmonitor.expectedCodes" } : { type: "protocol", port: "port", interval: "interval", codes: "statusCode" };
}

/** A check's findings; each error carries the operations that correct it (src/fix/config-fixes.ts). */
function monitorFindings(topology: Topology, m: Monitor, pool: Pool | undefined, config: ReachConfig): Finding[] {
    const out: (Finding & { error?: MonitorError })[] = [];
    checkMonitor(m, pool, out);
    const errors = new Set(out.flatMap((f) => (f.error ? [f.error] : [])));
    if (errors.size === 0) return out;
    const fixes = monitorFixes(topology, m, pool, config, errors);
    return out.map(({ error, ...f }) => (error ? { ...f, fixes: fixes.get(error) ?? [] } : f));
}

function checkMonitor(m: Monitor, pool: Pool | undefined, out: (Finding & { error?: MonitorError })[]): void {
    const names = fieldsOf(m);
    const error = (message: string, kind: MonitorError) => out.push({ urn: m.urn, class: "violation", message: `${label(m)}: ${message}`, error: kind });
    const warn = (message: string) => out.push({ urn: m.urn, class: "warning", message: `${label(m)}: ${message}` });
    const protocol = m.protocol.state === "known" ? m.protocol.value : undefined;

    if (m.port.state === "known" && !(Number.isInteger(m.port.value) && m.port.value >= 1 && m.port.value <= 65535)) {
        error(`${names.port} ${m.port.value} is outside 1-65535. Set ${names.port} to the port the backend listens on for health checks, or leave it unset to check the member port.`, "port");
    }
    for (const [field, v] of [["interval", m.interval], ["timeout", m.timeout]] as const) {
        if (v.state === "known" && !(v.value >= 1 && v.value <= 50)) error(`${field === "interval" ? names.interval : "timeout"} ${v.value} s is outside the allowed 1-50 s.`, "timing");
    }
    if (m.maxRetries.state === "known" && !(Number.isInteger(m.maxRetries.value) && m.maxRetries.value >= 1 && m.maxRetries.value <= 10)) {
        error(`maxRetries ${m.maxRetries.value} is outside the allowed 1-10.`, "maxRetries");
    }
    if (m.interval.state === "known" && m.timeout.state === "known") {
        const intervalName = names.interval;
        if (m.timeout.value > m.interval.value) {
            error(`timeout ${m.timeout.value} s is longer than the ${intervalName} ${m.interval.value} s: a check would still be waiting when the next one starts. Set timeout below ${intervalName}.`, "timing");
        } else if (m.timeout.value === m.interval.value) {
            // Shared monitors require timeout < delay (provider doc); dedicated only recommends it.
            const text = `timeout ${m.timeout.value} s equals the ${intervalName}; it must be shorter. Set timeout below ${intervalName}.`;
            if (m.family === "shared") error(text, "timing");
            else warn(text);
        }
    }

    if (protocol && HTTP_CHECKS.has(protocol)) {
        if (m.urlPath.state === "known") {
            const p = m.urlPath.value;
            if (!p.startsWith("/")) error(`the check path is not absolute: urlPath must start with "/" (for example "/" or "/healthz").`, "urlPath");
            else if (p.length > 255 || !PATH_RE.test(p)) error(`the check path is not a well-formed URL path (at most 255 characters, no spaces or control characters).`, "urlPath");
        }
        if (m.domainName.state === "known" && !DOMAIN_RE.test(m.domainName.value)) {
            error(`domainName is not a well-formed host name (letters, digits, hyphens and dots, at most 100 characters). Set it to the Host the backend expects, or leave it unset.`, "domainName");
        }
        checkExpectedCodes(m, (text) => error(text, "expectedCodes"), warn);
    }

    const poolProtocol = pool && pool.protocol.state === "known" ? pool.protocol.value : undefined;
    if (protocol && poolProtocol) {
        if (UDP_POOLS.has(poolProtocol) && protocol !== "UDP_CONNECT") {
            error(`${label(pool!)} uses ${poolProtocol}, which can only be checked with UDP_CONNECT, but the check uses ${protocol}. Set ${names.type} = "UDP_CONNECT".`, "protocol");
        } else if (!UDP_POOLS.has(poolProtocol) && protocol === "UDP_CONNECT") {
            error(`${label(pool!)} uses ${poolProtocol}, but the check uses UDP_CONNECT, which only works for UDP pools. Use TCP or HTTP.`, "protocol");
        }
    }
}

function checkExpectedCodes(m: Monitor, error: (s: string) => void, warn: (s: string) => void): void {
    if (m.expectedCodes.state !== "known") return;
    const field = fieldsOf(m).codes;
    const codes = parseCodes(m.expectedCodes.value);
    if (!codes) {
        error(`${field} is not a status code list such as "200", "200,202" or "200-204" (codes 200-599).`);
        return;
    }
    const healthy: readonly number[] = HEALTHY_CODES[m.family];
    const odd = codes.filter((c) => !healthy.includes(c));
    if (odd.length > 0) {
        warn(
            `${field} expects ${odd.slice(0, 5).join(", ")}${odd.length > 5 ? ", ..." : ""}, which ${m.family} load balancers do not treat as healthy by default (${healthy.join(", ")}). ` +
                `Make sure the backend really answers the check with one of the expected codes.`,
        );
    }
}

/** "200", "200,202", "200-204" → the codes; undefined when malformed. */
export function parseCodes(text: string): number[] | undefined {
    const out: number[] = [];
    for (const part of text.split(",")) {
        const m = /^\s*(\d{3})(?:\s*-\s*(\d{3}))?\s*$/.exec(part);
        if (!m) return undefined;
        const lo = Number(m[1]);
        const hi = Number(m[2] ?? m[1]);
        if (lo < 200 || hi > 599 || lo > hi) return undefined;
        for (let c = lo; c <= hi; c++) out.push(c);
    }
    return out;
}
