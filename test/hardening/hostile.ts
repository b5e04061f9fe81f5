/** Hostile values for the hardening tests: must never crash anything and never be echoed. */
import fc from "fast-check";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";

export const CANARY = "CANARY-7f3a";
/**
 * Each draw makes a fresh value: a constant object shared between draws would let a mutation write a
 * value into itself (a cyclic plan, which no engine can send) and leak one case's edits into the next.
 */
const fresh: (() => unknown)[] = [
    () => null, () => NaN, () => -1, () => 0, () => 1e20, () => 70000, () => -0, () => true, () => false, () => "", () => " ", () => "80-", () => "1-", () => "0", () => "-5",
    () => "999.1.1.1/40", () => "::/129", () => "10.0.0.0/33", () => `${CANARY}-10.0.0.0/8`, () => "1:2:3", () => "a,b", () => [], () => [null], () => ({}),
    () => ({ __proto__: { polluted: true } }), () => JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"x": 1}}}'),
    () => unknownValue, () => "[secret]", () => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "zz" }),
    () => `${CANARY}`.repeat(1000), () => ["100.125.0.0/16", 5, null], () => [{ subnetId: 7 }], () => ({ value: CANARY }),
];

export const hostile: fc.Arbitrary<unknown> = fc.oneof(
    fc.constantFrom(...fresh).map((make) => make()),
    fc.string({ maxLength: 40 }).map((s) => `${CANARY}${s}`),
    fc.integer(),
    fc.double(),
    fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null)), { maxLength: 4 }),
);
