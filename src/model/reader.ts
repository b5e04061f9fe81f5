/**
 * THE safe reader: the only code that touches resource properties. A read never throws; each field
 * comes back known, unknown, absent or invalid. It works on plain objects (plan files, CLI, tests),
 * where unknowns are the SDK's sentinel strings, and on the policy SDK's props proxy, which THROWS
 * UnknownValueError when an unknown is read (an escaped throw would silently downgrade a mandatory
 * policy to one advisory: analyzer-protocol.md).
 * Invalid values are recorded as DataFindings with the property path and what was expected; the
 * value itself is never kept (secrets arrive unwrapped).
 */
import { specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { AddressSet, parseAddress, parseAddressEntry, parseCidr } from "../net/addresses";
import type { Parsed } from "../net/parse-result";
import { parsePortString, type PortSet, type PortStringStyle } from "../net/ports";
import { parseProtocol, type Protocol } from "../net/protocols";
import type { DataFinding, Value } from "./types";

export type Path = readonly (string | number)[];

/** Every typed sentinel the engine may send for a computed value (pulumi-policy.md §1.9). */
const SENTINELS = new Set([
    unknownValue,
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "030794c1-ac77-496b-92df-f27374a8bd58",
    "e48ece36-62e2-4504-bad9-02848725956a",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** `pulumi preview --json` replaces secrets with this string. */
const REDACTED_SECRET = "[secret]";

const MAX_STRING = 1 << 20;
export const MAX_LIST = 100_000;

export type Raw = { state: "known"; value: unknown } | { state: "unknown" } | { state: "absent" };
const ABSENT: Raw = { state: "absent" };
const UNKNOWN: Raw = { state: "unknown" };

export function formatPath(path: Path): string {
    let out = "";
    for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? p : `.${p}`;
    return out;
}

/** Classify a value that was read without throwing. */
function classify(v: unknown): Raw {
    if (v === undefined || v === null) return ABSENT;
    if (typeof v === "string") return SENTINELS.has(v) || v === REDACTED_SECRET ? UNKNOWN : { state: "known", value: v };
    if (typeof v === "object" && !Array.isArray(v)) {
        const sig = (v as Record<string, unknown>)[specialSigKey];
        if (sig === SECRET_SIG) return "value" in (v as object) ? classify((v as Record<string, unknown>).value) : UNKNOWN;
    }
    return { state: "known", value: v };
}

/** One step down, catching the proxy's UnknownValueError (or anything else a hostile object throws). */
function step(obj: unknown, key: string | number): Raw {
    if (obj === null || typeof obj !== "object") return ABSENT;
    try {
        if (Array.isArray(obj)) {
            if (typeof key !== "number" || key < 0 || key >= obj.length) return ABSENT;
        } else if (typeof key !== "string" || !Object.prototype.hasOwnProperty.call(obj, key)) {
            return ABSENT;
        }
        return classify((obj as Record<string | number, unknown>)[key]);
    } catch {
        return UNKNOWN;
    }
}

export class PropReader {
    private readonly reported = new Set<string>();

    constructor(
        readonly urn: string,
        readonly type: string,
        readonly name: string,
        private readonly props: unknown,
        private readonly findings: DataFinding[],
    ) {}

    /** The raw value at a path. */
    at(path: Path): Raw {
        let cur: Raw = classify(this.props);
        for (const key of path) {
            if (cur.state !== "known") return cur;
            cur = step(cur.value, key);
        }
        return cur;
    }

    has(path: Path): boolean {
        return this.at(path).state !== "absent";
    }

    invalid<T>(path: Path, expected: string): Value<T> {
        const p = formatPath(path);
        if (!this.reported.has(p)) {
            this.reported.add(p);
            this.findings.push({ urn: this.urn, type: this.type, name: this.name, property: p, expected });
        }
        return { state: "invalid", path: p, expected };
    }

    /** Read, then convert a known value (conversion returns a parse result). */
    read<T>(path: Path, convert: (v: unknown) => Parsed<T>): Value<T> {
        const raw = this.at(path);
        if (raw.state === "unknown") return { state: "unknown", path: formatPath(path) };
        if (raw.state === "absent") return { state: "absent", path: formatPath(path) };
        const parsed = convert(raw.value);
        return parsed.ok ? { state: "known", value: parsed.value } : this.invalid(path, parsed.error);
    }

    string(path: Path, maxLength = 65_536): Value<string> {
        return this.read(path, (v) => toStringValue(v, maxLength));
    }

    number(path: Path, min = -Infinity, max = Infinity): Value<number> {
        return this.read(path, (v) => {
            // The Terraform bridge coerces numeric strings for number fields, so accept them.
            const n = typeof v === "number" ? v : typeof v === "string" && /^-?\d{1,15}$/.test(v.trim()) ? Number(v) : NaN;
            if (!Number.isFinite(n) || !Number.isInteger(n)) return { ok: false, error: `an integer${Number.isFinite(min) ? ` from ${min} to ${max}` : ""}` };
            return n >= min && n <= max ? { ok: true, value: n } : { ok: false, error: `an integer from ${min} to ${max}` };
        });
    }

    /** Booleans; newer Terraform schemas use the strings "true" / "false". */
    bool(path: Path): Value<boolean> {
        return this.read(path, (v) => {
            if (typeof v === "boolean") return { ok: true, value: v };
            if (typeof v === "string" && /^(true|false)$/i.test(v.trim())) return { ok: true, value: v.trim().toLowerCase() === "true" };
            return { ok: false, error: "true or false" };
        });
    }

    /** One of the allowed values, compared case-insensitively and returned in the allowed spelling. */
    oneOf<T extends string>(path: Path, allowed: readonly T[]): Value<T> {
        return this.read(path, (v) => {
            const s = typeof v === "string" ? v.trim().toLowerCase() : undefined;
            const hit = s === undefined ? undefined : allowed.find((a) => a.toLowerCase() === s);
            return hit ? { ok: true, value: hit } : { ok: false, error: `one of ${allowed.join(", ")}` };
        });
    }

    cidr(path: Path): Value<AddressSet> {
        return this.read(path, (v) => parseCidr(v));
    }

    address(path: Path): Value<string> {
        return this.read(path, (v) => {
            const a = parseAddress(v);
            return a.ok ? { ok: true, value: (v as string).trim() } : a;
        });
    }

    ports(path: Path, style: PortStringStyle): Value<PortSet> {
        return this.read(path, (v) => parsePortString(typeof v === "number" ? String(v) : v, style));
    }

    protocol(path: Path, allowAny: boolean): Value<Protocol> {
        return this.read(path, (v) => parseProtocol(v, allowAny));
    }

    /** Length of a list, or why it cannot be walked. */
    list(path: Path): Value<number> {
        return this.read(path, (v) => {
            if (!Array.isArray(v)) return { ok: false, error: "a list" };
            return v.length <= MAX_LIST ? { ok: true, value: v.length } : { ok: false, error: `a list of at most ${MAX_LIST} entries` };
        });
    }

    /** A list of address entries (address, CIDR or range) merged into one set. */
    addressList(path: Path): Value<AddressSet> {
        const n = this.list(path);
        if (n.state !== "known") return n;
        let set = AddressSet.EMPTY;
        for (let i = 0; i < n.value; i++) {
            const e = this.read([...path, i], (v) => parseAddressEntry(v));
            if (e.state !== "known") return e.state === "absent" ? this.invalid([...path, i], "an IP address, CIDR block or range") : e;
            set = set.union(e.value);
        }
        return { state: "known", value: set };
    }

    /** Known string tags only; keys are copied as own properties, so `__proto__` cannot pollute anything. */
    tags(path: Path = ["tags"]): Record<string, string> {
        const raw = this.at(path);
        if (raw.state !== "known" || raw.value === null || typeof raw.value !== "object" || Array.isArray(raw.value)) return {};
        const out: Record<string, string> = Object.create(null) as Record<string, string>;
        let keys: string[] = [];
        try {
            keys = Object.keys(raw.value).slice(0, 1000);
        } catch {
            return out;
        }
        for (const k of keys) {
            const v = step(raw.value, k);
            if (v.state === "known" && typeof v.value === "string") Object.defineProperty(out, k, { value: v.value, enumerable: true });
        }
        return out;
    }
}

function toStringValue(v: unknown, maxLength: number): Parsed<string> {
    // The bridge renders numbers given for string fields as their decimal text.
    if (typeof v === "number" && Number.isFinite(v)) return { ok: true, value: String(v) };
    if (typeof v !== "string") return { ok: false, error: "a string" };
    if (v.length > Math.min(maxLength, MAX_STRING)) return { ok: false, error: `a string of at most ${Math.min(maxLength, MAX_STRING)} characters` };
    return { ok: true, value: v };
}
