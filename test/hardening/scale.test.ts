/**
 * Big inputs: a security group of 5,000 rules and a network ACL of 1,000 rules in front of one
 * member; times are printed (budgets live in the benchmark, not in assertions).
 */
import { describe, expect, it } from "vitest";
import { catalogue } from "../../policies";
import { buildTopology } from "../../src/model/build";
import { evaluatePolicy, ReachCache } from "../../src/policy/evaluate";
import { loadBase, render, type StackResource } from "../support/fixture-stack";

describe("scale", () => {
    it("a 5,000-rule security group and a 1,000-rule ACL", () => {
        const base = loadBase("shared-http");
        const extra: StackResource[] = [];
        for (let i = 0; i < 5000; i++) {
            // Many narrow denies and allows elsewhere; the two real allows stay in place.
            extra.push({
                type: "huaweicloud:Vpc/secgroupRule:SecgroupRule",
                name: `bulk-${i}`,
                props: { securityGroupId: { ref: "web-sg" }, direction: "ingress", ethertype: "IPv4", protocol: "tcp", ports: `${1000 + (i % 5000)}`, remoteIpPrefix: `10.${i >> 8}.${i & 255}.0/24`, action: i % 3 ? "allow" : "deny", priority: 1 + (i % 100) },
            });
        }
        const acl = base.find((r) => r.name === "app-acl")!;
        const rules = acl.props.ingressRules as unknown[];
        const bulk = Array.from({ length: 998 }, (_, i) => ({ name: `bulk-${i}`, action: i % 2 ? "allow" : "deny", protocol: "tcp", ipVersion: 4, sourceIpAddress: `172.16.${i >> 8}.${i & 255}/32`, sourcePort: `${1024 + i}-65535`, destinationPort: `${2000 + i}` }));
        acl.props.ingressRules = [...bulk, ...rules];
        const t0 = performance.now();
        const topology = buildTopology(render([...base, ...extra], "unknown").raw);
        const cache = new ReachCache();
        const findings = catalogue.flatMap((d) => evaluatePolicy(d, topology, { cache }));
        const ms = performance.now() - t0;
        console.log(`scale: ${extra.length + base.length} resources, 5,000 SG rules, 1,000 ACL rules analyzed in ${ms.toFixed(0)} ms`);
        expect(findings.filter((f) => f.level === "mandatory")).toEqual([]);
    });
});
