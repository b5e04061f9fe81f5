import { describe, expect, it } from "vitest";
import { assumptionTexts, fixText, reasonText, sgRuleLabel, sourceText } from "../../src/policy/reach-text";
import { analyzeReachability, defaultReachConfig, type FlowCheck, type MemberReachability, type ReachConfig } from "../../src/reach";
import { cidr, dedicatedStack, externalRef, known, ports, refTo, sharedStack, unknown, type RuleOptions, type World } from "./support";
import type { SecurityGroup } from "../../src/model/types";

const ONLY_125: ReachConfig = { ...defaultReachConfig, sharedElbSourceRanges: cidr("100.125.0.0/16") };

function sgChecks(w: World, config: ReachConfig = defaultReachConfig): FlowCheck[] {
    const [r] = analyzeReachability(w.topology(), config);
    expect(r.undetermined).toBeUndefined();
    return r.checks.filter((c) => c.kind === "security-group");
}
const one = (w: World, config?: ReachConfig) => {
    const checks = sgChecks(w, config);
    expect(checks).toHaveLength(1);
    return checks[0];
};
const tcp80 = (o: RuleOptions = {}): RuleOptions => ({ protocol: known(6), ports: known(ports("80")), ...o });
const from = (...texts: string[]) => texts.map((t) => ({ kind: "cidr" as const, set: known(cidr(t)) }));

