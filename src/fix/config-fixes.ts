/**
 * Fixes as data for the configuration policies (docs/fix-operations.md): a pool without a listener
 * (HWELB-001), a TCP/UDP load balancer without an address (HWELB-002), a health check configured
 * wrongly (HWELB-003). Each is the smallest change to the inputs the finding names, in the provider's
 * Pulumi input names for the resource's family.
 *
 * A change that alters what the health checks send (a new listener, another check protocol, another
 * VIP subnet) is evaluated again on the changed topology: the security-group and network-ACL fixes the
 * members then need are part of the same fix, so applying it raises no new finding.
 */
import type { Topology } from "../model/topology";
import { indexToken, tokenInfo } from "../model/tokens";
import type { Listener, LoadBalancer, Monitor, Pool, Subnet, Value } from "../model/types";
import { memberReachability, type FlowCheck, type ReachConfig } from "../reach";
import { mergeOperations, operationsForFinding, resourceName, siblingUrn, type FixOperation } from "./operations";

// ---------------------------------------------------------------------------------------------
// What-if: the members' health checks after a change

/** A failing check, by what it checks: its kind, flow and the group / ACL it is about. */
const checkKey = (c: FlowCheck) => [c.kind, c.flow.protocol, c.flow.port ?? "", c.flow.family, c.flow.purpose, c.flow.sources.key(), c.subjectUrn ?? "", c.subnet?.urn ?? ""].join("|");
const failing = (c: FlowCheck) => c.state === "blocked" || c.state === "partial";

/**
 * The fixes the members of `pools` need once `changed` (the topology after the change) is deployed, for
 * the checks the change makes fail: a check that fails before the change already has its fix in the
 * reachability findings.
 */
function reachFixesAfter(before: Topology, changed: Topology, pools: readonly Pool[], config: ReachConfig): FixOperation[] {
    const out: FixOperation[][] = [];
    for (const pool of pools) {
        const members = new Set([...changed.membersOfPool(pool), ...(pool.activeStandby?.members ?? [])]);
        for (const m of members) {
            const r = memberReachability(changed, m, config);
            // Members whose checks do not count (weight 0, check disabled) never get a mandatory finding.
            if (r.undetermined || (m.weight.state === "known" && m.weight.value === 0)) continue;
            if (!r.monitor || (r.monitor.enabled.state === "known" && !r.monitor.enabled.value)) continue;
            const was = memberReachability(before, m, config);
            const wasWaived = !!was.undetermined || !was.monitor || (was.monitor.enabled.state === "known" && !was.monitor.enabled.value);
            const old = new Set(wasWaived ? [] : was.checks.filter(failing).map(checkKey));
            const bad = r.checks.filter((c) => failing(c) && !old.has(checkKey(c)));
            if (bad.length > 0) out.push(operationsForFinding(changed, bad));
        }
    }
    return mergeOperations(out);
}

const known = <T>(value: T): Value<T> => ({ state: "known", value });

// ---------------------------------------------------------------------------------------------
// HWELB-003: health-check configuration

/** Which error of a health check a fix corrects. */
export type MonitorError = "timing" | "maxRetries" | "port" | "urlPath" | "domainName" | "expectedCodes" | "protocol";

/** Input names of a health check's fields, per family and form (resource, or an active/standby pool's inline block). */
function monitorInputs(m: Monitor) {
    if (m.inputPath !== undefined) {
        const at = (k: string) => `${m.inputPath}.${k}`;
        return { protocol: at("type"), port: at("monitorPort"), interval: at("delay"), timeout: at("timeout"), maxRetries: at("maxRetries"), urlPath: at("urlPath"), domainName: at("domainName"), expectedCodes: at("expectedCodes") };
    }
    const shared = m.family === "shared";
    return { protocol: shared ? "type" : "protocol", port: "port", interval: shared ? "delay" : "interval", timeout: "timeout", maxRetries: "maxRetries", urlPath: "urlPath", domainName: "domainName", expectedCodes: shared ? "expectedCodes" : "statusCode" };
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.round(v)));

// Printable path characters the ELB API accepts in a check path (as the policy checks them).
const PATH_RE = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*$/;

/** The nearest well-formed check path: "/" in front, other characters percent-encoded; "/" when still too long. */
export function correctedPath(p: string, maxLength: number): string {
    let out = p.startsWith("/") ? p : `/${p}`;
    if (!PATH_RE.test(out)) out = [...out].map((ch) => (/[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]/.test(ch) ? ch : encodeURIComponent(ch))).join("");
    return out.length <= maxLength && PATH_RE.test(out) ? out : "/";
}

