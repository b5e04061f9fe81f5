import { describe, expect, it } from "vitest";
import { fixText, noteText, reasonText, sourceText } from "../../src/policy/reach-text";
import { buildTopology } from "../../src/model/build";
import { analyzeReachability, defaultReachConfig, healthCheckFlows, memberReachability, type Flow, type FlowsResult } from "../../src/reach";
import { AddressSet } from "../../src/net/addresses";
import { res, TF, token, U, urnOf } from "../model/helpers";
import { absent, cidr, dedicatedStack, known, refTo, sharedStack, unknown } from "./support";

const summary = (r: FlowsResult) => (r.ok ? r.flows.map((f: Flow) => `${f.purpose}: ${f.protocol}${f.port !== undefined ? `/${f.port}` : ""} from ${f.sources.toString()}`) : noteText(r.reason));

describe("healthCheckFlows", () => {
    it("shared HTTP check on the member port: one TCP flow from both shared ranges", () => {
        const s = sharedStack();
        const r = healthCheckFlows(s.w.topology(), s.member, defaultReachConfig);
        expect(summary(r)).toEqual(["health-check port: 6/80 from 100.125.0.0/16, 100.126.0.0/16"]);
        expect(r.ok && sourceText(r.flows[0].sourceLabel)).toBe("shared ELB source ranges 100.125.0.0/16, 100.126.0.0/16");
    });

    it("member port different from the health-check port: both are required", () => {
        const s = sharedStack({ memberPort: 443, monitorPort: 80 });
        expect(summary(healthCheckFlows(s.w.topology(), s.member, defaultReachConfig))).toEqual(["health-check port: 6/80 from 100.125.0.0/16, 100.126.0.0/16", "member port: 6/443 from 100.125.0.0/16, 100.126.0.0/16"]);
    });

    it("UDP_CONNECT: UDP on the port plus ICMP (no port) from the same sources; dedicated = the backend subnet", () => {
        const s = dedicatedStack();
        const r = healthCheckFlows(s.w.topology(), s.member, defaultReachConfig);
        expect(summary(r)).toEqual(["health-check port: 17/27015 from 192.168.0.0/24", "ICMP for UDP health checks: 1 from 192.168.0.0/24"]);
        expect(r.ok && sourceText(r.flows[0].sourceLabel)).toBe("backend subnet lb (192.168.0.0/24) of game-lb");
    });

    it("a TCP check of a UDP pool: TCP on the check port and UDP on the member port, no ICMP", () => {
        const s = dedicatedStack({ monitor: "TCP" });
        expect(summary(healthCheckFlows(s.w.topology(), s.member, defaultReachConfig))).toEqual(["health-check port: 6/27015 from 192.168.0.0/24", "member port: 17/27015 from 192.168.0.0/24"]);
    });

    it("no monitor: the pool's protocol on the member port (UDP/QUIC pool = UDP), no ICMP", () => {
        const s = sharedStack({ monitor: null, poolProtocol: "QUIC" });
        expect(summary(healthCheckFlows(s.w.topology(), s.member, defaultReachConfig))).toEqual(["health-check port: 17/80 from 100.125.0.0/16, 100.126.0.0/16"]);
    });

    it("dedicated: the VPC CIDR when configured, or when the LB names no subnet at all", () => {
        const s = dedicatedStack();
        const vpc = healthCheckFlows(s.w.topology(), s.member, { ...defaultReachConfig, dedicatedSource: "vpc" });
        expect(vpc.ok && sourceText(vpc.flows[0].sourceLabel)).toBe("VPC vpc (192.168.0.0/16)");
        s.lb.backendSubnets = absent("backendSubnets");
        s.lb.ipv4Subnet = { state: "absent", path: "ipv4SubnetId" };
        const r = healthCheckFlows(s.w.topology(), s.member, defaultReachConfig);
        expect(r.ok && r.flows[0].sources.toCidrs()).toEqual(["192.168.0.0/16"]);
    });

    it("custom shared ranges from the config", () => {
        const s = sharedStack();
        const r = healthCheckFlows(s.w.topology(), s.member, { ...defaultReachConfig, sharedElbSourceRanges: cidr("100.64.0.0/16") });
        expect(r.ok && sourceText(r.flows[0].sourceLabel)).toBe("shared ELB source ranges 100.64.0.0/16");
    });

    it("anything the flows depend on that is unknown makes the member undetermined, saying what", () => {
        const cases: [string, (s: ReturnType<typeof dedicatedStack>) => void][] = [
            ["the health-check port (port) is unknown at preview", (s) => (s.monitor.port = unknown("port"))],
            ["the member port (protocolPort) is unknown at preview", (s) => (s.member.port = unknown("protocolPort"))],
            ["the health-check protocol (protocol) is unknown at preview", (s) => (s.monitor.protocol = unknown("protocol"))],
            ["the backend subnets of game-lb (backendSubnets) is unknown at preview", (s) => (s.lb.backendSubnets = unknown("backendSubnets"))],
            ["the member's load balancer is not resolved", (s) => (s.pool.loadBalancer = { state: "unresolved", reason: "x", path: "loadbalancerId" })],
            ["the member's pool", (s) => (s.member.pool = { state: "external", id: "pool-1", path: "poolId" })],
        ];
        for (const [reason, breakIt] of cases) {
            const s = dedicatedStack();
            breakIt(s);
            const r = healthCheckFlows(s.w.topology(), s.member, defaultReachConfig);
            expect(r.ok, reason).toBe(false);
            expect(summary(r), reason).toContain(reason);
        }
    });

    it("a backend subnet CIDR unknown at preview: flows from every address of the family, marked, and a verdict only when it holds for all", () => {
        const s = dedicatedStack();
        s.lbSubnet.cidr = unknown("cidr");
        const r = healthCheckFlows(s.w.topology(), s.member, defaultReachConfig);
        expect(r.ok && r.flows[0].unknownSources && noteText(r.flows[0].unknownSources.reason)).toContain("the IPv4 CIDR of backend subnet lb (cidr) is unknown at preview");
        expect(r.ok && r.flows[0].sources.equals(AddressSet.ANY_V4)).toBe(true);
        const sgCheck = () => memberReachability(s.w.topology(), s.member, defaultReachConfig).checks.find((c) => c.kind === "security-group")!;
        // No rule admits anything: blocked whatever the CIDR turns out to be, with no made-up witness.
        const blocked = sgCheck();
        expect(blocked.state).toBe("blocked");
        expect(blocked.witness).toBeUndefined();
        // The fix admits every address of the family: it stands for the subnet's CIDR (the fix operations refer to the subnet's output).
        expect(blocked.flow.unknownSources?.subnet).toBe(s.lbSubnet.urn);
        expect(blocked.fixAction).toMatchObject({ kind: "add-security-group-rule", rule: { remoteIpPrefixes: ["0.0.0.0/0"] } });
        expect(fixText(blocked)).toContain("the IPv4 CIDR of backend subnet lb");
        // A rule admitting only the subnet's planned range (part of the addresses): undetermined, saying why.
        const rule = s.w.rule(s.sg, { protocol: absent("protocol"), remotes: [{ kind: "cidr", set: known(cidr("192.168.0.0/24")) }] });
        expect(sgCheck().state).toBe("undetermined");
        expect(reasonText(sgCheck())).toContain("is unknown at preview");
        // Every IPv4 address admitted: reachable whatever the CIDR.
        rule.remotes = [{ kind: "cidr", set: known(cidr("0.0.0.0/0")) }];
        expect(sgCheck().state).toBe("reachable");
    });

    it("an IPv6 member of a shared LB has no configured IPv6 source: undetermined, not reachable", () => {
        const s = sharedStack();
        s.member.address = known("2001:db8::10");
        expect(summary(healthCheckFlows(s.w.topology(), s.member, defaultReachConfig))).toContain("holds no IPv6 address");
    });

    it("an address unknown at preview is IPv4 unless its subnet has IPv6 (recorded as an assumption)", () => {
        const s = dedicatedStack();
        s.member.address = unknown("address");
        const r = healthCheckFlows(s.w.topology(), s.member, defaultReachConfig);
        expect(r.ok && r.family).toBe(4);
        expect(r.ok && noteText(r.assumptions[0])).toContain("taken to be an IPv4 address");
        s.app.ipv6Cidr = known(cidr("2001:db8::/64"));
        expect(summary(healthCheckFlows(s.w.topology(), s.member, defaultReachConfig))).toContain("IP version cannot be told");
    });

    it("any-port pools use the monitor port only", () => {
        const s = dedicatedStack({ protocol: "TCP", monitor: "TCP" });
        s.pool.anyPortEnable = known(true);
        s.monitor.port = known(8080);
        expect(summary(healthCheckFlows(s.w.topology(), s.member, defaultReachConfig))).toEqual(["health-check port: 6/8080 from 192.168.0.0/24"]);
        s.monitor.port = absent("port");
        expect(summary(healthCheckFlows(s.w.topology(), s.member, defaultReachConfig))).toContain("the pool forwards any port");
    });
});

