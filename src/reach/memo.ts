/**
 * Results computed once per topology and key (a topology never changes once built). Members behind
 * the same security groups, ACL and flow share one verdict; see the callers for what each key holds.
 */
import type { Topology } from "../model/topology";
import type { Ref } from "../model/types";
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

/** Everything about a reference that the verdict depends on. */
export const refKey = (r: Ref): string => {
    switch (r.state) {
        case "resolved":
            return `r:${r.via}:${r.urn}`;
        case "external":
            return `e:${r.path}`;
        case "unresolved":
            return `u:${r.path}:${r.reason}`;
        case "invalid":
            return `i:${r.path}:${r.expected}`;
        default:
            return `a:${r.path}`;
    }
};

/** Everything about a flow that a verdict depends on. */
export const flowKey = (f: Flow): string => `${f.protocol}/${f.port ?? ""}/${f.family}/${f.purpose}/${JSON.stringify(f.sourceLabel)}/${f.sources.key()}/${f.unknownSources?.subnet ?? ""}`;
