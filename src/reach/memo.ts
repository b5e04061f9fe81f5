/**
 * Results computed once per topology and key (a topology never changes once built). Members behind
 * the same security groups, ACL and flow share one verdict; see the callers for what each key holds.
 */
import type { Topology } from "../model/topology";
import type { Flow, FlowCheck } from "./types";

export function perTopology<T>(): (topology: Topology, key: string, compute: () => T) => T {
    const store = new WeakMap<Topology, Map<string, T>>();
    return (topology, key, compute) => {
        let memo = store.get(topology);
        if (!memo) store.set(topology, (memo = new Map()));
        let value = memo.get(key);
        if (value === undefined) memo.set(key, (value = compute()));
        return value;
    };
}

/** A shared verdict as the caller's own: its flow, and an assumptions list it may extend. */
export const ownCopy = (check: FlowCheck, flow: Flow): FlowCheck => ({ ...check, flow, assumptions: [...check.assumptions] });
