import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IntervalSet } from "../../src/net/intervals";

/** Sets over 0..63 as plain JS sets: the brute-force twin of IntervalSet. */
const N = 64;
const arbRanges = fc.array(fc.tuple(fc.integer({ min: 0, max: N - 1 }), fc.integer({ min: 0, max: N - 1 })), { maxLength: 6 });
const toSet = (ranges: [number, number][]) => IntervalSet.fromRanges(ranges.map(([a, b]) => [BigInt(a), BigInt(b)] as const));
const toPlain = (ranges: [number, number][]) => {
    const s = new Set<number>();
    for (const [a, b] of ranges) for (let x = a; x <= b; x++) s.add(x);
    return s;
};
const members = (s: IntervalSet) => [...Array(N).keys()].filter((x) => s.contains(BigInt(x)));
const plainMembers = (s: Set<number>) => [...Array(N).keys()].filter((x) => s.has(x));

describe("IntervalSet", () => {
    it("normalizes: sorted, disjoint, adjacent ranges merged, empty ranges dropped", () => {
        const s = IntervalSet.fromRanges([[5n, 9n], [1n, 2n], [3n, 4n], [20n, 10n], [8n, 12n]]);
        expect(s.ranges).toEqual([[1n, 12n]]);
        expect(IntervalSet.of(3n, 2n).isEmpty()).toBe(true);
        expect(IntervalSet.fromRanges([[1n, 1n], [3n, 3n]]).ranges).toEqual([[1n, 1n], [3n, 3n]]);
    });

    it("agrees with plain sets on union, intersect, subtract, contains, subset, equals, size", () => {
        fc.assert(
            fc.property(arbRanges, arbRanges, (ra, rb) => {
                const [a, b] = [toSet(ra), toSet(rb)];
                const [pa, pb] = [toPlain(ra), toPlain(rb)];
                expect(members(a)).toEqual(plainMembers(pa));
                expect(members(a.union(b))).toEqual(plainMembers(new Set([...pa, ...pb])));
                expect(members(a.intersect(b))).toEqual(plainMembers(new Set([...pa].filter((x) => pb.has(x)))));
                expect(members(a.subtract(b))).toEqual(plainMembers(new Set([...pa].filter((x) => !pb.has(x)))));
                expect(a.isSubsetOf(b)).toBe([...pa].every((x) => pb.has(x)));
                expect(a.equals(b)).toBe(pa.size === pb.size && [...pa].every((x) => pb.has(x)));
                expect(a.size()).toBe(BigInt(pa.size));
                // Canonical form: no two ranges touch.
                for (const s of [a.union(b), a.intersect(b), a.subtract(b)]) {
                    for (let i = 1; i < s.ranges.length; i++) expect(s.ranges[i][0] > s.ranges[i - 1][1] + 1n).toBe(true);
                }
            }),
            { numRuns: 2000 },
        );
    });

    it("samples the smallest element, or nothing from the empty set", () => {
        expect(IntervalSet.fromRanges([[9n, 10n], [4n, 5n]]).sample()).toBe(4n);
        expect(IntervalSet.EMPTY.sample()).toBeUndefined();
    });

    it("handles 128-bit bounds", () => {
        const max = (1n << 128n) - 1n;
        const all = IntervalSet.of(0n, max);
        const hole = all.subtract(IntervalSet.of(max, max));
        expect(hole.contains(max)).toBe(false);
        expect(hole.contains(max - 1n)).toBe(true);
        expect(hole.union(IntervalSet.of(max, max)).equals(all)).toBe(true);
        expect(all.size()).toBe(1n << 128n);
    });
});
