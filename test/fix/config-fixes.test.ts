/**
 * The fixes of the configuration policies (HWELB-001/002/003), by shape: which input of which resource
 * they set, in the family's input names, and the follow-on rules a change of the probe needs. That they
 * close the findings is apply.test.ts.
 */
import { describe, expect, it } from "vitest";
import { catalogue } from "../../policies";
import { correctedPath } from "../../src/fix/config-fixes";
import type { FixOperation } from "../../src/fix/operations";
import { toTypeScript, toYaml } from "../../src/fix/snippets";
import { buildTopology } from "../../src/model/build";
import { evaluatePolicy, ReachCache } from "../../src/policy/evaluate";
import { loadFixtures, renderFixture, type Mode, type TokenStyle } from "../support/fixture-stack";

function fixesOf(file: string, mode: Mode = "known", style: TokenStyle = "static"): FixOperation[] {
    const f = loadFixtures().find((x) => x.file.endsWith(file));
    if (!f) throw new Error(`no fixture ${file}`);
    const def = catalogue.find((d) => d.name === f.policy)!;
    const found = evaluatePolicy(def, buildTopology(renderFixture(f, mode, style).raw), { today: "2026-11-24", cache: new ReachCache() }).filter((x) => x.level === "mandatory");
    expect(found.length, file).toBeGreaterThan(0);
    return found.flatMap((x) => x.fixes ?? []);
}

const tail = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);
const brief = (ops: FixOperation[]) => ops.map((o) => (o.op === "set-property" ? `${tail(o.urn)}.${o.property}=${JSON.stringify(o.value)}` : o.op === "add-resource" ? `+${o.type}` : o.op));

