import { describe, expect, it } from "vitest";
import { assumptionTexts, fixText, reasonText, sourceText } from "../../src/policy/reach-text";
import { analyzeReachability, defaultReachConfig, type CheckKind, type FlowCheck, type ReachConfig } from "../../src/reach";
import { shadowedAclRules } from "../../src/reach/acl-explain";
import type { NetworkAcl } from "../../src/model/types";
import { aclRule, cidr, dedicatedStack, known, ports, refTo, sharedStack, unknown, type AclRuleOptions, type World } from "./support";

const ONLY_125: ReachConfig = { ...defaultReachConfig, sharedElbSourceRanges: cidr("100.125.0.0/16") };
const allowSg = (s: { w: World; sg: Parameters<World["rule"]>[0] }) => s.w.rule(s.sg, { protocol: { state: "absent", path: "protocol" } });

function checks(w: World, kind: CheckKind = "network-acl", config: ReachConfig = ONLY_125): FlowCheck[] {
    const [r] = analyzeReachability(w.topology(), config);
    expect(r.undetermined).toBeUndefined();
    return r.checks.filter((c) => c.kind === kind);
}
const one = (w: World, kind?: CheckKind, config?: ReachConfig) => {
    const c = checks(w, kind, config);
    expect(c).toHaveLength(1);
    return c[0];
};
const tcp = (o: AclRuleOptions): AclRuleOptions => ({ protocol: known(6), ...o });

