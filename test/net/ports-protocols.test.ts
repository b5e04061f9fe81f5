import { describe, expect, it } from "vitest";
import { ALL_PORTS, formatPorts, isValidPort, parsePortString, portRange } from "../../src/net/ports";
import { hasPorts, ICMP, parseProtocol, protocolMatches, protocolName, TCP, UDP } from "../../src/net/protocols";

const parsed = (t: unknown, style: "list" | "colon" = "list") => {
    const p = parsePortString(t, style);
    return p.ok ? p.value.ranges.map(([a, b]) => [Number(a), Number(b)]) : p.error;
};

describe("port strings", () => {
    it("reads the list style of security-group rules and v3 ACL rules", () => {
        expect(parsed("80")).toEqual([[80, 80]]);
        expect(parsed("1-30")).toEqual([[1, 30]]);
        expect(parsed("22,3389,80")).toEqual([[22, 22], [80, 80], [3389, 3389]]);
        expect(parsed("22, 80, 443")).toEqual([[22, 22], [80, 80], [443, 443]]);
        expect(parsed("22-30,33")).toEqual([[22, 30], [33, 33]]);
        expect(parsed("80,81")).toEqual([[80, 81]]);
        expect(parsed("")).toEqual([[0, 65535]]);
    });

    it("reads the colon style of legacy ACL rules", () => {
        expect(parsed("1:100", "colon")).toEqual([[1, 100]]);
        expect(parsed("8080", "colon")).toEqual([[8080, 8080]]);
        expect(typeof parsed("1-100", "colon")).toBe("string");
        expect(typeof parsed("1:100", "list")).toBe("string");
    });

    it("rejects malformed strings without quoting them", () => {
        for (const bad of ["0", "65536", "30-1", "1-2-3", "80,", "abc", "-5", "1.5", 80.5, null]) {
            const p = parsePortString(bad, "list");
            expect(p.ok, String(bad)).toBe(false);
            if (!p.ok && ["65536", "abc", "1-2-3", "1.5"].includes(String(bad))) expect(p.error).not.toContain(String(bad));
        }
    });

    it("validates and formats ports", () => {
        expect(isValidPort(1) && isValidPort(65535)).toBe(true);
        expect(isValidPort(0) || isValidPort(65536) || isValidPort(8.5) || isValidPort("80")).toBe(false);
        expect(formatPorts(ALL_PORTS)).toBe("all ports");
        expect(formatPorts(portRange(1, 65535))).toBe("all ports");
        expect(formatPorts(portRange(80).union(portRange(8000, 8080)))).toBe("80, 8000-8080");
        expect(formatPorts(portRange(2, 1))).toBe("no ports");
    });
});

describe("protocols", () => {
    it("reads names and numbers, case-insensitively", () => {
        expect(parseProtocol("tcp")).toEqual({ ok: true, value: TCP });
        expect(parseProtocol("UDP")).toEqual({ ok: true, value: UDP });
        expect(parseProtocol("icmpv6")).toEqual({ ok: true, value: 58 });
        expect(parseProtocol("6")).toEqual({ ok: true, value: TCP });
        expect(parseProtocol(17)).toEqual({ ok: true, value: UDP });
        expect(parseProtocol("any")).toEqual({ ok: true, value: "any" });
        expect(parseProtocol("any", false).ok).toBe(false);
        for (const bad of ["256", "-1", "tcpx", "", 3.5, null]) expect(parseProtocol(bad).ok, String(bad)).toBe(false);
    });

    it("names, matches, and knows which protocols carry ports", () => {
        expect(protocolName(TCP)).toBe("tcp");
        expect(protocolName(ICMP)).toBe("icmp");
        expect(protocolName(47)).toBe("protocol 47");
        expect(protocolMatches("any", UDP) && protocolMatches(TCP, TCP)).toBe(true);
        expect(protocolMatches(TCP, UDP)).toBe(false);
        expect(hasPorts(TCP) && hasPorts(UDP)).toBe(true);
        expect(hasPorts(ICMP) || hasPorts("any")).toBe(false);
    });
});
