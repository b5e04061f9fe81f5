import { Parsed, fail, ok } from "./parse-result";

/** An IP protocol number (0–255), or "any". */
export type Protocol = number | "any";

export const TCP = 6;
export const UDP = 17;
export const ICMP = 1;
export const ICMPV6 = 58;

const NAMES: Record<string, Protocol> = { tcp: TCP, udp: UDP, icmp: ICMP, icmpv6: ICMPV6, any: "any" };

/**
 * Protocol text as security-group and ACL rules carry it: `tcp`, `udp`, `icmp`, `icmpv6`, `any`,
 * or a number "0"–"255". Case-insensitive, because the ACL API accepts either case.
 * `allowAny` is false for security-group rules, where "all protocols" is an omitted protocol.
 */
export function parseProtocol(text: unknown, allowAny = true): Parsed<Protocol> {
    if (typeof text === "number" && Number.isInteger(text) && text >= 0 && text <= 255) return ok(text);
    if (typeof text !== "string") return fail("a protocol: tcp, udp, icmp, icmpv6, any or a number 0-255");
    const t = text.trim().toLowerCase();
    if (t in NAMES && (allowAny || t !== "any")) return ok(NAMES[t]);
    if (/^\d{1,3}$/.test(t) && Number(t) <= 255) return ok(Number(t));
    return fail(allowAny ? "a protocol: tcp, udp, icmp, icmpv6, any or a number 0-255" : "a protocol: tcp, udp, icmp, icmpv6 or a number 0-255");
}

export function protocolName(p: Protocol): string {
    if (p === "any") return "any";
    for (const [name, n] of Object.entries(NAMES)) if (n === p) return name;
    return `protocol ${p}`;
}

/** Protocols that carry ports; a port condition on another protocol matches nothing-but-the-protocol. */
export function hasPorts(p: Protocol): boolean {
    return p === TCP || p === UDP;
}

/** Does a rule's protocol cover a packet's protocol? */
export function protocolMatches(rule: Protocol, packet: number): boolean {
    return rule === "any" || rule === packet;
}