describe("analyzeReachability: per-member facts", () => {
    it("carries the member, pool, load balancer, backend and one check per kind and flow", () => {
        const s = dedicatedStack();
        const [r] = analyzeReachability(s.w.topology());
        expect(r.member).toBe(s.member);
        expect(r.pool).toBe(s.pool);
        expect(r.loadBalancer).toBe(s.lb);
        expect(r.family).toBe("dedicated");
        expect(r.ipVersion).toBe(4);
        expect(r.backend).toMatchObject({ state: "nic", server: s.server });
        expect(r.checks.map((c) => `${c.kind}:${c.flow.protocol}`)).toEqual(["security-group:17", "network-acl:17", "network-acl-lb-subnet:17", "security-group:1", "network-acl:1", "network-acl-lb-subnet:1"]);
        expect(r.checks.find((c) => c.kind === "security-group")?.required.toCidrs()).toEqual(["192.168.0.0/24"]);
    });

    it("notes weight 0, a disabled check and transparent client IP without stopping the checks", () => {
        const s = sharedStack();
        s.member.weight = known(0);
        s.monitor!.enabled = known(false);
        s.w.add({ ...s.pool, kind: "listener", urn: `${s.pool.urn}-listener`, type: "huaweicloud:Elb/listener:Listener", name: "l4", protocol: known("TCP"), port: known(80), loadBalancer: refTo(s.lb), defaultPool: refTo(s.pool), transparentClientIp: known(true) });
        const [r] = analyzeReachability(s.w.topology());
        expect(r.notes).toEqual({ weightZero: true, checkDisabled: true, noMonitor: false, transparentClientIp: true });
        expect(r.checks.length).toBeGreaterThan(0);
    });

    it("a member whose address is on no server of the stack: the security groups are undetermined", () => {
        const s = sharedStack();
        s.member.address = known("192.168.1.77");
        const [r] = analyzeReachability(s.w.topology());
        const sg = r.checks.find((c) => c.kind === "security-group")!;
        expect(sg.state).toBe("undetermined");
        expect(reasonText(sg)).toContain("192.168.1.77 is not on a server or network interface in this stack");
    });

    it("IP as a backend (no subnet, no NIC): the network ACL is undetermined", () => {
        const s = dedicatedStack();
        s.member.subnet = { state: "absent", path: "subnetId" };
        s.member.address = known("10.9.9.9");
        const [r] = analyzeReachability(s.w.topology());
        expect(reasonText(r.checks.find((c) => c.kind === "network-acl")!)).toContain("IP as a backend");
    });
});