describe("HWELB-003 fixes: the smallest correcting change, in the family's input names", () => {
    it("timeout above the interval: timeout = interval - 1 (shared delay, dedicated interval, inline healthmonitor)", () => {
        expect(brief(fixesOf("elb-health-check-config/fail-timeout-above-interval.json"))).toEqual(["web-check.timeout=4"]);
        expect(brief(fixesOf("fail-active-standby-timeout-above-interval.json"))).toEqual(["db-pool.healthmonitor.timeout=4"]);
    });
    it("an interval of 1 s is raised instead", () => {
        expect(brief(fixesOf("fail-timeout-above-interval-1.json"))).toEqual(["web-check.delay=4"]);
    });
    it("a relative path gets its slash; malformed values are unset (null)", () => {
        expect(brief(fixesOf("fail-relative-path.json"))).toEqual([expect.stringMatching(/^web-check\.urlPath="\/[^/]/)]);
        expect(brief(fixesOf("fail-bad-domain.json"))).toEqual(["web-check.domainName=null"]);
        expect(brief(fixesOf("fail-bad-status-code.json"))).toEqual(["game-check.statusCode=null"]);
        expect(correctedPath("health check", 255)).toBe("/health%20check");
        expect(correctedPath("x".repeat(300), 255)).toBe("/");
    });
    it("the check protocol follows the pool, in shared `type` / dedicated `protocol`", () => {
        expect(brief(fixesOf("fail-udp-pool-tcp-check.json"))).toEqual(["game-check.protocol=\"UDP_CONNECT\""]);
        expect(brief(fixesOf("fail-http-pool-udp-connect.json"))[0]).toBe("web-check.type=\"TCP\"");
    });
    it("switching to UDP_CONNECT brings the ICMP rule UDP checks need", () => {
        const ops = fixesOf("fail-udp-pool-tcp-check-no-icmp.json");
        expect(brief(ops)[0]).toBe("game-check.protocol=\"UDP_CONNECT\"");
        const added = ops.flatMap((o) => (o.op === "add-resource" ? [o.inputs] : []));
        expect(added).toEqual([expect.objectContaining({ protocol: "icmp", remoteIpPrefix: "192.168.1.0/24", direction: "ingress" })]);
    });
});

describe("HWELB-001 fixes: the pool gets a listener", () => {
    it("a free listener of the load balancer gets defaultPoolId (both families, the active/standby pool too)", () => {
        for (const [file, listener, pool] of [
            ["fail-shared-no-listener.json", "web-http", "web-pool"],
            ["fail-dedicated-no-listener.json", "game-udp", "game-pool"],
            ["fail-active-standby-no-listener.json", "db-tcp", "db-pool"],
        ]) {
            const ops = fixesOf(file);
            expect(ops).toEqual([{ op: "set-property", urn: expect.stringMatching(new RegExp(`::${listener}$`)), property: "defaultPoolId", value: { ref: expect.stringMatching(new RegExp(`::${pool}$`)), property: "id" } }]);
        }
    });
    it("without one, a new listener: the pool's protocol, the members' port, in the stack's token style", () => {
        for (const style of ["static", "index"] as TokenStyle[]) {
            const [op] = fixesOf("fail-shared-no-listener-at-all.json", "unknown", style);
            expect(op).toMatchObject({ op: "add-resource", type: style === "static" ? "huaweicloud:Elb/listener:Listener" : "huaweicloud:index/lbListener:LbListener", inputs: { protocol: "HTTP", protocolPort: 80, loadbalancerId: { property: "id" }, defaultPoolId: { property: "id" } } });
        }
    });
    it("a load balancer outside the stack gets the listener by its literal ID", () => {
        expect(fixesOf("fail-shared-no-listener-lb-outside.json")).toEqual([
            expect.objectContaining({ op: "add-resource", inputs: { loadbalancerId: "0d7b5d3e-6a0f-4a5b-9d53-3f0b3f2e1c11", protocol: "HTTP", protocolPort: 80, defaultPoolId: { ref: expect.stringMatching(/::web-pool$/), property: "id" } } }),
        ]);
    });
    it("a new UDP listener on a load balancer without an address comes with its ipv4SubnetId", () => {
        const ops = fixesOf("fail-dedicated-no-listener-no-address.json");
        expect(ops[0]).toMatchObject({ op: "add-resource", type: "huaweicloud:DedicatedElb/listener:Listener", inputs: { protocol: "UDP", protocolPort: 27015 } });
        expect(brief(ops.slice(1))).toEqual([expect.stringMatching(/^game-lb\.ipv4SubnetId=\{"ref":"urn:.*::lb-subnet","property":"ipv4SubnetId"\}$/)]);
    });
});

describe("HWELB-002 fixes", () => {
    it("a dedicated load balancer gets ipv4SubnetId = the subnet it sends checks from", () => {
        expect(brief(fixesOf("fail-dedicated-udp-no-address.json"))).toEqual([expect.stringMatching(/^game-lb\.ipv4SubnetId=\{"ref":"urn:.*::lb-subnet","property":"ipv4SubnetId"\}$/)]);
    });
});

describe("sources not known at preview", () => {
    it("a rule for a backend subnet's IPv6 CIDR assigned at creation refers to the subnet's ipv6Cidr output", () => {
        const f = loadFixtures().find((x) => x.file.endsWith("fail-ipv6-pool-v6-ipv4-rule-only.json"))!;
        const def = catalogue.find((d) => d.name === f.policy)!;
        const [finding] = evaluatePolicy(def, buildTopology(renderFixture(f, "unknown").raw), { today: "2026-11-24", cache: new ReachCache() });
        expect(finding.fixes).toEqual([
            expect.objectContaining({ op: "add-resource", name: "app-sg-elb-hc-tcp-8080-lb-subnet-ipv6cidr", inputs: expect.objectContaining({ ethertype: "IPv6", remoteIpPrefix: { ref: expect.stringMatching(/::lb-subnet$/), property: "ipv6Cidr" } }) }),
        ]);
    });
});

describe("set-property as code", () => {
    const urn = "urn:pulumi:dev::shop::huaweicloud:Elb/monitor:Monitor::web-check";
    it("TypeScript and YAML name the resource, the input and the value; null reads as unset", () => {
        expect(toTypeScript({ op: "set-property", urn, property: "timeout", value: 4 })).toBe("// on webCheck (web-check): set timeout: 4");
        expect(toTypeScript({ op: "set-property", urn, property: "domainName", value: null })).toBe("// on webCheck (web-check): remove domainName (leave it unset)");
        expect(toTypeScript({ op: "set-property", urn, property: "defaultPoolId", value: { ref: "urn:pulumi:dev::shop::huaweicloud:Elb/pool:Pool::web-pool", property: "id" } })).toBe("// on webCheck (web-check): set defaultPoolId: webPool.id");
        expect(toYaml({ op: "set-property", urn, property: "healthmonitor.timeout", value: 4 })).toBe("# on web-check: set properties.healthmonitor.timeout: 4");
        expect(toYaml({ op: "set-property", urn, property: "statusCode", value: null })).toBe("# on web-check: remove properties.statusCode (leave it unset)");
    });
});
