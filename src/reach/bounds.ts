/**
 * Unknown-safe first-match evaluation. A rule whose relevant values are unknown (or invalid) is
 * evaluated in two readings:
 *   pessimistic — allow rules match only what they surely match, deny rules all they might; an
 *                 unknown action is a deny; unknown priorities put denies first and allows last;
 *   optimistic  — the reverse.
 * First-match evaluation is monotone in each of these changes (shrinking an allow, growing a deny,
 * turning an allow into a deny, moving a deny earlier or an allow later never admits more), so
 *     pessimistic admitted  ⊆  admitted for every real value  ⊆  optimistic admitted.
 * Reachable = the pessimistic set covers the need; definitely blocked = need minus the optimistic set.
 */
import { IntervalSet } from "../net/intervals";
import type { Value } from "../model/types";

export type Reading = "pessimistic" | "optimistic";
export type Action = "allow" | "deny";

/** What a rule condition matches on one flow: surely (in every reading) and possibly. */
export interface Match {
    sure: IntervalSet;
    maybe: IntervalSet;
}

export const NONE: Match = { sure: IntervalSet.EMPTY, maybe: IntervalSet.EMPTY };

export const exact = (set: IntervalSet): Match => ({ sure: set, maybe: set });

/** Matches some unknown part of `set`. */
export const possibly = (set: IntervalSet): Match => ({ sure: IntervalSet.EMPTY, maybe: set });

/** A condition that is true, false, or cannot be told. */
export type Tri = boolean | "unknown";

export function tri<T>(v: Value<T>, test: (x: T) => boolean): Tri {
    return v.state === "known" ? test(v.value) : "unknown";
}

export function and(...conds: Tri[]): Tri {
    if (conds.includes(false)) return false;
    return conds.includes("unknown") ? "unknown" : true;
}

/** Restrict a match by a condition. */
export function gate(m: Match, cond: Tri): Match {
    if (cond === true) return m;
    if (cond === false) return NONE;
    return possibly(m.maybe);
}

export const intersectAll = (ms: Match[], universe: IntervalSet): Match => ({
    sure: ms.reduce((a, m) => a.intersect(m.sure), universe),
    maybe: ms.reduce((a, m) => a.intersect(m.maybe), universe),
});

export const unionAll = (ms: Match[]): Match => ({
    sure: ms.reduce((a, m) => a.union(m.sure), IntervalSet.EMPTY),
    maybe: ms.reduce((a, m) => a.union(m.maybe), IntervalSet.EMPTY),
});

/** The action a rule takes in a reading: an unknown action is a deny (pessimistic) or an allow (optimistic). */
export function actionIn(action: Value<Action>, reading: Reading): Action {
    if (action.state === "known") return action.value;
    return reading === "pessimistic" ? "deny" : "allow";
}

/** The bound a rule uses: pessimistic allows and optimistic denies take what is sure, the others all that is possible. */
export function boundIn(m: Match, action: Action, reading: Reading): IntervalSet {
    return (action === "allow") === (reading === "pessimistic") ? m.sure : m.maybe;
}

/**
 * First match over an ordered rule list: which part of `universe` each action decides; the rest
 * matches no rule. A sweep over every range bound with a min-heap of the rules covering the current
 * segment (the lowest index decides it): O(E log E) in the number of ranges, however the rules overlap.
 */
export function firstMatch(rules: readonly { action: Action; set: IntervalSet }[], universe: IntervalSet): { allowed: IntervalSet; denied: IntervalSet } {
    const events: { at: bigint; rule: number; open: boolean }[] = [];
    rules.forEach((r, i) => {
        for (const [lo, hi] of r.set.intersect(universe).ranges) events.push({ at: lo, rule: i, open: true }, { at: hi + 1n, rule: i, open: false });
    });
    events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    const heap = new MinHeap();
    const covering = new Int32Array(rules.length);
    const decided: Record<Action, [bigint, bigint][]> = { allow: [], deny: [] };
    for (let k = 0; k < events.length; ) {
        const at = events[k].at;
        for (; k < events.length && events[k].at === at; k++) {
            const e = events[k];
            covering[e.rule] += e.open ? 1 : -1;
            if (e.open) heap.push(e.rule);
        }
        while (heap.size > 0 && covering[heap.peek()] === 0) heap.pop();
        if (k < events.length && heap.size > 0) decided[rules[heap.peek()].action].push([at, events[k].at - 1n]);
    }
    return { allowed: IntervalSet.fromRanges(decided.allow), denied: IntervalSet.fromRanges(decided.deny) };
}

/** A binary min-heap of rule indices. */
class MinHeap {
    private readonly items: number[] = [];
    get size(): number {
        return this.items.length;
    }
    peek(): number {
        return this.items[0];
    }
    push(x: number): void {
        const a = this.items;
        a.push(x);
        for (let i = a.length - 1; i > 0; ) {
            const p = (i - 1) >> 1;
            if (a[p] <= a[i]) break;
            [a[p], a[i]] = [a[i], a[p]];
            i = p;
        }
    }
    pop(): void {
        const a = this.items;
        const last = a.pop()!;
        if (a.length === 0) return;
        a[0] = last;
        for (let i = 0; ; ) {
            const l = 2 * i + 1;
            const r = l + 1;
            let m = i;
            if (l < a.length && a[l] < a[m]) m = l;
            if (r < a.length && a[r] < a[m]) m = r;
            if (m === i) break;
            [a[m], a[i]] = [a[i], a[m]];
            i = m;
        }
    }
}