describe("network ACLs: first match in list order, default deny", () => {
    it("an allow after a matching deny never gets the packet; the shadowed allow is named; the fix goes before the deny", () => {
        const s = sharedStack();
        s.w.acl("app-acl", [s.app], [tcp({ name: "deny-all", action: known("deny") }), tcp({ name: "allow-elb", source: known(cidr("100.125.0.0/16")), destinationPorts: known(ports("80")) })]);
        const c = one(s.w);
        expect(c.state).toBe("blocked");
        expect(c.blockedBy).toMatchObject({ kind: "acl-rule", aclName: "app-acl", rulePath: "ingressRules[0]", label: "deny-all", shadowing: { rule: { index: 1, label: "allow-elb" }, by: { index: 0, label: "deny-all" }, how: "covered" } });
        expect(c.witness).toEqual({ source: "100.125.0.0", protocol: "tcp", port: 80 });
        expect(fixText(c)).toBe("add an inbound rule to network ACL app-acl before rule 1 'deny-all': allow tcp destination port 80 from 100.125.0.0/16");
        expect(c.fixAction).toMatchObject({ kind: "add-acl-rule", direction: "inbound", before: { position: 1, label: "deny-all" }, rule: { protocol: "tcp", ipVersion: 4, sourceCidrs: ["100.125.0.0/16"], destinationPort: "80" } });
    });

    it("an allow that a narrower earlier deny pre-empts is named as matching second, not as shadowed", () => {
        const s = sharedStack();
        s.w.acl("app-acl", [s.app], [tcp({ name: "deny-some", action: known("deny"), source: known(cidr("100.125.0.0/17")) }), tcp({ name: "allow-elb", source: known(cidr("100.125.0.0/16")) })]);
        const c = one(s.w);
        expect(c.state).toBe("partial");
        expect(c.blocked.toCidrs()).toEqual(["100.125.0.0/17"]);
        expect(c.blockedBy).toMatchObject({ shadowing: { rule: { index: 1, label: "allow-elb" }, by: { index: 0, label: "deny-some" }, how: "first-match" } });
    });

    it("an allow before an unrelated deny passes", () => {
        const s = sharedStack();
        s.w.acl("app-acl", [s.app], [tcp({ action: known("deny"), source: known(cidr("10.0.0.0/8")) }), tcp({ source: known(cidr("100.125.0.0/16")) })]);
        expect(one(s.w).state).toBe("reachable");
    });

    it("no matching rule: the default deny", () => {
        const s = sharedStack();
        s.w.acl("app-acl", [s.app], [tcp({ destinationPorts: known(ports("443")) })]);
        const c = one(s.w);
        expect(c.state).toBe("blocked");
        expect(c.blockedBy).toEqual({ kind: "acl-default-deny", aclUrn: expect.any(String), aclName: "app-acl" });
        expect(fixText(c)).toBe("add an inbound rule to network ACL app-acl: allow tcp destination port 80 from 100.125.0.0/16");
    });

    it("a disabled ACL (enabled: false) has no effect; unknown enabled cannot be decided", () => {
        const s = sharedStack();
        s.w.acl("app-acl", [s.app], [], [], known(false));
        expect(one(s.w).state).toBe("reachable");
        const u = sharedStack();
        u.w.acl("app-acl", [u.app], [], [], unknown("enabled"));
        const c = one(u.w);
        expect(c.state).toBe("undetermined");
        expect(reasonText(c)).toContain("whether network ACL app-acl is enabled is unknown");
    });

    it("an ACL on another subnet has no effect", () => {
        const s = sharedStack();
        const other = s.w.subnet("other", s.vpc, "192.168.9.0/24");
        s.w.acl("other-acl", [other], []);
        expect(one(s.w).state).toBe("reachable");
    });

    it("disabled rules are skipped", () => {
        const s = sharedStack();
        s.w.acl("legacy", [s.app], [tcp({ action: known("deny"), enabled: known(false) }), tcp({ source: known(cidr("100.125.0.0/16")) })]);
        expect(one(s.w).state).toBe("reachable");
    });

    it("rules on the member's destination: a rule for another host does not apply", () => {
        const s = sharedStack();
        s.w.acl("app-acl", [s.app], [tcp({ action: known("deny"), destination: known(cidr("192.168.1.99/32")) }), tcp({ destination: known(cidr("192.168.1.10/32")) })]);
        expect(one(s.w).state).toBe("reachable");
    });

    it("an allow restricted on source ports covers only part of the probe's ephemeral ports: partial, with the source port", () => {
        const s = sharedStack();
        s.w.acl("app-acl", [s.app], [tcp({ name: "allow-high", sourcePorts: known(ports("1024-65535")) })]);
        const c = one(s.w);
        expect(c.state).toBe("partial");
        expect(c.witness).toEqual({ source: "100.125.0.0", protocol: "tcp", port: 80, sourcePort: 1 });
        expect(c.blocked.toCidrs()).toEqual(["100.125.0.0/16"]);
        expect(c.admitted.isEmpty()).toBe(true);
    });

    it("ICMP flows match ICMP and any-protocol rules; port-restricted rules follow the restricted-ICMP reading", () => {
        const s = dedicatedStack();
        allowSg(s);
        s.w.acl("app-acl", [s.app], [{ protocol: known(17), source: known(cidr("192.168.0.0/24")) }, { protocol: known(1), source: known(cidr("192.168.0.0/24")), destinationPorts: known(ports("1-100")) }]);
        const icmp = checks(s.w, "network-acl", defaultReachConfig).find((c) => c.flow.protocol === 1)!;
        expect(icmp.state).toBe("blocked");
        expect(assumptionTexts(icmp).join()).toContain("restricts destination ports");
    });

    it("an unknown source address is undetermined, naming the rule", () => {
        const s = sharedStack();
        s.w.acl("app-acl", [s.app], [tcp({ name: "allow-elb", source: unknown("ingressRules[0].sourceIpAddress") })]);
        const c = one(s.w);
        expect(c.state).toBe("undetermined");
        expect(reasonText(c)).toContain("rule 1 'allow-elb' of network ACL app-acl");
    });

    it("an ACL whose subnets cannot be resolved: undetermined unless it admits the flow anyway", () => {
        const s = sharedStack();
        const acl = s.w.acl("app-acl", [], []);
        s.w.subnetAcls.set(s.app.urn, { state: "unresolved", reason: "the subnets of network ACL app-acl cannot be resolved at preview", acl });
        expect(one(s.w).state).toBe("undetermined");
        (acl as NetworkAcl).ingress = known([aclRule(acl.urn, "ingressRules[0]", { source: known(cidr("100.0.0.0/8")) })]);
        expect(one(s.w).state).toBe("reachable");
    });
});