describe("IP version of a member whose address is unknown, in a dual-stack subnet", () => {
    // A dedicated member whose address comes from an ECS instance being created, in a subnet with IPv6 enabled.
    const stack = (nic: Record<string, unknown>, linked = true) =>
        buildTopology([
            res(TF.vpc, "vpc", { id: "vpc-1", cidr: "192.168.0.0/16" }),
            res(TF.subnet, "app", { id: U, ipv4SubnetId: U, ipv6SubnetId: U, cidr: "192.168.1.0/24", ipv6Enable: true, ipv6Cidr: U }),
            res(TF.dedicatedLb, "lb", { id: "lb-1", vpcId: "vpc-1", ipv4SubnetId: U }, { ipv4SubnetId: [urnOf(token(TF.subnet), "app")] }),
            res(TF.dedicatedListener, "l", { id: "l-1", loadbalancerId: "lb-1", protocol: "TCP", protocolPort: 80 }),
            res(TF.dedicatedPool, "p", { id: "p-1", listenerId: "l-1", protocol: "TCP" }),
            res(TF.ecs, "vm", { id: U, networks: [{ uuid: U, ...nic }] }, { networks: [urnOf(token(TF.subnet), "app")] }),
            res(TF.dedicatedMember, "m", { poolId: "p-1", address: U, protocolPort: 80, subnetId: U }, { address: linked ? [urnOf(token(TF.ecs), "vm")] : [], subnetId: [urnOf(token(TF.subnet), "app")] }),
        ]);
    const flows = (t: ReturnType<typeof buildTopology>) => healthCheckFlows(t, t.members[0], defaultReachConfig);

    it("its server's network interface without IPv6: IPv4", () => {
        const r = flows(stack({}));
        expect(r.ok && r.family).toBe(4);
        expect(r.ok && noteText(r.assumptions[0])).toContain("IPv6 disabled");
    });

    it("a network interface with IPv6 enabled, or no server to ask: cannot be told (never assumed IPv4)", () => {
        for (const t of [stack({ ipv6Enable: true }), stack({}, false)]) {
            const r = flows(t);
            expect(r.ok).toBe(false);
            expect(!r.ok && noteText(r.reason)).toContain("IP version cannot be told");
        }
    });
});
