/**
 * THE safe reader: the only code that touches resource properties. A read never throws; each field
 * comes back known, unknown, absent or invalid.
 *
 * Two kinds of input:
 * - plain objects (plan files, CLI, tests): unknowns are the engine's sentinel strings, secrets may
 *   still be wrapped (`{[specialSigKey]: secretSig, value}`), and `pulumi preview --json` writes
 *   secrets as the string "[secret]" (both unknown here: the value is not in the file);
 * - the policy SDK's props proxy, which THROWS UnknownValueError when an unknown is read (an escaped
 *   throw silently downgrades a mandatory policy to one advisory: analyzer-protocol.md). The proxy
 *   hands out its plain target through a reserved key, which is read once per resource; every read
 *   also sits in its own try/catch, so any other throwing object (a future proxy, a hostile getter)
 *   reads as unknown.
 *
 * Invalid values become DataFindings with the property path and what was expected; the value itself
 * is never kept (secrets reach policies unwrapped).
 *
 * Decisions (tell users in docs/assumptions):
 * - A number field given a decimal integer string ("80") reads as that number: the Terraform bridge
 *   coerces it the same way. Fractions, NaN, Infinity and anything else are invalid.
 * - A boolean field given "true"/"false" (any case) reads as the boolean: newer Terraform schemas use
 *   string booleans (e.g. transparent_client_ip_enable, huaweicloud-resources.md §1).
 * - A string field given a finite number reads as its decimal text (the bridge renders it so); an
 *   object, array or boolean where a string belongs is invalid.
 * - Enumerations compare case-insensitively and come back in the catalogue's spelling; each
 *   normalizer passes the allowed values of its field.
 * - Strings are capped at 1 MiB (tighter per field), lists at 100,000 entries (tighter where each
 *   entry is costly to parse); a longer one is invalid, and nothing beyond the cap is walked.
 */
