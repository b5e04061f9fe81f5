/**
 * Settings are checked against the one schema the policies publish (configSchema), compiled by ajv
 * with unknown keys refused, since the engine lets them through. Each problem names the property.
 */
import { describe, expect, it } from "vitest";
import { configSchema, DEFAULT_SHARED_ELB_SOURCE_RANGES, parseSettings } from "../../src/policy/settings";

const ALL = ["sharedElbSourceRanges", "dedicatedSource", "aclSameSubnet"] as const;

describe("parseSettings", () => {
    it("defaults for an empty or missing config", () => {
        for (const raw of [undefined, null, {}, "text", []]) {
            const { settings, problems } = parseSettings(raw, ALL);
            expect(problems).toEqual([]);
            expect(settings.sharedElbSourceRangesText).toEqual([...DEFAULT_SHARED_ELB_SOURCE_RANGES]);
            expect(settings.sharedElbSourceRanges.toCidrs()).toEqual(["100.125.0.0/16", "100.126.0.0/16"]);
            expect([settings.dedicatedSource, settings.aclSameSubnet, settings.onUndetermined, settings.exemptions]).toEqual(["backend-subnet", "filtered", "advisory", []]);
        }
    });

    it("a valid config, typed", () => {
        const { settings, problems } = parseSettings(
            { sharedElbSourceRanges: ["100.125.0.0/16", "2001:db8::/32"], dedicatedSource: "vpc", aclSameSubnet: "not-filtered", onUndetermined: "mandatory", exemptions: [{ urn: "urn:*", reason: "legacy", expires: "2027-03-31", policies: ["elb-pool-has-listener"] }] },
            ALL,
        );
        expect(problems).toEqual([]);
        expect(settings.sharedElbSourceRangesText).toEqual(["100.125.0.0/16", "2001:db8::/32"]);
        expect(settings.sharedElbSourceRanges.toCidrs()).toEqual(["100.125.0.0/16", "2001:db8::/32"]);
        expect(settings.dedicatedSource).toBe("vpc");
        expect(settings.aclSameSubnet).toBe("not-filtered");
        expect(settings.onUndetermined).toBe("mandatory");
        expect(settings.exemptions).toEqual([{ urn: "urn:*", reason: "legacy", expires: "2027-03-31", policies: ["elb-pool-has-listener"] }]);
    });

    it.each([
        [{ sharedElbSourceRange: ["100.125.0.0/16"] }, ['unknown property "sharedElbSourceRange" (allowed: sharedElbSourceRanges, dedicatedSource, aclSameSubnet, onUndetermined, exemptions)']],
        [{ sharedElbSourceRanges: [] }, ["sharedElbSourceRanges: must NOT have fewer than 1 items"]],
        [{ sharedElbSourceRanges: "100.125.0.0/16" }, ["sharedElbSourceRanges: must be array"]],
        [{ sharedElbSourceRanges: ["100.125.0.0/16", "100.126.0.0/33"] }, ["sharedElbSourceRanges[1]: must be a CIDR block such as 100.125.0.0/16"]],
        [{ dedicatedSource: "subnet" }, ['dedicatedSource: must be equal to one of the allowed values ("backend-subnet", "vpc")']],
        [{ onUndetermined: 1 }, ["onUndetermined: must be string", 'onUndetermined: must be equal to one of the allowed values ("advisory", "mandatory")']],
        [{ exemptions: [{ urn: "urn:*", reason: "x", expires: "2027-13-01" }] }, ["exemptions[0].expires: must be a date YYYY-MM-DD (the last day the exemption applies)"]],
        [{ exemptions: [{ urn: "urn:*", expires: "2027-01-01", until: "x" }] }, ["exemptions[0]: must have required property 'reason'", 'exemptions[0]: must NOT have additional properties "until"']],
    ])("%j: %j", (raw, expected) => {
        const { settings, problems } = parseSettings(raw, ALL);
        expect(problems).toEqual(expected);
        expect(settings.dedicatedSource).toBe("backend-subnet");
    });

    it("a setting the policy does not take is an unknown property", () => {
        expect(parseSettings({ aclSameSubnet: "filtered" }, ["sharedElbSourceRanges"]).problems).toEqual(['unknown property "aclSameSubnet" (allowed: sharedElbSourceRanges, onUndetermined, exemptions)']);
    });

    it("never throws, even on a config whose getters throw", () => {
        const hostile = Object.defineProperty({}, "dedicatedSource", { enumerable: true, get: () => { throw new Error("boom"); } });
        expect(parseSettings(hostile, ALL).problems.length).toBeGreaterThan(0);
    });

    it("checks against the schema it publishes", () => {
        expect(Object.keys(configSchema(ALL).properties)).toEqual(["sharedElbSourceRanges", "dedicatedSource", "aclSameSubnet", "onUndetermined", "exemptions"]);
    });
});