describe("network ACLs of a dedicated load balancer's subnet (outbound)", () => {
    it("an ACL on the LB's subnet without an outbound allow blocks the checks leaving it", () => {
        const s = dedicatedStack({ protocol: "TCP", monitor: "TCP" });
        allowSg(s);
        s.w.acl("lb-acl", [s.lbSubnet], [{ action: known("allow") }]);
        const c = one(s.w, "network-acl-lb-subnet", defaultReachConfig);
        expect(c.state).toBe("blocked");
        expect(c.subnet?.name).toBe("lb");
        expect(fixText(c)).toBe("add an outbound rule to network ACL lb-acl: allow tcp destination port 27015 from 192.168.0.0/24 to 192.168.1.10");
        expect(one(s.w, "network-acl", defaultReachConfig).state).toBe("reachable");
    });

    it("an outbound allow to the member admits it", () => {
        const s = dedicatedStack({ protocol: "TCP", monitor: "TCP" });
        allowSg(s);
        s.w.acl("lb-acl", [s.lbSubnet], [], [{ protocol: known(6), destination: known(cidr("192.168.1.0/24")) }]);
        expect(one(s.w, "network-acl-lb-subnet", defaultReachConfig).state).toBe("reachable");
    });

    it("same subnet (unconfirmed whether ACLs filter it): filtered by default with a note; not-filtered on request", () => {
        const s = dedicatedStack({ sameSubnet: true, protocol: "TCP", monitor: "TCP" });
        allowSg(s);
        s.w.acl("lb-acl", [s.lbSubnet], [{ protocol: known(6), source: known(cidr("10.0.0.0/8")) }]);
        const filtered = checks(s.w, "network-acl", defaultReachConfig)[0];
        expect(filtered.state).toBe("blocked");
        expect(assumptionTexts(filtered).join()).toContain('set aclSameSubnet to "not-filtered"');
        expect(checks(s.w, "network-acl-lb-subnet", defaultReachConfig)[0].state).toBe("blocked");

        const relaxed = { ...defaultReachConfig, aclSameSubnet: "not-filtered" as const };
        const nf = checks(s.w, "network-acl", relaxed)[0];
        expect(nf.state).toBe("reachable");
        expect(assumptionTexts(nf).join()).toContain('aclSameSubnet is "not-filtered"');
        expect(checks(s.w, "network-acl-lb-subnet", relaxed)).toEqual([]);
    });

    it("several backend subnets: each subnet's ACL judges the sources in it", () => {
        const s = dedicatedStack({ protocol: "TCP", monitor: "TCP" });
        allowSg(s);
        const second = s.w.subnet("lb2", s.vpc, "192.168.5.0/24");
        s.lb.backendSubnets = known([refTo(s.lbSubnet), refTo(second)]);
        s.w.acl("lb2-acl", [second], []);
        const c = checks(s.w, "network-acl-lb-subnet", defaultReachConfig);
        expect(c.map((x) => `${x.subnet?.name}:${x.state}`)).toEqual(["lb:reachable", "lb2:blocked"]);
        expect(c[1].blocked.toCidrs()).toEqual(["192.168.5.0/24"]);
        expect(sourceText(checks(s.w, "security-group", defaultReachConfig)[0].flow.sourceLabel)).toBe("backend subnets lb (192.168.0.0/24), lb2 (192.168.5.0/24) of game-lb");
    });
});

describe("shadowedAclRules", () => {
    it("finds rules an earlier rule covers entirely", () => {
        const s = sharedStack();
        const rules = [
            aclRule("u", "r[0]", { protocol: known(6), source: known(cidr("100.0.0.0/8")) }),
            aclRule("u", "r[1]", { protocol: known(6), source: known(cidr("100.125.0.0/16")), destinationPorts: known(ports("80")) }),
            aclRule("u", "r[2]", { protocol: known(17), source: known(cidr("100.125.0.0/16")) }),
            aclRule("u", "r[3]", { protocol: known("any"), source: known(cidr("100.125.0.0/16")) }),
        ];
        expect([...shadowedAclRules(s.w.topology(), rules)]).toEqual([[1, 0]]);
    });
});