import { specialOutputValueSig, specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { AddressSet, parseAddress, parseAddressEntry, parseCidr } from "../net/addresses";
import type { Range } from "../net/intervals";
import { IntervalSet } from "../net/intervals";
import type { Parsed } from "../net/parse-result";
import { parsePortString, type PortSet, type PortStringStyle } from "../net/ports";
import { parseProtocol, type Protocol } from "../net/protocols";
import type { DataFinding, Value } from "./types";

export type Path = readonly (string | number)[];

/** Every typed sentinel the engine may send for a computed value (pulumi-policy.md §1.9). */
const SENTINELS: ReadonlySet<unknown> = new Set([
    unknownValue, // string
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // Array
    "030794c1-ac77-496b-92df-f27374a8bd58", // asset
    "e48ece36-62e2-4504-bad9-02848725956a", // archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // Object
]);
/** `pulumi preview --json` replaces secret values with this string. */
export const REDACTED_SECRET = "[secret]";
/** @pulumi/policy proxy.js: reading these keys returns a marker / the plain target, without throwing. */
const PROXY_MARKER = "__isSpecialProxy";
const PROXY_TARGET = "__getSpecialProxyTarget";
/** Keys that could reach an object's prototype if copied: never read, never copied. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

export const MAX_STRING = 1 << 20;
export const MAX_LIST = 100_000;
export const MAX_TAGS = 1000;

/** Shared by every resource without tags (frozen: nobody may add to it). */
const NO_TAGS: Record<string, string> = Object.freeze(Object.create(null) as Record<string, string>);

export type Raw = { readonly state: "known"; readonly value: unknown } | { readonly state: "unknown" } | { readonly state: "absent" };
const ABSENT: Raw = { state: "absent" };
const UNKNOWN: Raw = { state: "unknown" };

/** `["networks", 0, "uuid"]` → `networks[0].uuid`. */
export function formatPath(path: Path): string {
    let out = "";
    for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? p : `.${p}`;
    return out;
}

export const known = <T>(value: T): Value<T> => ({ state: "known", value });

/** Classify a value that was read without throwing. */
function classify(v: unknown): Raw {
    if (v === undefined || v === null) return ABSENT;
    if (typeof v === "string") return SENTINELS.has(v) || v === REDACTED_SECRET ? UNKNOWN : { state: "known", value: v };
    if (typeof v === "object" && !Array.isArray(v)) {
        const o = v as Record<string, unknown>;
        let sig: unknown;
        try {
            sig = o[specialSigKey];
        } catch {
            return { state: "known", value: v }; // an object that throws on odd keys is not an engine encoding
        }
        // Engine encodings: a secret or an output value carries `value`, else it is not known.
        if (sig === specialSecretSig || sig === specialOutputValueSig) return Object.prototype.hasOwnProperty.call(o, "value") ? classify(o.value) : UNKNOWN;
    }
    return { state: "known", value: v };
}

function classifySafely(v: unknown): Raw {
    try {
        return classify(v);
    } catch {
        return UNKNOWN;
    }
}

/** One step down. Own properties only; any throw (the SDK proxy's UnknownValueError included) reads as unknown. */
function step(obj: unknown, key: string | number): Raw {
    if (obj === null || typeof obj !== "object") return ABSENT;
    try {
        if (Array.isArray(obj)) {
            if (typeof key !== "number" || key < 0 || key >= obj.length) return ABSENT;
        } else if (typeof key !== "string" || FORBIDDEN_KEYS.has(key) || !Object.prototype.hasOwnProperty.call(obj, key)) {
            return ABSENT;
        }
        return classify((obj as Record<string | number, unknown>)[key]);
    } catch {
        return UNKNOWN;
    }
}

/** The SDK proxy's plain target (sentinels intact), or the value itself. */
function unproxy(props: unknown): unknown {
    if (props === null || typeof props !== "object") return props;
    try {
        const p = props as Record<string, unknown>;
        if (p[PROXY_MARKER] === true) {
            const target = p[PROXY_TARGET];
            if (target !== null && typeof target === "object") return target;
        }
    } catch {
        // Not the SDK proxy: read it step by step, each step guarded.
    }
    return props;
}

export class PropReader {
    private readonly root: Raw;
    /** Properties already reported (created on the first invalid value: most resources have none). */
    private reported?: Set<string>;

    constructor(
        readonly urn: string,
        readonly type: string,
        readonly name: string,
        props: unknown,
        private readonly findings: DataFinding[],
    ) {
        this.root = classifySafely(unproxy(props));
    }

    /** The raw value at a path. */
    at(path: Path): Raw {
        let cur = this.root;
        for (const key of path) {
            if (cur.state !== "known") return cur;
            cur = step(cur.value, key);
        }
        return cur;
    }

    /** Set: known or unknown. */
    has(path: Path): boolean {
        return this.at(path).state !== "absent";
    }

    /** Not set in Terraform's sense: absent, or the empty string Terraform uses for "not set". */
    unset(path: Path): boolean {
        const v = this.at(path);
        return v.state === "absent" || (v.state === "known" && typeof v.value === "string" && v.value.trim() === "");
    }

    /** A known, non-empty string. */
    knownNonEmpty(path: Path): boolean {
        const v = this.at(path);
        return v.state === "known" && typeof v.value === "string" && v.value.trim() !== "";
    }

    /** The first of several property names present (e.g. `networks`, or `network` in a build that keeps singular block names). */
    pick(...keys: string[]): string {
        for (const k of keys) if (this.has([k])) return k;
        return keys[0];
    }

    /**
     * Where a one-block property (Terraform MaxItems 1, e.g. an EIP's `publicip`) lives: the SDK makes it an
     * object; a bridge that keeps it a one-element list is tolerated by reading its first element.
     */
    block(key: string): Path {
        const v = this.at([key]);
        return v.state === "known" && Array.isArray(v.value) ? [key, 0] : [key];
    }

    /** Record an invalid value once per property; the value itself is never kept. */
    invalid<T = never>(path: Path, expected: string): Value<T> {
        const property = formatPath(path);
        this.reported ??= new Set();
        if (!this.reported.has(property)) {
            this.reported.add(property);
            this.findings.push({ urn: this.urn, type: this.type, name: this.name, property, expected });
        }
        return { state: "invalid", path: property, expected };
    }

    /** Read, then convert a known value; a converter that throws counts as an invalid value. */
    read<T>(path: Path, convert: (v: unknown) => Parsed<T>, expected = "a readable value"): Value<T> {
        const raw = this.at(path);
        if (raw.state !== "known") return { state: raw.state, path: formatPath(path) };
        let parsed: Parsed<T>;
        try {
            parsed = convert(raw.value);
        } catch {
            parsed = { ok: false, error: expected };
        }
        return parsed.ok ? known(parsed.value) : this.invalid(path, parsed.error);
    }

    string(path: Path, maxLength = 4096): Value<string> {
        return this.read(path, (v) => toText(v, Math.min(maxLength, MAX_STRING)));
    }

    /** An identifier or reference: a string of at most 1,024 characters; "" reads as absent (Terraform's "not set"). */
    id(path: Path): Value<string> {
        const v = this.string(path, 1024);
        return v.state === "known" && v.value.trim() === "" ? { state: "absent", path: formatPath(path) } : v;
    }

    /** An integer in [min, max]; decimal integer strings are accepted (the bridge coerces them). */
    number(path: Path, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): Value<number> {
        const expected = min === Number.MIN_SAFE_INTEGER && max === Number.MAX_SAFE_INTEGER ? "an integer" : `an integer from ${min} to ${max}`;
        return this.read(path, (v) => {
            const n = typeof v === "number" ? v : typeof v === "string" && /^\s*-?\d{1,15}\s*$/.test(v) ? Number(v) : NaN;
            return Number.isInteger(n) && n >= min && n <= max ? { ok: true, value: n === 0 ? 0 : n } : { ok: false, error: expected };
        });
    }

    /** A boolean; "true"/"false" strings too (newer Terraform schemas use string booleans). */
    bool(path: Path): Value<boolean> {
        return this.read(path, (v) => {
            if (typeof v === "boolean") return { ok: true, value: v };
            const s = typeof v === "string" ? v.trim().toLowerCase() : undefined;
            return s === "true" || s === "false" ? { ok: true, value: s === "true" } : { ok: false, error: "true or false" };
        });
    }

    /** One of the allowed values, compared case-insensitively, returned in the allowed spelling. */
    oneOf<T extends string>(path: Path, allowed: readonly T[]): Value<T> {
        return this.read(path, (v) => {
            const s = typeof v === "string" && v.length <= 64 ? v.trim().toLowerCase() : undefined;
            const hit = s === undefined ? undefined : allowed.find((a) => a.toLowerCase() === s);
            return hit !== undefined ? { ok: true, value: hit } : { ok: false, error: `one of ${allowed.join(", ")}` };
        });
    }

    /** A CIDR block or a bare address (a /32 or /128). "" is invalid here; callers that read "" as "any" check `unset` first. */
    cidr(path: Path): Value<AddressSet> {
        return this.read(path, parseCidr);
    }

    /** One IP address, trimmed. */
    address(path: Path): Value<string> {
        return this.read(path, (v) => {
            const a = parseAddress(v);
            return a.ok ? { ok: true, value: (v as string).trim() } : a;
        });
    }

    /** A port string in the given style; a bare number is read as its decimal text. */
    ports(path: Path, style: PortStringStyle): Value<PortSet> {
        return this.read(path, (v) => parsePortString(typeof v === "number" ? String(v) : v, style));
    }

    protocol(path: Path, allowAny: boolean): Value<Protocol> {
        return this.read(path, (v) => parseProtocol(v, allowAny));
    }

    /** The length of a list (nothing is walked when it is longer than `max`). */
    list(path: Path, max = MAX_LIST): Value<number> {
        return this.read(path, (v) => {
            if (!Array.isArray(v)) return { ok: false, error: "a list" };
            return v.length <= max ? { ok: true, value: v.length } : { ok: false, error: `a list of at most ${max} entries` };
        });
    }

    /**
     * Address entries (address, CIDR or range a-b) of a list merged into one set; `sub` names the key
     * inside each entry (`ipExtraSets[].ip`). Any unknown entry makes the set unknown; an invalid or
     * missing entry makes it invalid. The set is built once from all ranges (linear, not n unions).
     */
    addressList(path: Path, sub: Path = [], max = 10_000): Value<AddressSet> {
        const n = this.list(path, max);
        if (n.state !== "known") return n;
        const v4: Range[] = [];
        const v6: Range[] = [];
        let unknownAt: string | undefined;
        for (let i = 0; i < n.value; i++) {
            const at = [...path, i, ...sub];
            const e = this.read(at, parseAddressEntry);
            if (e.state === "invalid") return e;
            if (e.state === "absent") return this.invalid(at, "an IP address, CIDR block or range a-b");
            if (e.state === "unknown") unknownAt ??= e.path;
            else {
                v4.push(...e.value.v4.ranges);
                v6.push(...e.value.v6.ranges);
            }
        }
        if (unknownAt !== undefined) return { state: "unknown", path: unknownAt };
        return known(new AddressSet(IntervalSet.fromRanges(v4), IntervalSet.fromRanges(v6)));
    }

    /** Known string tags. Prototype keys are dropped and the result has no prototype, so nothing can be polluted. */
    tags(path: Path = ["tags"]): Record<string, string> {
        const raw = this.at(path);
        if (raw.state !== "known" || typeof raw.value !== "object" || raw.value === null || Array.isArray(raw.value)) return NO_TAGS;
        const out = Object.create(null) as Record<string, string>;
        let keys: string[];
        try {
            keys = Object.keys(raw.value);
        } catch {
            return out;
        }
        for (let i = 0; i < keys.length && i < MAX_TAGS; i++) {
            const k = keys[i];
            if (FORBIDDEN_KEYS.has(k) || k.length > 1024) continue;
            const v = step(raw.value, k);
            if (v.state === "known" && typeof v.value === "string" && v.value.length <= 4096) Object.defineProperty(out, k, { value: v.value, enumerable: true });
        }
        return out;
    }
}

function toText(v: unknown, maxLength: number): Parsed<string> {
    // The bridge renders a number given for a string field as its decimal text.
    if (typeof v === "number" && Number.isFinite(v)) return { ok: true, value: String(v) };
    if (typeof v !== "string") return { ok: false, error: "a string" };
    if (v.length > maxLength) return { ok: false, error: `a string of at most ${maxLength} characters` };
    return { ok: true, value: v };
}
