/**
 * Seed check 1: "Checking Whether the Backend Server Group Is Associated with a Listener".
 * A pool that no listener routes to is never health-checked usefully: its members show as
 * unhealthy and receive no traffic.
 */
import type { Finding, PolicyDefinition } from "../src/policy/definition";
import { label } from "../src/policy/describe";
import { listenerFixes, newListenerClaims } from "../src/fix/config-fixes";

export const elbPoolHasListener: PolicyDefinition = {
    name: "elb-pool-has-listener",
    id: "HWELB-001",
    displayName: "ELB backend server group is associated with a listener",
    description: "Every ELB backend server group (pool) must be associated with a listener, or its members are reported unhealthy.",
    severity: "high",
    defaultLevel: "mandatory",
    remediation: "Set the pool's listenerId to a listener of the load balancer, or set a listener's defaultPoolId to the pool.",
    settings: [],
    check({ topology, settings }) {
        const findings: Finding[] = [];
        const config = { sharedElbSourceRanges: settings.sharedElbSourceRanges, dedicatedSource: settings.dedicatedSource, aclSameSubnet: settings.aclSameSubnet };
        // Fixes of several pools never hand out one listener or one port twice.
        const claims = newListenerClaims();
        // A listener whose defaultPoolId cannot be resolved might point at any pool being created.
        const openListeners = topology.listeners.filter((l) => l.defaultPool.state === "unresolved");
        for (const pool of topology.pools) {
            if (topology.listenersOfPool(pool).length > 0) continue;
            // A literal ID of a listener outside this stack: associated elsewhere, not our business.
            if (pool.listener.state === "external") continue;
            const members = topology.membersOfPool(pool);
            const membersText = members.length > 0 ? ` Its ${members.length} member(s) (${members.slice(0, 3).map((m) => `"${m.name}"`).join(", ")}${members.length > 3 ? ", ..." : ""}) would be reported unhealthy.` : "";
            if (pool.listener.state === "unresolved" || pool.listener.state === "invalid" || openListeners.length > 0) {
                const why =
                    pool.listener.state === "unresolved" || pool.listener.state === "invalid"
                        ? `its listenerId cannot be resolved (${pool.listener.state === "unresolved" ? pool.listener.reason : "invalid value"})`
                        : `listener ${openListeners.map((l) => `"${l.name}"`).join(", ")} has a defaultPoolId that cannot be resolved`;
                findings.push({
                    urn: pool.urn,
                    class: "undetermined",
                    verdict: "undetermined",
                    message: `Cannot tell whether ${label(pool)} is associated with a listener: ${why}.`,
                });
                continue;
            }
            findings.push({
                urn: pool.urn,
                class: "violation",
                message:
                    `${label(pool)} is not associated with any listener: its listenerId is not set and no listener in the stack uses it as defaultPoolId.` +
                    membersText +
                    ` Fix: set listenerId on the pool to a listener of its load balancer, or set that listener's defaultPoolId to the pool.`,
                fix: "associate the pool with a listener (pool.listenerId or listener.defaultPoolId)",
                fixes: listenerFixes(topology, pool, config, claims),
            });
        }
        return findings;
    },
};
