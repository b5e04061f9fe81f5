import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AddressSet, formatAddress, formatCidr, parseAddress, parseAddressEntry, parseCidr } from "../../src/net/addresses";
import { IntervalSet } from "../../src/net/intervals";

const cidr = (t: string) => {
    const p = parseCidr(t);
    if (!p.ok) throw new Error(t);
    return p.value;
};
const addr = (t: string) => {
    const p = parseAddress(t);
    if (!p.ok) throw new Error(t);
    return p.value;
};

describe("parseCidr / parseAddress / parseAddressEntry", () => {
    it("parses IPv4 blocks, bare addresses and host bits as the cloud does", () => {
        expect(cidr("100.125.0.0/16").v4.ranges).toEqual([[addr("100.125.0.0").value, addr("100.125.255.255").value]]);
        expect(cidr("10.1.2.3/8").equals(cidr("10.0.0.0/8"))).toBe(true);
        expect(cidr("10.1.2.3").equals(cidr("10.1.2.3/32"))).toBe(true);
        expect(cidr("0.0.0.0/0").equals(AddressSet.ANY_V4)).toBe(true);
        expect(cidr(" 192.168.1.0/24 ").toCidrs()).toEqual(["192.168.1.0/24"]);
    });

    it("parses IPv6 blocks and keeps the families apart", () => {
        expect(cidr("::/0").equals(AddressSet.ANY_V6)).toBe(true);
        const s = cidr("2001:db8::/32");
        expect(s.v4.isEmpty()).toBe(true);
        expect(s.contains(addr("2001:db8:ffff::1"))).toBe(true);
        expect(s.contains(addr("2001:db9::"))).toBe(false);
        expect(cidr("2001:DB8::1").toCidrs()).toEqual(["2001:db8::1/128"]);
        expect(addr("::ffff:1.2.3.4").family).toBe(6);
    });

    it("rejects what is not a block, without echoing the input", () => {
        for (const bad of ["", "10.0.0.0/33", "300.1.1.1/8", "10.0.0/8", "abc", "2001:db8::/129", "1.2.3.4/", 42, null, "10.0.0.0/8/8"]) {
            const p = parseCidr(bad);
            expect(p.ok, String(bad)).toBe(false);
            if (!p.ok && typeof bad === "string" && bad.length > 3) expect(p.error).not.toContain(bad);
        }
        expect(parseAddress("10.0.0.0/8").ok).toBe(false);
    });

    it("parses address-group entries: addresses, blocks and ranges a-b", () => {
        const r = parseAddressEntry("10.0.0.5-10.0.0.9");
        expect(r.ok && r.value.v4.ranges).toEqual([[addr("10.0.0.5").value, addr("10.0.0.9").value]]);
        const r6 = parseAddressEntry("2001:db8::1-2001:db8::ff");
        expect(r6.ok && r6.value.v6.size()).toBe(255n);
        expect(parseAddressEntry("10.0.0.9-10.0.0.5").ok).toBe(false);
        expect(parseAddressEntry("10.0.0.1-2001:db8::1").ok).toBe(false);
        expect(parseAddressEntry("10.0.0.0/24").ok).toBe(true);
    });
});

describe("AddressSet", () => {
    it("unions, intersects and subtracts per family", () => {
        const a = cidr("10.0.0.0/8").union(cidr("2001:db8::/32"));
        const b = cidr("10.1.0.0/16");
        expect(a.intersect(b).equals(b)).toBe(true);
        expect(a.subtract(b).contains(addr("10.1.2.3"))).toBe(false);
        expect(a.subtract(b).contains(addr("10.2.0.0"))).toBe(true);
        expect(a.subtract(b).contains(addr("2001:db8::5"))).toBe(true);
        expect(a.only(6).v4.isEmpty()).toBe(true);
        expect(b.isSubsetOf(a)).toBe(true);
        expect(a.isSubsetOf(b)).toBe(false);
        expect(AddressSet.EMPTY.isEmpty()).toBe(true);
    });

    it("samples IPv4 first, the lowest address", () => {
        const s = cidr("2001:db8::/64").union(cidr("100.125.128.0/17"));
        expect(s.sample()).toEqual({ family: 4, value: addr("100.125.128.0").value });
        expect(cidr("2001:db8::/64").sample()?.family).toBe(6);
        expect(AddressSet.EMPTY.sample()).toBeUndefined();
    });

    it("toCidrs gives the fewest aligned blocks", () => {
        expect(cidr("100.125.0.0/16").union(cidr("100.126.0.0/16")).toCidrs()).toEqual(["100.125.0.0/16", "100.126.0.0/16"]);
        expect(cidr("10.0.0.0/24").union(cidr("10.0.1.0/24")).toCidrs()).toEqual(["10.0.0.0/23"]);
        expect(cidr("100.125.0.0/16").subtract(cidr("100.125.0.0/17")).toCidrs()).toEqual(["100.125.128.0/17"]);
        const odd = AddressSet.ofFamily(4, IntervalSet.of(addr("10.0.0.1").value, addr("10.0.0.6").value));
        expect(odd.toCidrs()).toEqual(["10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6/32"]);
        expect(AddressSet.ANY.toCidrs()).toEqual(["0.0.0.0/0", "::/0"]);
        expect(cidr("::/0").subtract(cidr("8000::/1")).toCidrs()).toEqual(["::/1"]);
        expect(AddressSet.EMPTY.toString()).toBe("(none)");
    });

    it("toCidrs round-trips any interval set, IPv4 and IPv6", () => {
        const arbRange = (bits: number) =>
            fc.tuple(fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n }), fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n })).map(([a, b]) => (a <= b ? ([a, b] as const) : ([b, a] as const)));
        fc.assert(
            fc.property(fc.array(arbRange(32), { maxLength: 4 }), fc.array(arbRange(128), { maxLength: 2 }), (r4, r6) => {
                const s = new AddressSet(IntervalSet.fromRanges(r4), IntervalSet.fromRanges(r6));
                const back = s.toCidrs().reduce((a, t) => a.union(cidr(t)), AddressSet.EMPTY);
                expect(back.equals(s)).toBe(true);
            }),
            { numRuns: 120 },
        );
    });

    it("formats addresses canonically (RFC 5952 for IPv6)", () => {
        expect(formatAddress(addr("100.125.0.1"))).toBe("100.125.0.1");
        expect(formatAddress(addr("2001:0db8:0000:0000:0000:0000:0000:0001"))).toBe("2001:db8::1");
        expect(formatAddress({ family: 6, value: 0n })).toBe("::");
        expect(formatCidr(4, 0n, 0)).toBe("0.0.0.0/0");
        fc.assert(
            fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), (v) => {
                expect(addr(formatAddress({ family: 6, value: v })).value).toBe(v);
            }),
            { numRuns: 300 },
        );
    });
});
