/**
 * A set of non-negative integers stored as sorted, disjoint, non-adjacent inclusive ranges.
 * bigint so that one implementation serves IPv6 (128-bit), IPv4 and ports alike.
 * Immutable: every operation returns a new set.
 */
export type Range = readonly [lo: bigint, hi: bigint];

/** Memo keys, kept outside the objects so that equal sets stay deeply equal. */
const keys = new WeakMap<IntervalSet, string>();

export class IntervalSet {
    static readonly EMPTY = new IntervalSet([]);

    private constructor(readonly ranges: readonly Range[]) {}

    static of(lo: bigint, hi: bigint): IntervalSet {
        return lo > hi ? IntervalSet.EMPTY : new IntervalSet([[lo, hi]]);
    }

    /** Any ranges, in any order, overlapping or not. */
    static fromRanges(ranges: Iterable<Range>): IntervalSet {
        const sorted = [...ranges].filter(([lo, hi]) => lo <= hi).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
        const out: [bigint, bigint][] = [];
        for (const [lo, hi] of sorted) {
            const last = out[out.length - 1];
            if (last && lo <= last[1] + 1n) {
                if (hi > last[1]) last[1] = hi;
            } else {
                out.push([lo, hi]);
            }
        }
        return out.length === 0 ? IntervalSet.EMPTY : new IntervalSet(out);
    }

    isEmpty(): boolean {
        return this.ranges.length === 0;
    }

    contains(x: bigint): boolean {
        // Binary search: rule sets can hold thousands of ranges.
        let lo = 0;
        let hi = this.ranges.length - 1;
        while (lo <= hi) {
            const mid = (lo + hi) >> 1;
            const [a, b] = this.ranges[mid];
            if (x < a) hi = mid - 1;
            else if (x > b) lo = mid + 1;
            else return true;
        }
        return false;
    }

    union(other: IntervalSet): IntervalSet {
        if (other.isEmpty() || other === this) return this;
        if (this.isEmpty()) return other;
        // Linear merge of two sorted lists (the reachability core unions constantly).
        const a = this.ranges;
        const b = other.ranges;
        const out: [bigint, bigint][] = [];
        let i = 0;
        let j = 0;
        while (i < a.length || j < b.length) {
            const next = j >= b.length || (i < a.length && a[i][0] <= b[j][0]) ? a[i++] : b[j++];
            const last = out[out.length - 1];
            if (last && next[0] <= last[1] + 1n) {
                if (next[1] > last[1]) last[1] = next[1];
            } else {
                out.push([next[0], next[1]]);
            }
        }
        return new IntervalSet(out);
    }

    /** A canonical text of the set, for memo keys: equal sets, equal keys. */
    key(): string {
        let k = keys.get(this);
        if (k === undefined) keys.set(this, (k = this.ranges.map(([lo, hi]) => (lo === hi ? lo.toString(36) : `${lo.toString(36)}-${hi.toString(36)}`)).join(",")));
        return k;
    }

    intersect(other: IntervalSet): IntervalSet {
        const out: Range[] = [];
        let i = 0;
        let j = 0;
        const a = this.ranges;
        const b = other.ranges;
        while (i < a.length && j < b.length) {
            const lo = a[i][0] > b[j][0] ? a[i][0] : b[j][0];
            const hi = a[i][1] < b[j][1] ? a[i][1] : b[j][1];
            if (lo <= hi) out.push([lo, hi]);
            if (a[i][1] < b[j][1]) i++;
            else j++;
        }
        return out.length === 0 ? IntervalSet.EMPTY : new IntervalSet(out);
    }

    subtract(other: IntervalSet): IntervalSet {
        if (this.isEmpty() || other.isEmpty()) return this;
        const out: Range[] = [];
        let j = 0;
        const b = other.ranges;
        for (const [lo0, hi] of this.ranges) {
            let lo = lo0;
            while (j < b.length && b[j][1] < lo) j++;
            let k = j;
            while (k < b.length && b[k][0] <= hi) {
                if (b[k][0] > lo) out.push([lo, b[k][0] - 1n]);
                lo = b[k][1] + 1n;
                if (lo > hi) break;
                k++;
            }
            if (lo <= hi) out.push([lo, hi]);
        }
        return out.length === 0 ? IntervalSet.EMPTY : new IntervalSet(out);
    }

    isSubsetOf(other: IntervalSet): boolean {
        return this.subtract(other).isEmpty();
    }

    equals(other: IntervalSet): boolean {
        return this.ranges.length === other.ranges.length && this.ranges.every((r, i) => r[0] === other.ranges[i][0] && r[1] === other.ranges[i][1]);
    }

    /** The smallest element: a deterministic witness. */
    sample(): bigint | undefined {
        return this.ranges.length > 0 ? this.ranges[0][0] : undefined;
    }

    /** Number of elements. */
    size(): bigint {
        return this.ranges.reduce((n, [lo, hi]) => n + (hi - lo + 1n), 0n);
    }
}