/**
 * The corrected health check: per error the policy reports, the operations that correct it. All of them
 * come from one corrected monitor, so the operations of several findings on one check agree.
 */
export function monitorFixes(topology: Topology, m: Monitor, pool: Pool | undefined, config: ReachConfig, errors: ReadonlySet<MonitorError>): Map<MonitorError, FixOperation[]> {
    const names = monitorInputs(m);
    const out = new Map<MonitorError, FixOperation[]>();
    const set = (property: string, value: unknown): FixOperation => ({ op: "set-property", urn: m.urn, property, value });

    if (errors.has("timing")) {
        const iv0 = m.interval.state === "known" ? m.interval.value : undefined;
        const to0 = m.timeout.state === "known" ? m.timeout.value : undefined;
        let iv = iv0 === undefined ? undefined : clamp(iv0, 1, 50);
        let to = to0 === undefined ? undefined : clamp(to0, 1, 50);
        // The timeout must end before the next check starts: below the interval (shared: strictly; dedicated: recommended).
        if (iv !== undefined && to !== undefined && to >= iv) {
            if (iv >= 2) to = iv - 1;
            else {
                iv = Math.min(to + 1, 50);
                if (to >= iv) to = iv - 1;
            }
        }
        const ops: FixOperation[] = [];
        if (iv !== undefined && iv !== iv0) ops.push(set(names.interval, iv));
        if (to !== undefined && to !== to0) ops.push(set(names.timeout, to));
        out.set("timing", ops);
    }
    if (errors.has("maxRetries") && m.maxRetries.state === "known") out.set("maxRetries", [set(names.maxRetries, clamp(m.maxRetries.value, 1, 10))]);
    if (errors.has("urlPath") && m.urlPath.state === "known") out.set("urlPath", [set(names.urlPath, correctedPath(m.urlPath.value, m.inputPath !== undefined ? 80 : 255))]);
    // Malformed optional values: unset, so the documented default applies (the VIP as Host, the default codes).
    if (errors.has("domainName")) out.set("domainName", [set(names.domainName, null)]);
    if (errors.has("expectedCodes")) out.set("expectedCodes", [set(names.expectedCodes, null)]);

    // Changes to what is probed: the port (unset = the member port) and the protocol. The members' checks
    // change with them, so their security-group and ACL fixes come along.
    const probe: FixOperation[] = [];
    let changed: Monitor = m;
    if (errors.has("port")) {
        probe.push(set(names.port, null));
        changed = { ...changed, port: { state: "absent", path: names.port } };
    }
    let protocolOps: FixOperation[] = [];
    if (errors.has("protocol") && pool && pool.protocol.state === "known") {
        const udpPool = pool.protocol.value === "UDP" || pool.protocol.value === "QUIC";
        const protocol = udpPool ? "UDP_CONNECT" : "TCP";
        protocolOps = [set(names.protocol, protocol)];
        changed = { ...changed, protocol: known(protocol) };
    }
    if (changed !== m && pool) {
        const after: Topology = { ...topology, monitorsOfPool: (p: Pool) => (p.urn === pool.urn ? [changed, ...topology.monitorsOfPool(p).filter((x) => x !== m)] : topology.monitorsOfPool(p)) };
        const follow = reachFixesAfter(topology, after, [pool], config);
        if (errors.has("port")) out.set("port", mergeOperations([probe, protocolOps, follow]));
        if (protocolOps.length > 0) out.set("protocol", mergeOperations([protocolOps, probe, follow]));
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// HWELB-002: a private IPv4 address for the load balancer

/**
 * The subnet whose ipv4SubnetId gives the load balancer its private IPv4 address: one it already uses
 * (a dedicated load balancer's first backend subnet), else the subnet of its members, else the first
 * subnet of its VPC. Undefined when none can be told.
 */
function vipSubnet(topology: Topology, lb: LoadBalancer): Subnet | undefined {
    const vpc = topology.deref(lb.vpc, "vpc");
    const inVpc = (s: Subnet) => !vpc || topology.deref(s.vpc, "vpc") === vpc;
    if (lb.backendSubnets.state === "known") {
        for (const ref of lb.backendSubnets.value) {
            const s = topology.deref(ref, "subnet");
            if (s && inVpc(s)) return s;
        }
    }
    for (const pool of topology.pools) {
        if (topology.loadBalancerOfPool(pool) !== lb) continue;
        for (const m of new Set([...topology.membersOfPool(pool), ...(pool.activeStandby?.members ?? [])])) {
            const s = topology.subnetOfMember(m);
            if (s && inVpc(s) && (m.subnetIdLiteral === undefined || m.subnetIdLiteral !== s.ipv6SubnetId)) return s;
        }
    }
    return vpc ? topology.subnets.find((s) => topology.deref(s.vpc, "vpc") === vpc) : undefined;
}

/** HWELB-002: set the VIP subnet (shared `vipSubnetId`, dedicated `ipv4SubnetId`); [] when no subnet can be told. */
export function addressFixes(topology: Topology, lb: LoadBalancer, config: ReachConfig): FixOperation[] {
    const subnet = vipSubnet(topology, lb);
    if (!subnet) return [];
    const op: FixOperation = { op: "set-property", urn: lb.urn, property: lb.family === "shared" ? "vipSubnetId" : "ipv4SubnetId", value: { ref: subnet.urn, property: "ipv4SubnetId" } };
    if (lb.family === "shared") return [op];
    // Without backendSubnets a dedicated load balancer sends its checks from the VIP subnet once it has one.
    const after: Topology = {
        ...topology,
        backendSubnetsOfLoadBalancer: (l: LoadBalancer) => (l === lb && lb.backendSubnets.state === "absent" && lb.ipv6Network.state === "absent" ? known([subnet]) : topology.backendSubnetsOfLoadBalancer(l)),
    };
    const pools = topology.pools.filter((p) => topology.loadBalancerOfPool(p) === lb);
    return mergeOperations([[op], reachFixesAfter(topology, after, pools, config)]);
}

// ---------------------------------------------------------------------------------------------
// HWELB-001: a listener for a pool

/** Listener protocols that may forward to a pool of each protocol (huaweicloud-resources.md §4.3, §5.3). */
const LISTENERS_FOR_POOL: Record<"shared" | "dedicated", Record<string, readonly string[]>> = {
    shared: { TCP: ["TCP"], UDP: ["UDP"], HTTP: ["HTTP", "TERMINATED_HTTPS"] },
    dedicated: { TCP: ["TCP", "TLS"], UDP: ["UDP"], QUIC: ["UDP"], HTTP: ["HTTP", "HTTPS", "QUIC"], HTTPS: ["HTTPS", "QUIC"], GRPC: ["QUIC"], TLS: ["TLS"], IP: ["IP"] },
};
/** The protocol of a new listener for a pool: only those that need no certificate and no gateway load balancer. */
const NEW_LISTENER: Record<string, string> = { TCP: "TCP", UDP: "UDP", QUIC: "UDP", HTTP: "HTTP" };
const UDP_LISTENERS = new Set(["UDP"]);
const LAYER4 = new Set(["TCP", "UDP"]);

/** Claims across the pools of one check, so two pools never get the same listener or port. */
export interface ListenerClaims {
    listeners: Set<string>;
    ports: Map<string, Set<string>>;
}
export const newListenerClaims = (): ListenerClaims => ({ listeners: new Set(), ports: new Map() });

/**
 * HWELB-001: a listener of the pool's load balancer that forwards the pool's protocol and has no default
 * pool gets `defaultPoolId` = the pool; else a new listener is added (protocol from the pool, port the
 * members' port when free). [] when the load balancer cannot be told or the pool's protocol needs a
 * certificate (HTTPS, TLS, GRPC) or a gateway load balancer (IP).
 */
export function listenerFixes(topology: Topology, pool: Pool, config: ReachConfig, claims: ListenerClaims): FixOperation[] {
    if (pool.protocol.state !== "known") return [];
    const family = pool.family;
    const protocol = pool.protocol.value;
    let lb = topology.loadBalancerOfPool(pool);
    if (!lb && pool.loadBalancer.state === "absent") {
        const candidates = topology.loadBalancers.filter((l) => l.family === family);
        if (candidates.length === 1) lb = candidates[0];
    }
    // A load balancer outside the stack (a literal ID): its listeners in the stack name the same ID.
    const outside = !lb && pool.loadBalancer.state === "external" ? pool.loadBalancer.id : undefined;
    if (!lb && outside === undefined) return [];
    const theLb = lb;
    const lbKey = theLb?.urn ?? `external:${outside}`;
    const onLb = topology.listeners.filter((l) => (theLb ? topology.deref(l.loadBalancer, "loadBalancer") === theLb : l.loadBalancer.state === "external" && l.loadBalancer.id === outside));
    const taken = new Set(topology.pools.flatMap((p) => topology.listenersOfPool(p).map((l) => l.urn)));
    const fits = LISTENERS_FOR_POOL[family][protocol] ?? [];
    const existing = onLb.find((l) => l.protocol.state === "known" && fits.includes(l.protocol.value) && l.defaultPool.state === "absent" && !taken.has(l.urn) && !claims.listeners.has(l.urn));

    let listener: Listener;
    let ops: FixOperation[];
    if (existing) {
        claims.listeners.add(existing.urn);
        listener = { ...existing, defaultPool: { state: "resolved", urn: pool.urn, via: "dependency", path: "defaultPoolId" } };
        ops = [{ op: "set-property", urn: existing.urn, property: "defaultPoolId", value: { ref: pool.urn, property: "id" } }];
    } else {
        const newProtocol = NEW_LISTENER[protocol];
        if (!newProtocol) return [];
        const port = freePort(topology, pool, onLb, newProtocol, claims.ports.get(lbKey) ?? new Set());
        if (port === undefined) return [];
        const used = claims.ports.get(lbKey) ?? new Set<string>();
        used.add(`${UDP_LISTENERS.has(newProtocol) ? "udp" : "tcp"}/${port}`);
        claims.ports.set(lbKey, used);
        const styleOf = tokenInfo(pool.type);
        const terraform = family === "shared" ? "huaweicloud_lb_listener" : "huaweicloud_elb_listener";
        const type = styleOf?.style === "index" ? indexToken(terraform) : family === "shared" ? "huaweicloud:Elb/listener:Listener" : "huaweicloud:DedicatedElb/listener:Listener";
        const name = resourceName(pool.name, "listener", newProtocol, port);
        const urn = siblingUrn(pool.urn, type, name);
        listener = {
            kind: "listener", family, urn, type, name, tags: {},
            protocol: known(newProtocol), port: known(port),
            loadBalancer: theLb ? { state: "resolved", urn: theLb.urn, via: "dependency", path: "loadbalancerId" } : { state: "external", id: outside!, path: "loadbalancerId" },
            defaultPool: { state: "resolved", urn: pool.urn, via: "dependency", path: "defaultPoolId" },
            transparentClientIp: { state: "absent", path: "transparentClientIpEnable" },
        };
        ops = [{ op: "add-resource", type, name, urn, inputs: { loadbalancerId: theLb ? { ref: theLb.urn, property: "id" } : outside!, protocol: newProtocol, protocolPort: port, defaultPoolId: { ref: pool.urn, property: "id" } } }];
        // A TCP/UDP listener on a load balancer without an address would fail HWELB-002 at once.
        if (lb && LAYER4.has(newProtocol) && lb.privateIpv4.state === "known" && !lb.privateIpv4.value && lb.ipv6Network.state === "absent") {
            const eip = topology.hasEip(lb);
            if (eip.state === "known" && !eip.value) ops.push(...addressFixes(topology, lb, config));
        }
    }
    const after: Topology = {
        ...topology,
        listenersOfPool: (p: Pool) => (p.urn === pool.urn ? [listener] : topology.listenersOfPool(p)),
        loadBalancerOfPool: (p: Pool) => (p.urn === pool.urn ? theLb : topology.loadBalancerOfPool(p)),
    };
    return mergeOperations([ops, reachFixesAfter(topology, after, [pool], config)]);
}

/** The members' port (else 80) when no listener of the same transport uses it on the load balancer, else the next free one. */
function freePort(topology: Topology, pool: Pool, onLb: readonly Listener[], protocol: string, claimed: ReadonlySet<string>): number | undefined {
    const transport = (p: string) => (UDP_LISTENERS.has(p) || p === "QUIC" ? "udp" : "tcp");
    const mine = transport(protocol);
    const used = new Set(onLb.filter((l) => l.protocol.state === "known" && transport(l.protocol.value) === mine && l.port.state === "known").map((l) => (l.port as { value: number }).value));
    const members = [...topology.membersOfPool(pool), ...(pool.activeStandby?.members ?? [])];
    const memberPort = members.map((m) => m.port).find((p) => p.state === "known" && p.value >= 1 && p.value <= 65535);
    const start = memberPort?.state === "known" ? memberPort.value : 80;
    for (let i = 0; i < 65535; i++) {
        const port = ((start - 1 + i) % 65535) + 1;
        if (!used.has(port) && !claimed.has(`${mine}/${port}`)) return port;
    }
    return undefined;
}
