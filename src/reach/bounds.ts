/**
 * Unknown-safe evaluation. A rule whose relevant fields are unknown (or invalid) is evaluated in two
 * readings: pessimistic (allow rules match only what they surely match, deny rules everything they
 * might; unknown actions count as deny, unknown priorities put denies first) and optimistic (the
 * reverse). First-match evaluation is monotone in these changes, so
 *     pessimistic admitted ⊆ admitted under every real value ⊆ optimistic admitted.
 * Reachable = the pessimistic set covers the need; definitely blocked = the need minus the optimistic set.
 */
import { IntervalSet } from "../net/intervals";
import type { Value } from "../model/types";

export type Reading = "pessimistic" | "optimistic";

/** A rule condition on one flow: what it surely matches (sure) and what it might match (maybe). */
export interface Match {
    sure: IntervalSet;
    maybe: IntervalSet;
}

export const NONE: Match = { sure: IntervalSet.EMPTY, maybe: IntervalSet.EMPTY };

export function exact(set: IntervalSet): Match {
    return { sure: set, maybe: set };
}

/** A boolean condition: true, false, or unknown. */
export type Tri = boolean | "unknown";

export function tri<T>(v: Value<T>, test: (x: T) => boolean): Tri {
    return v.state === "known" ? test(v.value) : "unknown";
}

/** Restrict a match by a tri-state condition (ethertype, protocol, ports...). */
export function gate(m: Match, cond: Tri): Match {
    if (cond === true) return m;
    if (cond === false) return NONE;
    return { sure: IntervalSet.EMPTY, maybe: m.maybe };
}

export function and(...conds: Tri[]): Tri {
    if (conds.includes(false)) return false;
    return conds.includes("unknown") ? "unknown" : true;
}

export type Action = "allow" | "deny";

/** What a rule does in one reading: its action and the set it matches. */
export function inReading(m: Match, action: Value<Action>, reading: Reading): { action: Action; set: IntervalSet } {
    const act: Action = action.state === "known" ? action.value : reading === "pessimistic" ? "deny" : "allow";
    // Pessimistic: allows shrink to what is sure, denies grow to what is possible; optimistic: the reverse.
    const useSure = (act === "allow") === (reading === "pessimistic");
    return { action: act, set: useSure ? m.sure : m.maybe };
}

/** Sources admitted by an ordered rule list (first match wins); the rest are matched by a deny or by none. */
export function firstMatch(rules: readonly { action: Action; set: IntervalSet }[], universe: IntervalSet): { allowed: IntervalSet; denied: IntervalSet } {
    let remaining = universe;
    let allowed = IntervalSet.EMPTY;
    let denied = IntervalSet.EMPTY;
    for (const r of rules) {
        if (remaining.isEmpty()) break;
        const hit = remaining.intersect(r.set);
        if (hit.isEmpty()) continue;
        if (r.action === "allow") allowed = allowed.union(hit);
        else denied = denied.union(hit);
        remaining = remaining.subtract(r.set);
    }
    return { allowed, denied };
}
