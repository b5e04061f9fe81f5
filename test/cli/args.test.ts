/** The command line as node:util parseArgs reads it over the OPTIONS table (the CLI tests run it end to end). */
import { describe, expect, it } from "vitest";
import { parseArgs } from "../../src/cli/main";

describe("parseArgs", () => {
    it("command, file and options in any order, --name value and --name=value alike", () => {
        expect(parseArgs(["check", "--format=json", "plan.json", "--config", "c.json", "--no-color"])).toEqual({
            command: "check",
            positional: ["plan.json"],
            values: { format: "json", config: "c.json", "no-color": true },
        });
    });

    it("- is a file (standard input); -h is --help; the last of a repeated option wins", () => {
        expect(parseArgs(["check", "-", "-h", "--format", "text", "--format", "sarif"])).toEqual({ command: "check", positional: ["-"], values: { help: true, format: "sarif" } });
    });

    it.each([
        [["check", "--frobnicate"], "unknown option --frobnicate"],
        [["check", "-x"], "unknown option -x"],
        [["check", "a.json", "--output"], "--output needs a value"],
        [["check", "a.json", "--output="], "--output needs a value"],
        [["demo", "--fail-on-mandatory=yes"], "--fail-on-mandatory takes no value"],
    ])("%j is a usage error: %s", (argv, message) => {
        expect(() => parseArgs(argv)).toThrow(message);
    });
});
