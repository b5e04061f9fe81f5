import { IntervalSet } from "./intervals";
import { Parsed, fail, ok } from "./parse-result";

/** A set of TCP/UDP ports (0–65535), exact. */
export type PortSet = IntervalSet;

export const ALL_PORTS: PortSet = IntervalSet.of(0n, 65535n);

export function portRange(lo: number, hi: number = lo): PortSet {
    return IntervalSet.of(BigInt(lo), BigInt(hi));
}

export function isValidPort(n: unknown): n is number {
    return typeof n === "number" && Number.isInteger(n) && n >= 1 && n <= 65535;
}

/**
 * Port-string formats the Huawei provider accepts:
 * - `list`: security-group rule `ports` and v3 network-ACL `sourcePort`/`destinationPort`:
 *   "80", "1-30", "22,80,443", "22-30,33" (spaces after commas allowed);
 * - `colon`: deprecated `NetworkAcl/aclRule` ports: "80" or "1:100".
 * An empty string means "all ports" as in the console; callers decide whether that is allowed.
 */
export type PortStringStyle = "list" | "colon";

const EXPECTED: Record<PortStringStyle, string> = {
    list: 'ports 1-65535 as "80", "1-30" or "22,80,443"',
    colon: 'a port 1-65535 as "80" or a range "1:100"',
};

export function parsePortString(text: unknown, style: PortStringStyle): Parsed<PortSet> {
    if (typeof text !== "string") return fail(EXPECTED[style]);
    const t = text.trim();
    if (t.length > 4096) return fail(EXPECTED[style]);
    if (t === "") return ok(ALL_PORTS);
    const items = style === "list" ? t.split(",") : [t];
    const sep = style === "list" ? "-" : ":";
    const ranges: [bigint, bigint][] = [];
    for (const raw of items) {
        const item = raw.trim();
        const parts = item.split(sep);
        if (parts.length > 2) return fail(EXPECTED[style]);
        const nums = parts.map((p) => (/^\d{1,5}$/.test(p.trim()) ? Number(p.trim()) : NaN));
        if (!nums.every(isValidPort)) return fail(EXPECTED[style]);
        const [lo, hi = lo] = nums;
        if (lo > hi) return fail(EXPECTED[style]);
        ranges.push([BigInt(lo), BigInt(hi)]);
    }
    return ok(IntervalSet.fromRanges(ranges));
}

/** "80", "8000-8080", "22, 80, 443", "all ports". */
export function formatPorts(set: PortSet): string {
    if (set.equals(ALL_PORTS) || set.equals(portRange(1, 65535))) return "all ports";
    if (set.isEmpty()) return "no ports";
    return set.ranges.map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`)).join(", ");
}
