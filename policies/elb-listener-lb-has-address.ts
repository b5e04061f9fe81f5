/**
 * Seed check 2: "Checking Whether an EIP or a Private IP Address Is Bound to the Load Balancer".
 * Only TCP and UDP listeners are affected; HTTP/HTTPS health checks work either way (seed).
 */
import type { Finding, PolicyDefinition } from "../src/policy/definition";
import { label, whyNotKnown } from "../src/policy/describe";
import type { LoadBalancer, Listener } from "../src/model/types";
import type { Topology } from "../src/model/topology";
import { addressFixes } from "../src/fix/config-fixes";

const LAYER4 = new Set(["TCP", "UDP"]);

export const elbListenerLbHasAddress: PolicyDefinition = {
    name: "elb-listener-lb-has-address",
    id: "HWELB-002",
    displayName: "Load balancer of a TCP/UDP listener has a private IP or an EIP",
    description: "A load balancer with a TCP or UDP listener must have a private IP address or an EIP bound, or the listener's backends are reported unhealthy.",
    severity: "high",
    defaultLevel: "mandatory",
    remediation: "Give the load balancer a private IPv4 address (ipv4SubnetId) or bind an EIP (ipv4EipId, or iptype with bandwidth settings, or an EIP association to its VIP port).",
    settings: [],
    check({ topology, settings }) {
        const config = { sharedElbSourceRanges: settings.sharedElbSourceRanges, dedicatedSource: settings.dedicatedSource, aclSameSubnet: settings.aclSameSubnet };
        const byLb = new Map<LoadBalancer, Listener[]>();
        for (const listener of topology.listeners) {
            if (listener.protocol.state !== "known" || !LAYER4.has(listener.protocol.value)) continue;
            const lb = topology.deref(listener.loadBalancer, "loadBalancer");
            if (!lb) continue;
            byLb.set(lb, [...(byLb.get(lb) ?? []), listener]);
        }
        const findings: Finding[] = [];
        for (const [lb, listeners] of byLb) {
            const names = listeners.map((l) => `${l.protocol.state === "known" ? l.protocol.value : ""} listener "${l.name}"`).join(", ");
            const address = addressState(topology, lb);
            if (address.state === "has-address") continue;
            if (address.state === "unknown") {
                findings.push({ urn: lb.urn, class: "undetermined", verdict: "undetermined", message: `Cannot tell whether ${label(lb)} (serving ${names}) has a private IP or an EIP: ${address.why}.` });
                continue;
            }
            findings.push({
                urn: lb.urn,
                class: "violation",
                related: listeners.map((l) => l.urn),
                message:
                    `${label(lb)} has neither a private IP address nor an EIP, but serves ${names}: health checks of TCP and UDP listeners fail until one is bound. ` +
                    `Fix: set ipv4SubnetId (a subnet's ipv4SubnetId) to give it a private IPv4 address, or bind an EIP (ipv4EipId, or iptype with bandwidth settings).`,
                fix: "bind a private IPv4 address (ipv4SubnetId) or an EIP to the load balancer",
                fixes: addressFixes(topology, lb, config),
            });
        }
        return findings;
    },
};

type AddressState = { state: "has-address" } | { state: "none" } | { state: "unknown"; why: string };

function addressState(topology: Topology, lb: LoadBalancer): AddressState {
    if (lb.privateIpv4.state === "known" && lb.privateIpv4.value) return { state: "has-address" };
    // A private IPv6 address (dedicated ipv6NetworkId) also gives the load balancer an address; an
    // unresolved reference still means the property is set.
    if (lb.ipv6Network.state === "resolved" || lb.ipv6Network.state === "external" || lb.ipv6Network.state === "unresolved") return { state: "has-address" };
    const eip = topology.hasEip(lb);
    if (eip.state === "known" && eip.value) return { state: "has-address" };
    if (lb.privateIpv4.state !== "known") return { state: "unknown", why: whyNotKnown(lb.privateIpv4, "its private address") };
    if (eip.state !== "known") return { state: "unknown", why: whyNotKnown(eip, "its EIP binding") };
    if (lb.ipv6Network.state === "invalid") return { state: "unknown", why: whyNotKnown(lb.ipv6Network, "its IPv6 subnet") };
    return { state: "none" };
}
