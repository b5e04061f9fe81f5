/** Exemption URN globs (docs/policies/README.md): `*` spans `::` and `/`, `?` is one character, nothing else is special. */
import { describe, expect, it } from "vitest";
import { urnGlobMatches } from "../../src/policy/urn-glob";

const POOL = "urn:pulumi:dev::web-tier::huaweicloud:Elb/pool:Pool::web-pool";
const CHILD = "urn:pulumi:dev::web-tier::my:app:Tier$huaweicloud:Ecs/instance:Instance::web/0";

describe("URN globs", () => {
    it("* spans :: and /", () => {
        expect(urnGlobMatches("urn:pulumi:dev::*::web-pool", POOL)).toBe(true);
        expect(urnGlobMatches("*Elb/pool*", POOL)).toBe(true);
        expect(urnGlobMatches("urn:pulumi:*", CHILD)).toBe(true);
        expect(urnGlobMatches("*::web/*", CHILD)).toBe(true);
        expect(urnGlobMatches("*", POOL)).toBe(true);
    });

    it("? is one character", () => {
        expect(urnGlobMatches("*::web/?", CHILD)).toBe(true);
        expect(urnGlobMatches("*::web-poo?", POOL)).toBe(true);
        expect(urnGlobMatches("*::web-po?", POOL)).toBe(false);
    });

    it("the whole URN must match", () => {
        expect(urnGlobMatches("urn:pulumi:dev::web-tier", POOL)).toBe(false);
        expect(urnGlobMatches("web-pool", POOL)).toBe(false);
        expect(urnGlobMatches(POOL, POOL)).toBe(true);
        expect(urnGlobMatches("urn:pulumi:prod::*", POOL)).toBe(false);
    });

    it("other characters are literal: $ . + ( ) { } and a leading !", () => {
        expect(urnGlobMatches("*Tier$huaweicloud*", CHILD)).toBe(true);
        expect(urnGlobMatches("*Elb.pool*", POOL)).toBe(false);
        expect(urnGlobMatches("urn:x::a+(b){c,d}", "urn:x::a+(b){c,d}")).toBe(true);
        expect(urnGlobMatches("urn:x::a+(b){c,d}", "urn:x::aa(b)c")).toBe(false);
        expect(urnGlobMatches("!urn:*", POOL)).toBe(false);
        expect(urnGlobMatches("!urn:*", "!urn:x")).toBe(true);
    });
});
