/**
 * The core behind the real model builder: raw resources (as a preview or an update sends them) →
 * buildTopology → analyzeReachability. IDs either literal, or unknown and linked only through
 * propertyDependencies.
 */
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { describe, expect, it } from "vitest";
import { fixText } from "../../src/policy/reach-text";
import { buildTopology } from "../../src/model/build";
import type { RawResource } from "../../src/model/types";
import { analyzeReachability } from "../../src/reach";

type Spec = { type: string; name: string; props: Record<string, unknown> };
const urn = (s: { type: string; name: string }) => `urn:pulumi:test::glue::${s.type}::${s.name}`;

/** `{ ref: "name" }` (or `{ ref, attr }`) in props becomes the literal ID, or an unknown with a dependency. */
function render(specs: Spec[], mode: "known" | "unknown"): RawResource[] {
    const byName = new Map(specs.map((s) => [s.name, s]));
    return specs.map((s) => {
        const deps: Record<string, string[]> = {};
        const walk = (v: unknown, top: string): unknown => {
            if (Array.isArray(v)) return v.map((x) => walk(x, top));
            if (v && typeof v === "object") {
                const o = v as Record<string, unknown>;
                if (typeof o.ref === "string") {
                    const target = byName.get(o.ref)!;
                    (deps[top] ??= []).push(urn(target));
                    return mode === "known" ? `${o.ref}-${(o.attr as string) ?? "id"}` : unknownValue;
                }
                return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, walk(x, top)]));
            }
            return v;
        };
        const props = Object.fromEntries(Object.entries(s.props).map(([k, v]) => [k, walk(v, k)]));
        const own = mode === "known" ? { id: `${s.name}-id`, ...(s.type.endsWith("subnet:Subnet") ? { ipv4SubnetId: `${s.name}-ipv4SubnetId` } : {}) } : {};
        return { urn: urn(s), type: s.type, name: s.name, props: { ...own, ...props }, propertyDependencies: deps };
    });
}

const sharedStack = (extraRules: Spec[] = []): Spec[] => [
    { type: "huaweicloud:Vpc/vpc:Vpc", name: "vpc", props: { name: "web", cidr: "192.168.0.0/16" } },
    { type: "huaweicloud:Vpc/subnet:Subnet", name: "app", props: { name: "app", vpcId: { ref: "vpc" }, cidr: "192.168.1.0/24", gatewayIp: "192.168.1.1" } },
    { type: "huaweicloud:Vpc/secgroup:Secgroup", name: "web-sg", props: { name: "web-sg" } },
    ...["100.125.0.0/16", "100.126.0.0/16"].map((cidr, i) => ({ type: "huaweicloud:Vpc/secgroupRule:SecgroupRule", name: `web-sg-elb-${i}`, props: { securityGroupId: { ref: "web-sg" }, direction: "ingress", ethertype: "IPv4", protocol: "tcp", ports: "80", remoteIpPrefix: cidr, action: "allow", priority: 10 } })),
    ...extraRules,
    { type: "huaweicloud:Ecs/instance:Instance", name: "web-0", props: { name: "web-0", networks: [{ uuid: { ref: "app" }, fixedIpV4: "192.168.1.10" }], securityGroupIds: [{ ref: "web-sg" }] } },
    { type: "huaweicloud:Elb/loadbalancer:Loadbalancer", name: "lb", props: { name: "lb", vipSubnetId: { ref: "app", attr: "ipv4SubnetId" } } },
    { type: "huaweicloud:Elb/listener:Listener", name: "http", props: { name: "http", protocol: "HTTP", protocolPort: 80, loadbalancerId: { ref: "lb" } } },
    { type: "huaweicloud:Elb/pool:Pool", name: "pool", props: { name: "pool", protocol: "HTTP", lbMethod: "ROUND_ROBIN", listenerId: { ref: "http" } } },
    { type: "huaweicloud:Elb/monitor:Monitor", name: "check", props: { poolId: { ref: "pool" }, type: "HTTP", delay: 5, timeout: 3, maxRetries: 3, urlPath: "/" } },
    { type: "huaweicloud:Elb/member:Member", name: "member", props: { poolId: { ref: "pool" }, address: "192.168.1.10", protocolPort: 80, subnetId: { ref: "app", attr: "ipv4SubnetId" } } },
];

describe("glue: buildTopology → analyzeReachability", () => {
    for (const mode of ["known", "unknown"] as const) {
        it(`a correct shared stack is reachable on every check (${mode} IDs)`, () => {
            const [r] = analyzeReachability(buildTopology(render(sharedStack(), mode)));
            expect(r.undetermined).toBeUndefined();
            expect(r.checks.map((c) => `${c.kind}:${c.state}`)).toEqual(["security-group:reachable", "network-acl:reachable"]);
        });

        it(`a higher-priority deny is found, with the rule to add (${mode} IDs)`, () => {
            const deny: Spec = { type: "huaweicloud:Vpc/secgroupRule:SecgroupRule", name: "deny-scanners", props: { securityGroupId: { ref: "web-sg" }, direction: "ingress", ethertype: "IPv4", protocol: "tcp", ports: "1-1024", remoteIpPrefix: "100.125.0.0/17", action: "deny", priority: 5 } };
            const [r] = analyzeReachability(buildTopology(render(sharedStack([deny]), mode)));
            const sg = r.checks.find((c) => c.kind === "security-group")!;
            expect(sg.state).toBe("partial");
            expect(sg.witness).toEqual({ source: "100.125.0.0", protocol: "tcp", port: 80 });
            expect(sg.blockedBy).toMatchObject({ kind: "deny-rule", group: "web-sg", priority: 5 });
            expect(fixText(sg)).toContain("add an ingress rule to security group web-sg: allow tcp port 80 from 100.125.0.0/17 with priority 4");
        });
    }

    it("a v3 network ACL in front of the member, first match wins", () => {
        const acl: Spec = {
            type: "huaweicloud:Vpc/networkAcl:NetworkAcl",
            name: "app-acl",
            props: { name: "app-acl", ingressRules: [{ name: "deny-all", action: "deny", protocol: "any", ipVersion: 4 }, { name: "allow-elb", action: "allow", protocol: "tcp", ipVersion: 4, sourceIpAddress: "100.125.0.0/16" }], associatedSubnets: [{ subnetId: { ref: "app" } }] },
        };
        const [r] = analyzeReachability(buildTopology(render(sharedStack([acl]), "known")));
        const c = r.checks.find((x) => x.kind === "network-acl")!;
        expect(c.state).toBe("blocked");
        expect(c.blockedBy).toMatchObject({ kind: "acl-rule", label: "deny-all", shadowing: { rule: { index: 1, label: "allow-elb" }, by: { index: 0, label: "deny-all" }, how: "covered" } });
        expect(fixText(c)).toBe("add inbound rules (one per source CIDR) to network ACL app-acl before rule 1 'deny-all': allow tcp destination port 80 from 100.125.0.0/16, 100.126.0.0/16");
    });
});
