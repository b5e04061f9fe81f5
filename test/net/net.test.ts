import { describe, expect, it } from "vitest";
import { AddressSet, formatAddress, parseAddress, parseAddressEntry, parseCidr } from "../../src/net/addresses";
import { IntervalSet } from "../../src/net/intervals";
import { formatPorts, parsePortString } from "../../src/net/ports";
import { parseProtocol } from "../../src/net/protocols";

const set = (...cidrs: string[]) => cidrs.map((c) => (parseCidr(c) as { ok: true; value: AddressSet }).value).reduce((a, b) => a.union(b), AddressSet.EMPTY);

describe("IntervalSet", () => {
    const s = IntervalSet.fromRanges([[10n, 20n], [15n, 30n], [32n, 40n], [31n, 31n]]);
    it("merges overlapping and adjacent ranges", () => expect(s.ranges).toEqual([[10n, 40n]]));
    it("subtracts, intersects, contains", () => {
        const d = s.subtract(IntervalSet.of(20n, 25n));
        expect(d.ranges).toEqual([[10n, 19n], [26n, 40n]]);
        expect(d.contains(22n)).toBe(false);
        expect(d.contains(26n)).toBe(true);
        expect(d.intersect(IntervalSet.of(0n, 12n)).ranges).toEqual([[10n, 12n]]);
        expect(d.isSubsetOf(s)).toBe(true);
        expect(s.isSubsetOf(d)).toBe(false);
        expect(IntervalSet.EMPTY.sample()).toBeUndefined();
        expect(d.size()).toBe(25n);
    });
});

describe("addresses", () => {
    it("parses CIDRs, ignoring host bits as the cloud does", () => {
        expect(set("10.0.0.5/24").toString()).toBe("10.0.0.0/24");
        expect(set("100.125.0.0/16", "100.126.0.0/16").toCidrs()).toEqual(["100.125.0.0/16", "100.126.0.0/16"]);
        expect(set("100.124.0.0/15").toCidrs()).toEqual(["100.124.0.0/15"]);
    });
    it("handles IPv6", () => {
        const v6 = set("fe80::1/64");
        expect(v6.toString()).toBe("fe80::/64");
        expect(v6.v4.isEmpty()).toBe(true);
        expect(set("::/0").contains({ family: 6, value: 1n })).toBe(true);
        expect(formatAddress({ family: 6, value: v6.v6.sample()! })).toBe("fe80::");
    });
    it("subtracting /17 from /16 leaves the other half", () => {
        expect(set("100.125.0.0/16").subtract(set("100.125.0.0/17")).toString()).toBe("100.125.128.0/17");
    });
    it("rejects malformed and hostile input without throwing", () => {
        for (const bad of ["999.1.1.1/40", "::/129", "", "10.0.0.0/33", "10.0.0/8", "a.b.c.d/8", "10.0.0.0/-1", " ".repeat(100), "1".repeat(10000)]) expect(parseCidr(bad).ok, bad).toBe(false);
        for (const bad of [null, undefined, 42, {}, [], NaN]) expect(parseCidr(bad).ok).toBe(false);
        expect(parseAddress("010.0.0.1").ok).toBe(false);
    });
    it("parses address-group entries: address, CIDR, range", () => {
        expect((parseAddressEntry("10.0.0.1-10.0.0.4") as { ok: true; value: AddressSet }).value.toCidrs()).toEqual(["10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/32"]);
        expect(parseAddressEntry("10.0.0.9-10.0.0.1").ok).toBe(false);
        expect(parseAddressEntry("10.0.0.1-::1").ok).toBe(false);
    });
});

describe("port strings (every format the provider accepts)", () => {
    const ok = (t: string, style: "list" | "colon" = "list") => {
        const p = parsePortString(t, style);
        if (!p.ok) throw new Error(`${t}: ${p.error}`);
        return formatPorts(p.value);
    };
    it("list style: single, range, list, spaces, mixed", () => {
        expect(ok("80")).toBe("80");
        expect(ok("1-30")).toBe("1-30");
        expect(ok("22,80,443")).toBe("22, 80, 443");
        expect(ok("22, 80")).toBe("22, 80");
        expect(ok("22-30,33")).toBe("22-30, 33");
        expect(ok("1-65535")).toBe("all ports");
    });
    it("colon style (legacy ACL rules)", () => {
        expect(ok("1:100", "colon")).toBe("1-100");
        expect(ok("443", "colon")).toBe("443");
        expect(parsePortString("1-100", "colon").ok).toBe(false);
    });
    it("rejects malformed port strings", () => {
        for (const bad of ["0", "70000", "1-", "-1", "a", "80-70", "1,,2", "1-2-3", "80 81"]) expect(parsePortString(bad, "list").ok, bad).toBe(false);
        expect(parsePortString({} as unknown, "list").ok).toBe(false);
        expect(parsePortString(80 as unknown, "list").ok).toBe(false);
    });
});

describe("protocols", () => {
    it("names, numbers, any", () => {
        expect(parseProtocol("TCP")).toEqual({ ok: true, value: 6 });
        expect(parseProtocol("icmpv6")).toEqual({ ok: true, value: 58 });
        expect(parseProtocol("47")).toEqual({ ok: true, value: 47 });
        expect(parseProtocol("any")).toEqual({ ok: true, value: "any" });
        expect(parseProtocol("any", false).ok).toBe(false);
        expect(parseProtocol("256").ok).toBe(false);
    });
});
