import { describe, expect, it } from "vitest";
import { AddressSet, parseCidr } from "../../src/net/addresses";
import { ALL_PORTS, formatPorts, portRange } from "../../src/net/ports";
import { formatPath, MAX_LIST } from "../../src/model/reader";
import type { DataFinding } from "../../src/model/types";
import { cipher, outputValue, reader, secret, U, unknownCheckingProxy, valueOf } from "./helpers";

const TYPED_SENTINELS = [
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "030794c1-ac77-496b-92df-f27374a8bd58",
    "e48ece36-62e2-4504-bad9-02848725956a",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
];
const CANARY = "CANARY-d41d8";
const cidr = (s: string) => (parseCidr(s) as { ok: true; value: AddressSet }).value;

describe("reader: the four states", () => {
    it("known, absent (missing or null), unknown (every typed sentinel, redacted and encrypted secrets)", () => {
        const r = reader({ a: "x", n: null, ...Object.fromEntries(TYPED_SENTINELS.map((s, i) => [`u${i}`, s])), red: "[secret]", enc: cipher(), ov: outputValue() });
        expect(r.string(["a"])).toEqual({ state: "known", value: "x" });
        expect(r.string(["missing"])).toEqual({ state: "absent", path: "missing" });
        expect(r.string(["n"])).toEqual({ state: "absent", path: "n" });
        TYPED_SENTINELS.forEach((_, i) => expect(r.string([`u${i}`])).toEqual({ state: "unknown", path: `u${i}` }));
        expect(r.string(["red"]).state).toBe("unknown");
        expect(r.string(["enc"]).state).toBe("unknown");
        expect(r.string(["ov"]).state).toBe("unknown");
    });

    it("reads secret and output-value wrappers as their value", () => {
        const r = reader({ s: secret("10.0.0.0/8"), nested: secret({ port: secret(80) }), ov: outputValue("tcp"), ovUnknown: outputValue(U) });
        expect(valueOf(r.cidr(["s"]))).toEqual(cidr("10.0.0.0/8"));
        expect(r.number(["nested", "port"])).toEqual({ state: "known", value: 80 });
        expect(r.string(["ov"])).toEqual({ state: "known", value: "tcp" });
        expect(r.string(["ovUnknown"]).state).toBe("unknown");
    });

    it("stops at the first step that is not known, with the full path", () => {
        const r = reader({ list: [U, { fixedIpV4: U }], obj: U });
        expect(r.string(["list", 0, "x"])).toEqual({ state: "unknown", path: "list[0].x" });
        expect(r.address(["list", 1, "fixedIpV4"])).toEqual({ state: "unknown", path: "list[1].fixedIpV4" });
        expect(r.string(["obj", "deep", 3])).toEqual({ state: "unknown", path: "obj.deep[3]" });
        expect(r.string(["list", 7])).toEqual({ state: "absent", path: "list[7]" });
        expect(formatPath(["ingressRules", 2, "destinationPort"])).toBe("ingressRules[2].destinationPort");
    });

    it("reads non-object props as empty", () => {
        for (const p of [null, undefined, 42, "str", U, [1, 2]]) expect(reader(p).string(["a"]).state).toBe(p === U ? "unknown" : "absent");
    });
});

