/**
 * Reference resolution (huaweicloud-resources.md §3, analyzer-protocol.md "Unknown values").
 *
 * A reference resolves by its literal ID when the ID is known, looking only at the identifier kind the
 * referring property carries (a subnet's `id` vs `ipv4SubnetId`, §3.1). When the ID is unknown (a
 * resource being created), the referring resource's propertyDependencies for the top-level property
 * name the resources the value came from; filtered to the expected kind they single out the target.
 *
 * Candidates from the dependencies exclude resources whose expected identifier is KNOWN: a value
 * computed from a known ID would itself be known. A KNOWN value that matches no indexed identifier may
 * still come from a dependency whose identifier is simply not in its properties (e.g. inputs without
 * outputs); only such candidates are considered for it.
 *
 * Lists whose every element is a reference of one kind (securityGroupIds, backendSubnets, ...) take the
 * remaining dependency URNs, in their order, for the elements the plan does not know. Nested single
 * references (networks[i].uuid) share the dependencies of the whole list and resolve only when one
 * candidate remains.
 */
import type { IdKind, Target } from "./normalize";
import { formatPath, type Path, type PropReader } from "./reader";
import type { DataFinding, Ref, ResourceKind, Value } from "./types";

/** What the index knows about one resource of the plan. */
export interface Node {
    urn: string;
    type: string;
    name: string;
    kind: ResourceKind;
    /** Known identifiers by kind. */
    known: Partial<Record<IdKind, string>>;
    /** Identifier kinds present but unknown at preview. */
    unknown?: IdKind[];
}

const SUBNET_IDS: readonly IdKind[] = ["id", "ipv4SubnetId", "ipv6SubnetId"];
const plural = (noun: string, n: number) => `${n} ${noun}${n === 1 ? "" : "s"}`;

/** Every identifier of every resource, indexed once. */
export class IdIndex {
    readonly nodes = new Map<string, Node>();
    private readonly byId = new Map<IdKind, Map<string, Node[]>>();

    add(node: Node): void {
        this.nodes.set(node.urn, node);
        for (const kind of Object.keys(node.known) as IdKind[]) {
            const value = node.known[kind]!;
            let m = this.byId.get(kind);
            if (!m) this.byId.set(kind, (m = new Map()));
            const list = m.get(value);
            if (!list) m.set(value, [node]);
            else if (!list.includes(node)) list.push(node);
        }
    }

    /** Resources of the given kinds carrying the value, for the first identifier kind that has any. */
    lookup(value: string, ids: readonly IdKind[], kinds: readonly ResourceKind[]): Node[] {
        for (const id of ids) {
            const hits = this.byId.get(id)?.get(value);
            if (!hits) continue;
            const ofKind = hits.length === 1 ? (kinds.includes(hits[0].kind) ? hits : []) : hits.filter((n) => kinds.includes(n.kind));
            if (ofKind.length > 0) return ofKind;
        }
        return [];
    }

    /** The id kinds under which a value is indexed for a subnet (to name a wrong-identifier mistake). */
    kindOf(value: string, node: Node): IdKind | undefined {
        return (Object.keys(node.known) as IdKind[]).find((k) => node.known[k] === value);
    }
}

/** Dependency URNs of the given kinds, in order, without repeats. */
export function dependencyNodes(index: IdIndex, deps: readonly string[], kinds: readonly ResourceKind[]): Node[] {
    const out: Node[] = [];
    const seen = new Set<Node>();
    for (const urn of deps) {
        const n = index.nodes.get(urn);
        if (n && !seen.has(n) && kinds.includes(n.kind)) {
            seen.add(n);
            out.push(n);
        }
    }
    return out;
}

/** Why no dependency can be the source of an unknown value. */
function noSource(to: Target, property: string, deps: readonly string[], ofKind: readonly Node[]): string {
    if (deps.length === 0) return `the plan records no dependency for ${property}`;
    if (ofKind.length === 0) return `does not come from a ${to.noun} in this stack`;
    return `the ${to.noun}s it depends on (${ofKind.map((n) => n.name).join(", ")}) have known IDs, so it cannot be told which it is`;
}

const allKnown = (n: Node, ids: readonly IdKind[]) => ids.every((k) => n.known[k] !== undefined);
const noneSet = (n: Node, ids: readonly IdKind[]) => ids.every((k) => n.known[k] === undefined && !n.unknown?.includes(k));

export class ReferenceResolver {
    /** For unresolved references: the resources they may be (used for "may cover" questions). */
    private readonly maybe = new WeakMap<Ref, readonly string[]>();

    constructor(
        private readonly index: IdIndex,
        private readonly findings: DataFinding[],
    ) {}

    /** The URNs an unresolved reference may point at; undefined = anything. */
    candidatesOf(ref: Ref): readonly string[] | undefined {
        return this.maybe.get(ref);
    }

    /** Dependency URNs of the expected kinds, in order, without repeats. */
    private candidates(deps: readonly string[], to: Target): Node[] {
        return dependencyNodes(this.index, deps, to.kinds);
    }

    private unresolved(path: string, reason: string, candidates?: readonly Node[]): Ref {
        const ref: Ref = { state: "unresolved", reason, path };
        if (candidates && candidates.length > 0) this.maybe.set(ref, candidates.map((n) => n.urn));
        return ref;
    }

