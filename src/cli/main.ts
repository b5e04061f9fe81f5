#!/usr/bin/env node
/**
 * elb-health: the pack's checks on files, for CI systems that keep artifacts.
 *   elb-health check <file> [--config <policy-config.json>] [--format text|json|sarif] [--output <file>] [--today YYYY-MM-DD]
 *   elb-health demo [--variant broken|correct] [--fail-on-mandatory]
 * Exit codes: 0 no mandatory finding, 1 mandatory findings, 2 bad input or usage.
 */
import * as fs from "node:fs";
import { PolicyConfigError } from "../host/engine-config";
import { buildTopology } from "../model/build";
import { summarize, toJson, toSarif, toText, type OutputFormat } from "../report/formats";
import { runPolicies } from "../report/run-policies";
import { demo } from "./demo";
import { InputError, readStackFile } from "./inputs";

const USAGE = `usage:
  elb-health check <file> [--config <policy-config.json>] [--format text|json|sarif] [--output <file>] [--today YYYY-MM-DD]
      <file>: pulumi preview --json output, pulumi stack export output, or a plan file (docs/plan-format.md)
  elb-health demo [--variant broken|correct] [--fail-on-mandatory]
exit codes: 0 no mandatory finding, 1 mandatory findings, 2 bad input or usage`;

class UsageError extends Error {}

function parseArgs(argv: string[]): { command: string; positional: string[]; flags: Map<string, string | true> } {
    const [command = "", ...rest] = argv;
    const positional: string[] = [];
    const flags = new Map<string, string | true>();
    const valued = new Set(["--config", "--format", "--output", "--today", "--variant"]);
    for (let i = 0; i < rest.length; i++) {
        const a = rest[i];
        if (!a.startsWith("--")) positional.push(a);
        else if (valued.has(a)) {
            if (i + 1 >= rest.length) throw new UsageError(`${a} needs a value`);
            flags.set(a, rest[++i]);
        } else if (a === "--fail-on-mandatory" || a === "--help") flags.set(a, true);
        else throw new UsageError(`unknown option ${a}`);
    }
    return { command, positional, flags };
}

function readConfig(file: string): Record<string, unknown> {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        throw new InputError(`${file}: cannot read the policy config file`);
    }
    if (text.trim() === "") return {};
    try {
        const v = JSON.parse(text);
        if (v === null || typeof v !== "object" || Array.isArray(v)) throw new Error("not an object");
        return v;
    } catch {
        throw new InputError(`${file}: the policy config must be a JSON object (policy name → level or settings)`);
    }
}

export async function main(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
    try {
        const { command, positional, flags } = parseArgs(argv);
        if (command === "" || command === "--help" || command === "help" || flags.has("--help")) {
            out.write(USAGE + "\n");
            return command === "" ? 2 : 0;
        }
        if (command === "demo") {
            const variant = flags.get("--variant") ?? "broken";
            if (variant !== "broken" && variant !== "correct") throw new UsageError("--variant is broken or correct");
            return await demo({ variant, failOnMandatory: flags.has("--fail-on-mandatory"), out });
        }
        if (command !== "check") throw new UsageError(`unknown command ${command}`);
        if (positional.length !== 1) throw new UsageError("check takes exactly one file");
        const format = (flags.get("--format") ?? "text") as OutputFormat;
        if (!["text", "json", "sarif"].includes(format)) throw new UsageError("--format is text, json or sarif");
        const today = flags.get("--today");
        if (today !== undefined && (typeof today !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(today))) throw new UsageError("--today takes a date YYYY-MM-DD");

        const input = readStackFile(positional[0]);
        const config = typeof flags.get("--config") === "string" ? readConfig(flags.get("--config") as string) : undefined;
        const findings = runPolicies(buildTopology(input.resources), config, { today: today as string | undefined });
        const summary = summarize(findings, input.resources.length);
        const target = typeof flags.get("--output") === "string" ? (flags.get("--output") as string) : undefined;
        const text = format === "json" ? toJson(findings, summary) : format === "sarif" ? toSarif(findings, input.sourcePositions) : toText(findings, summary, target ? ({} as NodeJS.WritableStream) : out);
        if (target) fs.writeFileSync(target, text);
        else out.write(text);
        return summary.mandatory > 0 ? 1 : 0;
    } catch (e) {
        if (e instanceof UsageError) {
            err.write(`elb-health: ${e.message}\n${USAGE}\n`);
            return 2;
        }
        if (e instanceof InputError || e instanceof PolicyConfigError) {
            err.write(`elb-health: ${e.message}\n`);
            return 2;
        }
        err.write(`elb-health: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
        return 2;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        () => process.exit(2),
    );
}
