import type IPCIDRClass from "ip-cidr";
import type { BigInteger } from "jsbn";
import { IntervalSet } from "./intervals";
import { Parsed, fail, ok } from "./parse-result";

export type IpFamily = 4 | 6;

/**
 * ip-cidr (with jsbn and ip-address) costs ~20 ms to load and is needed only for IPv6 and unusual
 * spellings: loaded on first use, so the pack starts as fast as the SDK allows.
 */
let ipcidr: typeof IPCIDRClass | undefined;
let jsbn: typeof import("jsbn") | undefined;
function lib(): { IPCIDR: typeof IPCIDRClass; BigInteger: typeof BigInteger } {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ipcidr ??= ((m: { default?: typeof IPCIDRClass }) => m.default ?? (m as typeof IPCIDRClass))(require("ip-cidr"));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    jsbn ??= require("jsbn") as typeof import("jsbn");
    return { IPCIDR: ipcidr, BigInteger: jsbn.BigInteger };
}

const MAX = { 4: (1n << 32n) - 1n, 6: (1n << 128n) - 1n } as const;

/** A set of IPv4 and IPv6 addresses, exact. */
export class AddressSet {
    static readonly EMPTY = new AddressSet(IntervalSet.EMPTY, IntervalSet.EMPTY);
    static readonly ANY_V4 = new AddressSet(IntervalSet.of(0n, MAX[4]), IntervalSet.EMPTY);
    static readonly ANY_V6 = new AddressSet(IntervalSet.EMPTY, IntervalSet.of(0n, MAX[6]));
    static readonly ANY = AddressSet.ANY_V4.union(AddressSet.ANY_V6);

    constructor(readonly v4: IntervalSet, readonly v6: IntervalSet) {}

    static anyOf(family: IpFamily): AddressSet {
        return family === 4 ? AddressSet.ANY_V4 : AddressSet.ANY_V6;
    }

    static ofFamily(family: IpFamily, set: IntervalSet): AddressSet {
        return family === 4 ? new AddressSet(set, IntervalSet.EMPTY) : new AddressSet(IntervalSet.EMPTY, set);
    }

    family(f: IpFamily): IntervalSet {
        return f === 4 ? this.v4 : this.v6;
    }

    /** Only the addresses of one family. */
    only(f: IpFamily): AddressSet {
        return AddressSet.ofFamily(f, this.family(f));
    }

    union(o: AddressSet): AddressSet {
        return new AddressSet(this.v4.union(o.v4), this.v6.union(o.v6));
    }
    intersect(o: AddressSet): AddressSet {
        return new AddressSet(this.v4.intersect(o.v4), this.v6.intersect(o.v6));
    }
    subtract(o: AddressSet): AddressSet {
        return new AddressSet(this.v4.subtract(o.v4), this.v6.subtract(o.v6));
    }
    isEmpty(): boolean {
        return this.v4.isEmpty() && this.v6.isEmpty();
    }
    isSubsetOf(o: AddressSet): boolean {
        return this.subtract(o).isEmpty();
    }
    contains(a: Address): boolean {
        return this.family(a.family).contains(a.value);
    }
    /** A canonical text of the set, for memo keys. */
    key(): string {
        return `${this.v4.key()}|${this.v6.key()}`;
    }
    equals(o: AddressSet): boolean {
        return this.v4.equals(o.v4) && this.v6.equals(o.v6);
    }
    /** One concrete address of the set (IPv4 first): the witness of a blocked flow. */
    sample(): Address | undefined {
        const v4 = this.v4.sample();
        if (v4 !== undefined) return { family: 4, value: v4 };
        const v6 = this.v6.sample();
        return v6 === undefined ? undefined : { family: 6, value: v6 };
    }
    /** The set as the fewest CIDR blocks, IPv4 first. */
    toCidrs(): string[] {
        return [...rangesToCidrs(4, this.v4), ...rangesToCidrs(6, this.v6)];
    }
    toString(): string {
        const cidrs = this.toCidrs();
        return cidrs.length === 0 ? "(none)" : cidrs.join(", ");
    }
}

export interface Address {
    family: IpFamily;
    value: bigint;
}

/** Canonical text of one address (IPv6 in RFC 5952 short form). */
export function formatAddress(a: Address): string {
    if (a.family === 4) {
        const v = a.value;
        return [24n, 16n, 8n, 0n].map((s) => ((v >> s) & 255n).toString()).join(".");
    }
    // ip-address formats IPv6; it takes jsbn BigIntegers.
    const { IPCIDR, BigInteger } = lib();
    const A6 = IPCIDR.createAddress("::").constructor as unknown as { fromBigInteger(b: BigInteger): { correctForm(): string } };
    return A6.fromBigInteger(new BigInteger(a.value.toString())).correctForm();
}

/** Canonical CIDR text of a block. */
export function formatCidr(family: IpFamily, lo: bigint, prefix: number): string {
    return `${formatAddress({ family, value: lo })}/${prefix}`;
}