    /** By literal ID: resolved, ambiguous, a subnet's wrong identifier, or no hit (undefined). */
    private byLiteral(r: PropReader, value: string, path: string, to: Target): Ref | undefined {
        const hits = this.index.lookup(value, to.ids, to.kinds);
        if (hits.length === 1) return { state: "resolved", urn: hits[0].urn, via: "id", path };
        if (hits.length > 1) return this.unresolved(path, `${plural(to.noun, hits.length)} in this stack carry the ID given in ${path}`, hits);
        if (to.kinds.includes("subnet")) {
            // A subnet's `id` where its ipv4SubnetId belongs, or the reverse, is the classic mistake (§3.1):
            // report it and follow it, so the other checks still run.
            const other = SUBNET_IDS.filter((k) => !to.ids.includes(k));
            const wrong = this.index.lookup(value, other, ["subnet"]);
            if (wrong.length === 1) {
                const used = this.index.kindOf(value, wrong[0]) ?? "other ID";
                this.findings.push({ urn: r.urn, type: r.type, name: r.name, property: path, expected: `the subnet's ${to.ids.join(" or ")} (the value given is the subnet's ${used})` });
                return { state: "resolved", urn: wrong[0].urn, via: "id", path };
            }
        }
        return undefined;
    }

    /** A single reference at `at`; `deps` = propertyDependencies of its top-level property. */
    one(r: PropReader, at: Path, to: Target, deps: readonly string[]): Ref {
        const v = r.id(at);
        const path = formatPath(at);
        switch (v.state) {
            case "absent":
                return { state: "absent", path };
            case "invalid":
                return { state: "invalid", path, expected: v.expected };
            case "known": {
                const hit = this.byLiteral(r, v.value, path, to);
                if (hit) return hit;
                const open = this.candidates(deps, to).filter((n) => noneSet(n, to.ids));
                if (open.length === 1) return { state: "resolved", urn: open[0].urn, via: "dependency", path };
                return { state: "external", id: v.value, path };
            }
            case "unknown": {
                const top = String(at[0]);
                const ofKind = this.candidates(deps, to);
                const c = ofKind.filter((n) => !allKnown(n, to.ids));
                if (c.length === 1) return { state: "resolved", urn: c[0].urn, via: "dependency", path };
                if (c.length === 0) return this.unresolved(path, `${path} is unknown at preview and ${noSource(to, top, deps, ofKind)}`);
                return this.unresolved(path, `${path} is unknown at preview and ${top} depends on ${plural(to.noun, c.length)} (${c.map((n) => n.name).join(", ")}), so which one is not known`, c);
            }
        }
    }

    /** A list of references of one kind at `at` (element value at `[i, ...sub]`). */
    list(r: PropReader, at: Path, to: Target, sub: Path, deps: readonly string[]): Value<Ref[]> {
        const n = r.list(at, 10_000);
        const listPath = formatPath(at);
        if (n.state === "absent" || n.state === "invalid") return n;
        if (n.state === "unknown") {
            // The whole list is unknown: the dependencies, in their order, are the list.
            const c = this.candidates(deps, to);
            return c.length === 0 ? { state: "unknown", path: listPath } : { state: "known", value: c.map((node): Ref => ({ state: "resolved", urn: node.urn, via: "dependency", path: listPath })) };
        }
        const out: Ref[] = new Array(n.value);
        const open: { i: number; path: string; value?: string }[] = [];
        const taken = new Set<string>();
        for (let i = 0; i < n.value; i++) {
            const elem = [...at, i, ...sub];
            const path = formatPath(elem);
            const v = r.id(elem);
            if (v.state === "absent") {
                // A list entry without an ID (null, or an object missing the key) is a data error.
                const expected = `a ${to.noun} ID`;
                r.invalid(elem, expected);
                out[i] = { state: "invalid", path, expected };
            } else if (v.state === "invalid") out[i] = { state: "invalid", path, expected: v.expected };
            else if (v.state === "unknown") open.push({ i, path });
            else {
                const hit = this.byLiteral(r, v.value, path, to);
                if (hit) {
                    out[i] = hit;
                    if (hit.state === "resolved") taken.add(hit.urn);
                } else open.push({ i, path, value: v.value });
            }
        }
        if (open.length === 0) return { state: "known", value: out };
        // Elements the plan does not know (or knows but cannot match) take the remaining dependencies in order.
        const pool = this.candidates(deps, to).filter((node) => !taken.has(node.urn) && !allKnown(node, to.ids));
        const knownOpen = open.filter((o) => o.value !== undefined);
        const canTakeKnown = pool.some((node) => noneSet(node, to.ids));
        // A known value matching nothing is external unless a dependency without that identifier could be it.
        const pending = canTakeKnown ? open : open.filter((o) => o.value === undefined);
        if (!canTakeKnown) for (const o of knownOpen) out[o.i] = { state: "external", id: o.value!, path: o.path };
        const positional = pending.length === pool.length && pending.every((o, k) => o.value === undefined || noneSet(pool[k], to.ids));
        pending.forEach((o, k) => {
            if (positional) out[o.i] = { state: "resolved", urn: pool[k].urn, via: "dependency", path: o.path };
            else if (o.value !== undefined) out[o.i] = { state: "external", id: o.value, path: o.path };
            else {
                out[o.i] = this.unresolved(
                    o.path,
                    pool.length === 0
                        ? `${o.path} is unknown at preview and ${noSource(to, listPath, deps, this.candidates(deps, to))}`
                        : `${o.path} is unknown at preview and ${listPath} depends on ${plural(to.noun, pool.length)} for ${pending.length} entr${pending.length === 1 ? "y" : "ies"} the plan cannot match, so which is which is not known`,
                    pool,
                );
            }
        });
        return { state: "known", value: out };
    }
}