describe("reader: typed helpers", () => {
    it("numbers: integers in range; decimal strings accepted (the bridge coerces them); the rest invalid", () => {
        const r = reader({ a: 80, b: "80", c: " 443 ", d: 80.5, e: NaN, f: Infinity, g: 1e20, h: "0x50", i: "", j: true, k: -0, l: "1e3", m: [80], n: { v: 80 } });
        expect(r.number(["a"], 1, 65535)).toEqual({ state: "known", value: 80 });
        expect(r.number(["b"], 1, 65535)).toEqual({ state: "known", value: 80 });
        expect(r.number(["c"], 1, 65535)).toEqual({ state: "known", value: 443 });
        for (const k of ["d", "e", "f", "g", "h", "i", "j", "l", "m", "n"]) expect(r.number([k], 1, 65535), k).toEqual({ state: "invalid", path: k, expected: "an integer from 1 to 65535" });
        expect(Object.is(valueOf(r.number(["k"])), 0)).toBe(true);
        expect(r.number(["e"]).state).toBe("invalid");
    });

    it("booleans: true/false and their strings in any case", () => {
        const r = reader({ a: true, b: "false", c: "TRUE", d: " True ", e: "yes", f: 1, g: {} });
        expect([r.bool(["a"]), r.bool(["b"]), r.bool(["c"]), r.bool(["d"])].map(valueOf)).toEqual([true, false, true, true]);
        for (const k of ["e", "f", "g"]) expect(r.bool([k])).toMatchObject({ state: "invalid", expected: "true or false" });
    });

    it("strings: numbers become their text; objects, arrays, booleans and over-long strings are invalid", () => {
        const r = reader({ n: 80, o: { a: 1 }, a: ["x"], b: false, long: "x".repeat(5000) });
        expect(r.string(["n"])).toEqual({ state: "known", value: "80" });
        for (const k of ["o", "a", "b"]) expect(r.string([k])).toMatchObject({ state: "invalid", expected: "a string" });
        expect(r.string(["long"], 4096)).toMatchObject({ state: "invalid", expected: "a string of at most 4096 characters" });
        expect(r.string(["long"], 10_000).state).toBe("known");
    });

    it("ids: empty means not set", () => {
        const r = reader({ a: "", b: "  ", c: "id-1" });
        expect(r.id(["a"]).state).toBe("absent");
        expect(r.id(["b"]).state).toBe("absent");
        expect(r.id(["c"])).toEqual({ state: "known", value: "id-1" });
    });

    it("enumerations compare case-insensitively and return the catalogue spelling", () => {
        const r = reader({ a: "ipv4", b: "INGRESS", c: "udp_connect", d: "both", e: 4 });
        expect(valueOf(r.oneOf(["a"], ["IPv4", "IPv6"]))).toBe("IPv4");
        expect(valueOf(r.oneOf(["b"], ["ingress", "egress"]))).toBe("ingress");
        expect(valueOf(r.oneOf(["c"], ["TCP", "UDP_CONNECT"]))).toBe("UDP_CONNECT");
        expect(r.oneOf(["d"], ["ingress", "egress"])).toEqual({ state: "invalid", path: "d", expected: "one of ingress, egress" });
        expect(r.oneOf(["e"], ["IPv4", "IPv6"]).state).toBe("invalid");
    });

    it("CIDRs: blocks and bare addresses; malformed ones invalid", () => {
        const r = reader({ a: "10.0.0.0/8", b: "::/0", c: "192.168.1.7", d: "2001:db8::1", bad1: "999.1.1.1/40", bad2: "::/129", bad3: "", bad4: 42, bad5: "10.0.0.0/33", bad6: {}, bad7: "10.0.0.0/8,10.1.0.0/16" });
        expect(valueOf(r.cidr(["a"]))).toEqual(cidr("10.0.0.0/8"));
        expect(valueOf(r.cidr(["b"]))).toEqual(AddressSet.ANY_V6);
        expect(valueOf(r.cidr(["c"]))).toEqual(cidr("192.168.1.7/32"));
        expect(r.cidr(["d"]).state).toBe("known");
        for (const k of ["bad1", "bad2", "bad3", "bad4", "bad5", "bad6", "bad7"]) expect(r.cidr([k]).state, k).toBe("invalid");
    });

    it("addresses: one IP, trimmed", () => {
        const r = reader({ a: " 192.168.1.10 ", b: "192.168.1.0/24", c: "host" });
        expect(r.address(["a"])).toEqual({ state: "known", value: "192.168.1.10" });
        expect(r.address(["b"]).state).toBe("invalid");
        expect(r.address(["c"]).state).toBe("invalid");
    });

    it("port strings, list style (SG rule ports, v3 ACL ports): every documented format", () => {
        const ok: [unknown, string][] = [["80", "80"], ["1-30", "1-30"], ["22,80,443", "22, 80, 443"], ["22, 80", "22, 80"], ["22-30,33", "22-30, 33"], [80, "80"], ["1-65535", "all ports"]];
        for (const [text, shown] of ok) {
            const v = reader({ p: text }).ports(["p"], "list");
            expect(v.state, String(text)).toBe("known");
            if (v.state === "known") expect(formatPorts(v.value)).toBe(shown);
        }
        for (const bad of ["0", "70000", "1-", "a", "80-70", "1:100", "-5", "1-2-3", ",", {}, [80], true]) {
            expect(reader({ p: bad }).ports(["p"], "list"), JSON.stringify(bad)).toMatchObject({ state: "invalid", path: "p", expected: 'ports 1-65535 as "80", "1-30" or "22,80,443"' });
        }
    });

    it("port strings, colon style (legacy ACL rules): single port or a:b range", () => {
        expect(valueOf(reader({ p: "1:100" }).ports(["p"], "colon"))).toEqual(portRange(1, 100));
        expect(valueOf(reader({ p: "80" }).ports(["p"], "colon"))).toEqual(portRange(80));
        for (const bad of ["1-100", "100:1", "0:5", "80,81", "1:", "a:b"]) expect(reader({ p: bad }).ports(["p"], "colon").state, bad).toBe("invalid");
        // "" = all ports for the parser; normalizers treat "" as not set anyway.
        expect(valueOf(reader({ p: "" }).ports(["p"], "colon"))).toEqual(ALL_PORTS);
    });

    it("protocols: names in any case, numbers 0-255, 'any' only where allowed", () => {
        const r = reader({ a: "tcp", b: "UDP", c: "6", d: "any", e: "256", f: "gre", g: 17 });
        expect([r.protocol(["a"], false), r.protocol(["b"], false), r.protocol(["c"], false), r.protocol(["g"], false)].map(valueOf)).toEqual([6, 17, 6, 17]);
        expect(valueOf(r.protocol(["d"], true))).toBe("any");
        expect(r.protocol(["d"], false).state).toBe("invalid");
        expect(r.protocol(["e"], true).state).toBe("invalid");
        expect(r.protocol(["f"], true).state).toBe("invalid");
    });

    it("lists: length, cap, wrong type", () => {
        const big = new Array(MAX_LIST + 1).fill("x");
        const r = reader({ a: [1, 2], b: "x", big, small: new Array(MAX_LIST).fill("x") });
        expect(r.list(["a"])).toEqual({ state: "known", value: 2 });
        expect(r.list(["b"])).toMatchObject({ state: "invalid", expected: "a list" });
        expect(r.list(["big"])).toMatchObject({ state: "invalid", expected: `a list of at most ${MAX_LIST} entries` });
        expect(r.list(["small"])).toEqual({ state: "known", value: MAX_LIST });
        expect(r.list(["a"], 1).state).toBe("invalid");
    });

    it("address lists: merged once, unknown entry = unknown, bad entry = invalid at its path, capped", () => {
        const r = reader({ a: ["10.0.0.0/24", "10.0.1.0/24", "10.0.3.5", "10.0.4.1-10.0.4.9", "::1"], u: ["10.0.0.0/8", U], bad: ["10.0.0.0/8", "nope"], hole: ["10.0.0.0/8", null], sets: [{ ip: "1.1.1.1" }, { ip: U }], many: new Array(20_000).fill("10.0.0.1") });
        const a = r.addressList(["a"]);
        expect(a.state === "known" && a.value.toCidrs()).toEqual(["10.0.0.0/23", "10.0.3.5/32", "10.0.4.1/32", "10.0.4.2/31", "10.0.4.4/30", "10.0.4.8/31", "::1/128"]);
        expect(r.addressList(["u"])).toEqual({ state: "unknown", path: "u[1]" });
        expect(r.addressList(["bad"])).toMatchObject({ state: "invalid", path: "bad[1]" });
        expect(r.addressList(["hole"])).toMatchObject({ state: "invalid", path: "hole[1]" });
        expect(r.addressList(["sets"], ["ip"])).toEqual({ state: "unknown", path: "sets[1].ip" });
        expect(r.addressList(["many"])).toMatchObject({ state: "invalid", expected: "a list of at most 10000 entries" });
    });

    it("a 100,000-entry address list is read in linear time", () => {
        const list = Array.from({ length: 100_000 }, (_, i) => `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);
        const t0 = performance.now();
        const v = reader({ list }).addressList(["list"], [], 100_000);
        const ms = performance.now() - t0;
        console.log(`reader: 100,000 addresses merged in ${ms.toFixed(0)} ms`);
        expect(v.state === "known" && v.value.v4.size()).toBe(100_000n);
        expect(v.state === "known" && v.value.v4.ranges.length).toBe(1);
    });
});

describe("reader: findings", () => {
    it("one per resource and property, naming what was expected and never the value", () => {
        const findings: DataFinding[] = [];
        const r = reader({ cidr: `${CANARY}/8`, port: CANARY, ports: `${CANARY}-1`, tags: { [CANARY]: { x: CANARY } } }, findings);
        r.cidr(["cidr"]);
        r.cidr(["cidr"]);
        r.number(["port"], 1, 65535);
        r.ports(["ports"], "list");
        r.tags();
        expect(findings.map((f) => f.property)).toEqual(["cidr", "port", "ports"]);
        expect(findings[0]).toEqual({ urn: "urn:pulumi:test::model::t::n", type: "t", name: "n", property: "cidr", expected: "a CIDR block such as 10.0.0.0/16 or ::/0" });
        expect(JSON.stringify(findings)).not.toContain(CANARY);
    });
});

describe("reader: the policy SDK's unknown-checking proxy", () => {
    const plain = {
        name: "web", port: 80, list: [U, "a", { ip: U }], obj: { nested: U, deeper: { x: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7" } },
        ports: "22,80", cidr: "10.0.0.0/8", whole: "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", tags: { a: "b", c: U },
    };

    it("is what the engine hands policies: it throws on unknowns", () => {
        const p = unknownCheckingProxy(structuredClone(plain)) as Record<string, unknown>;
        expect(() => p.whole).toThrow(/can't be known during preview/);
        expect(() => (p.list as unknown[])[0]).toThrow();
    });

    it("no read throws; unknowns come back unknown, the rest as from the plain object", () => {
        const p = reader(unknownCheckingProxy(structuredClone(plain)));
        const q = reader(structuredClone(plain));
        const reads = (r: typeof p) => [
            r.string(["name"]), r.number(["port"]), r.string(["list", 0]), r.string(["list", 1]), r.address(["list", 2, "ip"]), r.string(["obj", "nested"]),
            r.bool(["obj", "deeper", "x"]), r.ports(["ports"], "list"), r.cidr(["cidr"]), r.list(["whole"]), r.list(["list"]), r.addressList(["whole"]), r.string(["missing", "x"]),
        ];
        expect(reads(p)).toEqual(reads(q));
        expect(reads(p).map((v) => v.state)).toEqual(["known", "known", "unknown", "known", "unknown", "unknown", "unknown", "known", "known", "unknown", "known", "unknown", "absent"]);
        expect({ ...p.tags() }).toEqual({ a: "b" });
    });

    it("without the proxy's plain-target shortcut, each read catches UnknownValueError itself", () => {
        const sdk = unknownCheckingProxy(structuredClone(plain)) as Record<string | symbol, unknown>;
        const opaque = new Proxy(sdk, { get: (t, k) => (k === "__isSpecialProxy" || k === "__getSpecialProxyTarget" ? undefined : t[k]) });
        const r = reader(opaque);
        expect(() => (opaque as Record<string, unknown>).whole).toThrow();
        expect([r.list(["whole"]), r.string(["list", 0]), r.address(["list", 2, "ip"]), r.string(["obj", "nested"]), r.number(["port"])]).toEqual([
            { state: "unknown", path: "whole" },
            { state: "unknown", path: "list[0]" },
            { state: "unknown", path: "list[2].ip" },
            { state: "unknown", path: "obj.nested" },
            { state: "known", value: 80 },
        ]);
    });

    it("any other throwing object reads as unknown, per property", () => {
        const hostile = new Proxy({ ok: "yes", arr: [1] } as Record<string, unknown>, {
            get(t, k) {
                if (k === "ok" || k === "arr") return t[k as string];
                throw new Error(`boom ${String(k)}`);
            },
            has: () => true,
            getOwnPropertyDescriptor: (t, k) => (k === "ok" || k === "arr" ? Reflect.getOwnPropertyDescriptor(t, k) : { value: 1, configurable: true, enumerable: true, writable: true }),
        });
        const r = reader(hostile);
        expect(r.string(["ok"])).toEqual({ state: "known", value: "yes" });
        expect(r.string(["bad"])).toEqual({ state: "unknown", path: "bad" });
        expect(r.list(["arr"])).toEqual({ state: "known", value: 1 });
        const getter = Object.defineProperty({}, "x", { enumerable: true, get: () => { throw new Error("no"); } });
        expect(reader(getter).string(["x"]).state).toBe("unknown");
        expect(reader({ tags: getter }).tags()).toEqual({});
    });
});

describe("reader: prototype keys", () => {
    it("never reads inherited or prototype keys", () => {
        const r = reader(JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": "c", "prototype": "p", "a": 1}'));
        for (const k of ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty"]) expect(r.string([k]).state, k).toBe("absent");
        expect(r.number(["a"]).state).toBe("known");
    });

    it("tags keep string values only, drop prototype keys, and pollute nothing", () => {
        const tags = reader(JSON.parse('{"tags": {"__proto__": {"polluted": "yes"}, "constructor": "c", "prototype": "p", "elb-health-exempt": "why", "n": 5, "s": "x"}}')).tags();
        expect({ ...tags }).toEqual({ "elb-health-exempt": "why", s: "x" });
        expect(Object.getPrototypeOf(tags)).toBeNull();
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(Object.isFrozen(reader({}).tags())).toBe(true);
    });
});