function familyOf(text: string): IpFamily {
    return text.includes(":") ? 6 : 4;
}

// ip-cidr parses through jsbn and sprintf (~0.1 ms a call); stacks repeat the same CIDRs, so
// results are cached (bounded), and plain dotted-quad IPv4 addresses take a direct path.
const CACHE_LIMIT = 100_000;
const cidrCache = new Map<string, Parsed<AddressSet>>();
const DOTTED_QUAD = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

const PREFIX_V4 = /^(3[0-2]|[12]\d|\d)$/;

function remember<T>(cache: Map<string, T>, key: string, value: T): T {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, value);
    return value;
}

/** One IP address. */
export function parseAddress(text: unknown): Parsed<Address> {
    if (typeof text !== "string") return fail("an IP address (string)");
    const t = text.trim();
    const quad = DOTTED_QUAD.exec(t);
    if (quad) return ok({ family: 4, value: BigInt(((+quad[1] << 24) >>> 0) + (+quad[2] << 16) + (+quad[3] << 8) + +quad[4]) });
    if (t === "" || t.length > 64 || t.includes("/")) return fail("an IPv4 or IPv6 address");
    const { IPCIDR } = lib();
    if (!IPCIDR.isValidAddress(t)) return fail("an IPv4 or IPv6 address");
    const addr = IPCIDR.createAddress(t) as unknown as { bigInteger(): BigInteger };
    return ok({ family: familyOf(t), value: BigInt(addr.bigInteger().toString()) });
}

/** A CIDR block ("10.0.0.0/8", "::/0"); host bits are allowed and ignored, as the cloud does. A bare address is a /32 or /128. */
export function parseCidr(text: unknown): Parsed<AddressSet> {
    if (typeof text !== "string") return fail("a CIDR block (string)");
    const hit = cidrCache.get(text);
    if (hit) return hit;
    return remember(cidrCache, text, parseCidrUncached(text));
}

function parseCidrUncached(text: string): Parsed<AddressSet> {
    const t = text.trim();
    if (t === "" || t.length > 64) return fail("a CIDR block such as 10.0.0.0/16 or ::/0");
    if (!t.includes("/")) {
        const a = parseAddress(t);
        return a.ok ? ok(AddressSet.ofFamily(a.value.family, IntervalSet.of(a.value.value, a.value.value))) : fail("a CIDR block such as 10.0.0.0/16 or ::/0");
    }
    const slash = t.indexOf("/");
    const quad = DOTTED_QUAD.exec(t.slice(0, slash));
    const prefix = PREFIX_V4.exec(t.slice(slash + 1));
    if (quad && prefix) {
        // Direct path for the common case; anything else (IPv6, odd spellings) goes through ip-cidr.
        const address = ((+quad[1] << 24) >>> 0) + (+quad[2] << 16) + (+quad[3] << 8) + +quad[4];
        const size = 2 ** (32 - +prefix[0]);
        const lo = Math.floor(address / size) * size;
        return ok(AddressSet.ofFamily(4, IntervalSet.of(BigInt(lo), BigInt(lo + size - 1))));
    }
    const { IPCIDR } = lib();
    if (!IPCIDR.isValidCIDR(t)) return fail("a CIDR block such as 10.0.0.0/16 or ::/0");
    const cidr = new IPCIDR(t);
    const lo = BigInt(cidr.start<BigInteger>({ type: "bigInteger" }).toString());
    const hi = BigInt(cidr.end<BigInteger>({ type: "bigInteger" }).toString());
    return ok(AddressSet.ofFamily(familyOf(t), IntervalSet.of(lo, hi)));
}

/** An address-group entry: an address, a CIDR block, or a range "a-b" (VPC address groups accept all three). */
export function parseAddressEntry(text: unknown): Parsed<AddressSet> {
    if (typeof text !== "string") return fail("an IP address, CIDR block or range a-b (string)");
    const t = text.trim();
    const dash = t.indexOf("-");
    if (dash < 0) return parseCidr(t);
    const a = parseAddress(t.slice(0, dash));
    const b = parseAddress(t.slice(dash + 1));
    if (!a.ok || !b.ok || a.value.family !== b.value.family || a.value.value > b.value.value) {
        return fail("an address range a-b of one family with a <= b");
    }
    return ok(AddressSet.ofFamily(a.value.family, IntervalSet.of(a.value.value, b.value.value)));
}

function rangesToCidrs(family: IpFamily, set: IntervalSet): string[] {
    const bits = family === 4 ? 32 : 128;
    const out: string[] = [];
    for (const [lo0, hi] of set.ranges) {
        let lo = lo0;
        while (lo <= hi) {
            // Largest aligned block starting at lo that stays within hi.
            let size = 0;
            while (size < bits && (lo & ((1n << BigInt(size + 1)) - 1n)) === 0n && lo + (1n << BigInt(size + 1)) - 1n <= hi) size++;
            out.push(formatCidr(family, lo, bits - size));
            lo += 1n << BigInt(size);
        }
    }
    return out;
}