describe("security groups: which sources a rule set admits", () => {
    it("a wider CIDR admits the whole range", () => {
        const { w, sg } = sharedStack();
        w.rule(sg, tcp80({ remotes: from("100.0.0.0/8") }));
        const c = one(w);
        expect(c.state).toBe("reachable");
        expect(c.admitted.toCidrs()).toEqual(["100.125.0.0/16", "100.126.0.0/16"]);
    });

    it("a /17 admits half: partial, the witness is in the other half, the fix names exactly that half", () => {
        const { w, sg } = sharedStack();
        w.rule(sg, tcp80({ remotes: from("100.125.0.0/17") }));
        const c = one(w, ONLY_125);
        expect(c.state).toBe("partial");
        expect(c.blocked.toCidrs()).toEqual(["100.125.128.0/17"]);
        expect(c.witness).toEqual({ source: "100.125.128.0", protocol: "tcp", port: 80 });
        expect(c.blockedBy).toEqual({ kind: "no-rule", groups: [{ urn: sg.urn, name: "web-sg" }] });
        expect(fixText(c)).toBe("add an ingress rule to security group web-sg: allow tcp port 80 from 100.125.128.0/17");
        expect(c.fixAction).toMatchObject({ kind: "add-security-group-rule", groupName: "web-sg", rule: { ethertype: "IPv4", protocol: "tcp", ports: "80", remoteIpPrefixes: ["100.125.128.0/17"], action: "allow" } });
    });

    it("both default shared ranges are required (100.126.0.0/16 missing is partial)", () => {
        const { w, sg } = sharedStack();
        w.rule(sg, tcp80({ remotes: from("100.125.0.0/16") }));
        const c = one(w);
        expect(c.state).toBe("partial");
        expect(c.witness?.source).toBe("100.126.0.0");
        expect(fixText(c)).toContain("from 100.126.0.0/16");
    });

    it("an allow with a higher-priority deny is blocked; the fix outranks the deny", () => {
        const { w, sg } = sharedStack();
        w.rule(sg, tcp80({ name: "allow-elb", remotes: from("100.125.0.0/16"), priority: known(10) }));
        const deny = w.rule(sg, tcp80({ name: "deny-all", action: known("deny"), priority: known(5) }));
        const c = one(w, ONLY_125);
        expect(c.state).toBe("blocked");
        expect(c.blockedBy).toMatchObject({ kind: "deny-rule", urn: deny.urn, group: "web-sg", priority: 5 });
        expect(fixText(c)).toBe('add an ingress rule to security group web-sg: allow tcp port 80 from 100.125.0.0/16 with priority 4 (ahead of deny rule "deny-all" (deny tcp 80 from any address, priority 5))');
    });

    it("a priority-1 allow does not beat a priority-1 deny (deny wins ties): remove or narrow the deny", () => {
        const { w, sg } = sharedStack();
        w.rule(sg, tcp80({ remotes: from("100.125.0.0/16"), priority: known(1) }));
        const deny = w.rule(sg, tcp80({ name: "deny-elb", remotes: from("100.125.0.0/16"), action: known("deny"), priority: known(1) }));
        const c = one(w, ONLY_125);
        expect(c.state).toBe("blocked");
        expect(c.fixAction).toEqual({ kind: "remove-or-narrow-deny", rules: [{ ruleUrn: deny.urn, groupName: "web-sg", rule: deny, priority: 1 }], narrow: { denies: [deny.urn], allowIn: { urn: sg.urn, name: "web-sg" }, missing: expect.any(Array) } });
        expect(fixText(c)).toMatch(/^remove or narrow deny rule "deny-elb"/);
    });

    it("... or add the allow in a group bound earlier", () => {
        const { w, sg, server } = sharedStack();
        const first = w.group("base-sg");
        server.nics[0].securityGroups = known([refTo(first), refTo(sg)]);
        w.rule(sg, tcp80({ action: known("deny"), name: "deny-all" }));
        const c = one(w, ONLY_125);
        expect(c.state).toBe("blocked");
        expect(fixText(c)).toMatch(/^add an ingress rule to security group base-sg \(bound before web-sg, whose deny rule "deny-all".*: allow tcp port 80 from 100\.125\.0\.0\/16$/);
    });

    it("a deny of lower priority loses against the allow", () => {
        const { w, sg } = sharedStack();
        w.rule(sg, tcp80({ remotes: from("100.125.0.0/16"), priority: known(1) }));
        w.rule(sg, tcp80({ action: known("deny"), priority: known(50) }));
        expect(one(w, ONLY_125).state).toBe("reachable");
    });

    it("the first group bound decides; later groups only see what it leaves open", () => {
        const { w, sg, server } = sharedStack();
        const second = w.group("second-sg");
        server.nics[0].securityGroups = known([refTo(sg), refTo(second)]);
        w.rule(sg, tcp80({ remotes: from("100.125.0.0/17") }));
        w.rule(second, tcp80({ remotes: from("100.125.0.0/16") }));
        w.rule(second, tcp80({ action: known("deny"), remotes: from("100.125.0.0/18"), priority: known(1) }));
        expect(one(w, ONLY_125).state).toBe("reachable");
    });

    it("protocol omitted = all protocols; a protocol number equals its name", () => {
        for (const protocol of [{ state: "absent", path: "protocol" } as const, known(6), known("any" as const)]) {
            const { w, sg } = sharedStack();
            w.rule(sg, { protocol, remotes: from("100.125.0.0/16") });
            w.rule(sg, { protocol, remotes: from("100.126.0.0/16") });
            expect(one(w).state).toBe("reachable");
        }
        const { w, sg } = sharedStack();
        w.rule(sg, { protocol: known(17), remotes: from("100.0.0.0/8") });
        expect(one(w).state).toBe("blocked");
    });

    it("a port range containing the port admits it; one beside it does not", () => {
        const { w, sg } = sharedStack();
        w.rule(sg, { ports: known(ports("1-1000")), remotes: from("100.0.0.0/8") });
        expect(one(w).state).toBe("reachable");
        const s2 = sharedStack();
        s2.w.rule(s2.sg, { ports: known(ports("81-90")), remotes: from("100.0.0.0/8") });
        expect(one(s2.w).state).toBe("blocked");
    });

    it("IPv6-only rules do not admit IPv4 sources", () => {
        const { w, sg } = sharedStack();
        w.rule(sg, { ethertype: known(6), protocol: known(6), remotes: from("::/0") });
        const c = one(w);
        expect(c.state).toBe("blocked");
        expect(c.blockedBy?.kind).toBe("no-rule");
    });

    it("a remote-group rule never admits the load balancer (nor do the default rules)", () => {
        const { w, sg } = sharedStack();
        w.rule(sg, { protocol: { state: "absent", path: "protocol" }, remotes: [{ kind: "group", group: refTo(sg) }] });
        expect(one(w).state).toBe("blocked");
    });

    it("an address group admits its addresses, only for its IP version", () => {
        const { w, sg } = sharedStack();
        const ag = w.addressGroup("elb-sources", ["100.125.0.0/16", "100.126.0.0/16"]);
        w.rule(sg, tcp80({ remotes: [{ kind: "addressGroup", group: refTo(ag) }] }));
        expect(one(w).state).toBe("reachable");

        const s2 = sharedStack();
        const v6 = s2.w.addressGroup("v6", ["100.125.0.0/16"], 6);
        s2.w.rule(s2.sg, tcp80({ remotes: [{ kind: "addressGroup", group: refTo(v6) }] }));
        expect(one(s2.w).state).toBe("blocked");
    });

    it("several remotes on one allow: only sources in all of them (documented reading)", () => {
        const { w, sg } = sharedStack();
        w.rule(sg, tcp80({ remotes: [...from("100.125.0.0/16"), { kind: "group", group: refTo(sg) }] }));
        const c = one(w, ONLY_125);
        expect(c.state).toBe("blocked");
        expect(assumptionTexts(c).join()).toContain("names several remotes");
    });
});

describe("security groups: what cannot be decided", () => {
    it("an unknown CIDR makes the verdict undetermined, naming the rule and property", () => {
        const { w, sg } = sharedStack();
        w.rule(sg, tcp80({ name: "elb", remotes: [{ kind: "cidr", set: unknown("remoteIpPrefix") }] }));
        const c = one(w);
        expect(c.state).toBe("undetermined");
        expect(reasonText(c)).toContain('rule "elb"');
        expect(reasonText(c)).toContain("remoteIpPrefix is unknown at preview");
    });

    it("an unknown CIDR that cannot help is no excuse: a definite block stays blocked", () => {
        const { w, sg } = sharedStack();
        w.rule(sg, tcp80({ action: known("deny"), priority: known(1) }));
        w.rule(sg, tcp80({ remotes: [{ kind: "cidr", set: unknown("remoteIpPrefix") }], priority: known(2) }));
        expect(one(w).state).toBe("blocked");
    });

    it("a group not in this stack is undetermined", () => {
        const { w, server } = sharedStack();
        server.nics[0].securityGroups = known([externalRef("sg-123", "securityGroupIds[0]")]);
        const c = one(w);
        expect(c.state).toBe("undetermined");
        expect(reasonText(c)).toBe("the security group at securityGroupIds[0] is not in this stack, so its rules are not known");
    });

    it("an omitted priority is 1 (Terraform) or 100 (one API reference): against a priority-50 deny it cannot be decided", () => {
        const { w, sg } = sharedStack();
        w.rule(sg, tcp80({ remotes: from("100.0.0.0/8"), priority: { state: "absent", path: "priority" } }));
        w.rule(sg, tcp80({ action: known("deny"), priority: known(50) }));
        const c = one(w);
        expect(c.state).toBe("undetermined");
        expect(reasonText(c)).toContain("priority is not set");
    });

    it("binding order unknown (groups matched through dependencies): admitted only where no group denies", () => {
        const make = (denyInSecond: boolean) => {
            const { w, sg, server } = sharedStack();
            const other = w.group("other-sg");
            server.nics[0].securityGroups = known([refTo(sg, "dependency"), refTo(other, "dependency")]);
            w.rule(sg, tcp80({ remotes: from("100.0.0.0/8") }));
            if (denyInSecond) w.rule(other, tcp80({ action: known("deny"), remotes: from("100.125.0.0/16") }));
            return one(w);
        };
        const ok = make(false);
        expect(ok.state).toBe("reachable");
        expect(assumptionTexts(ok).join()).toContain("binding order");
        const c = make(true);
        expect(c.state).toBe("undetermined");
        expect(reasonText(c)).toContain("binding order");
    });

    it("a server naming no group gets the default group: undetermined", () => {
        const { w, server } = sharedStack();
        server.nics[0].securityGroups = { state: "absent", path: "securityGroupIds" };
        expect(one(w).state).toBe("undetermined");
    });
});

describe("security groups: ICMP for UDP health checks", () => {
    const udpChecks = (rules: (sg: SecurityGroup, w: World) => void) => {
        const s = dedicatedStack();
        s.w.rule(s.sg, { protocol: known(17), ports: known(ports("27015")), remotes: from("192.168.0.0/24") });
        rules(s.sg, s.w);
        const [r] = analyzeReachability(s.w.topology());
        return { r, udp: r.checks.find((c) => c.kind === "security-group" && c.flow.protocol === 17)!, icmp: r.checks.find((c) => c.kind === "security-group" && c.flow.protocol === 1)! };
    };

    it("UDP without ICMP: the UDP flow passes, the ICMP flow is blocked", () => {
        const { udp, icmp } = udpChecks(() => {});
        expect(udp.state).toBe("reachable");
        expect(icmp.state).toBe("blocked");
        expect(icmp.flow.purpose).toBe("ICMP for UDP health checks");
        expect(icmp.witness).toEqual({ source: "192.168.0.0", protocol: "icmp" });
        expect(fixText(icmp)).toBe("add an ingress rule to security group game-sg: allow icmp from 192.168.0.0/24");
    });

    it("an ICMP rule admits it; a type-restricted ICMP allow does not (documented reading)", () => {
        expect(udpChecks((sg, w) => w.rule(sg, { protocol: known(1), remotes: from("192.168.0.0/24") })).icmp.state).toBe("reachable");
        const restricted = udpChecks((sg, w) => w.rule(sg, { protocol: known(1), ports: known(ports("8")), remotes: from("192.168.0.0/24") })).icmp;
        expect(restricted.state).toBe("blocked");
        expect(assumptionTexts(restricted).join()).toContain("restricts ICMP types");
    });

    it("an ICMP type and code (portRangeMin/portRangeMax) are matched exactly against the echo request the check sends", () => {
        const icmpWith = (type: number, code?: number, action: "allow" | "deny" = "allow", priority = 1) => (sg: SecurityGroup, w: World) =>
            w.rule(sg, { protocol: known(1), icmpType: known(code === undefined ? { type } : { type, code }), remotes: from("192.168.0.0/24"), action: known(action), priority: known(priority) });
        expect(udpChecks(icmpWith(8, 0)).icmp.state).toBe("reachable");
        expect(udpChecks(icmpWith(8)).icmp.state).toBe("reachable");
        expect(udpChecks(icmpWith(0, 0)).icmp.state).toBe("blocked");
        expect(udpChecks(icmpWith(8, 1)).icmp.state).toBe("blocked");
        const denied = (type: number) => udpChecks((sg, w) => {
            w.rule(sg, { protocol: known(1), remotes: from("192.168.0.0/24"), priority: known(50) });
            icmpWith(type, undefined, "deny", 1)(sg, w);
        }).icmp.state;
        expect(denied(8)).toBe("blocked");
        expect(denied(13)).toBe("reachable");
        expect(udpChecks((sg, w) => w.rule(sg, { protocol: known(1), icmpType: unknown("portRangeMin"), remotes: from("192.168.0.0/24") })).icmp.state).toBe("undetermined");
    });
});

describe("IPv6 members", () => {
    it("are checked against IPv6 rules from the IPv6 CIDR of the backend subnet; icmp or icmpv6 both count", () => {
        const s = dedicatedStack();
        s.lbSubnet.ipv6Cidr = known(cidr("2001:db8:0:1::/64"));
        s.app.ipv6Cidr = known(cidr("2001:db8:0:2::/64"));
        s.member.address = known("2001:db8:0:2::10");
        s.w.backends.set(s.member.urn, { state: "nic", nic: s.server.nics[0], server: s.server, holder: s.server });
        s.w.rule(s.sg, { ethertype: known(6), protocol: known(17), ports: known(ports("27015")), remotes: from("2001:db8:0:1::/64") });
        s.w.rule(s.sg, { ethertype: known(4), protocol: known(1) }); // IPv4 ICMP does not count
        let [r]: MemberReachability[] = analyzeReachability(s.w.topology());
        expect(r.ipVersion).toBe(6);
        const sg = () => r.checks.filter((c) => c.kind === "security-group").map((c) => `${c.flow.protocol}:${c.state}`);
        expect(sg()).toEqual(["17:reachable", "1:blocked"]);
        expect(sourceText(r.flows[0].sourceLabel)).toBe("backend subnet lb (2001:db8:0:1::/64) of game-lb");
        // The fix for an IPv6 flow says the rule's ethertype (an IPv4 rule would not admit it).
        expect(fixText(r.checks.find((c) => c.kind === "security-group" && c.state === "blocked")!)).toBe("add an ingress rule with ethertype IPv6 to security group game-sg: allow icmp from 2001:db8:0:1::/64");
        s.w.rule(s.sg, { ethertype: known(6), protocol: known(58), remotes: from("2001:db8:0:1::/64") });
        [r] = analyzeReachability(s.w.topology());
        expect(sg()).toEqual(["17:reachable", "1:reachable"]);
    });
});

describe("security groups: the fix", () => {
    it("outranks a deny in a later-bound group there, rather than elsewhere", () => {
        const { w, sg, server } = sharedStack();
        const first = w.group("base-sg");
        server.nics[0].securityGroups = known([refTo(first), refTo(sg)]);
        w.rule(sg, tcp80({ name: "deny-80", action: known("deny"), priority: known(5) }));
        const c = one(w, ONLY_125);
        expect(fixText(c)).toBe('add an ingress rule to security group web-sg: allow tcp port 80 from 100.125.0.0/16 with priority 4 (ahead of deny rule "deny-80" (deny tcp 80 from any address, priority 5))');
    });

    it("names every priority-1 deny that blocks part of the sources", () => {
        const { w, sg } = sharedStack();
        w.rule(sg, tcp80({ remotes: from("100.125.0.0/16"), priority: known(1) }));
        w.rule(sg, tcp80({ name: "deny-a", action: known("deny"), remotes: from("100.125.0.0/24") }));
        w.rule(sg, tcp80({ name: "deny-b", action: known("deny"), remotes: from("100.125.9.0/24") }));
        const c = one(w, ONLY_125);
        expect(c.state).toBe("partial");
        expect(c.fixAction?.kind === "remove-or-narrow-deny" && c.fixAction.rules.map((r) => sgRuleLabel(r.rule))).toEqual([expect.stringContaining("deny-a"), expect.stringContaining("deny-b")]);
        expect(fixText(c)).toMatch(/^remove or narrow deny rules "deny-a" .* in security group web-sg, "deny-b" .* so that they no longer cover tcp port 80 from 100\.125\.0\.0\/24, 100\.125\.9\.0\/24/);
    });
});
