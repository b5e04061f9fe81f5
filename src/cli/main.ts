/**
 * elb-health: the pack's checks on saved Pulumi output, for CI systems, plus a demo of the pack.
 * Exit codes: 0 no mandatory finding, 1 mandatory findings, 2 bad input or usage. User errors
 * print one line naming the file and the problem, never a stack trace.
 * The executable is the root cli.ts (dist/cli.js), which passes in the catalogue.
 */
import * as fs from "node:fs";
import { parseArgs as parseArgv } from "node:util";
import type { PolicyDefinition } from "../policy/definition";
import { OUTPUT_FORMATS, type OutputFormat } from "../report/formats";
import { packageVersion } from "../report/package-info";
import { FIX_LANGUAGES, type FixLanguage } from "../fix/snippets";
import { check } from "./check";
import { fix } from "./fix";
import { InputError } from "./inputs";

export const USAGE = `usage:
  elb-health check <file> [--config <policy-config.json>] [--format text|json|sarif] [--output <file>]
                          [--today YYYY-MM-DD] [--source-root <dir>] [--fix-language typescript|yaml|none] [--no-color]
      <file>          \`pulumi preview --json --show-sames\` output, \`pulumi stack export\` output,
                      or a plan file of this project (version 1); - reads standard input
      --config        policy config, as for \`pulumi preview --policy-pack-config\`
      --format        text (default), json, or sarif (SARIF 2.1.0)
      --output        write the report to a file instead of stdout
      --today         date for exemption expiry (default: today, UTC)
      --source-root   SARIF: repository-relative folder of the Pulumi project (default ".")
      --fix-language  text: the code printed under each finding it can fix (default typescript)
  elb-health fix <file> [--config <policy-config.json>] [--output <file>] [--today YYYY-MM-DD]
      applies every finding's fix operations (docs/fix-operations.md) to the file and writes it,
      in the same format, to --output (default: stdout)
  elb-health demo [--fail-on-mandatory] [--variant broken|correct] [--no-color]
      runs the pack on the example program through the analyzer protocol, as \`pulumi preview --policy-pack\` does
  elb-health --version | --help
exit codes: 0 no mandatory finding, 1 mandatory findings, 2 bad input or usage
  (fix: 0 when every mandatory finding had a fix to apply, 1 when some had none)`;

class UsageError extends Error {}

interface OptionSpec {
    type: "string" | "boolean";
    short?: string;
    commands?: readonly string[];
    note?: string;
}

/** Every option: its type, the commands that take it (none: any command), and a note for the wrong command. */
const OPTIONS = {
    config: { type: "string", commands: ["check", "fix"] },
    format: { type: "string", commands: ["check"] },
    output: { type: "string", commands: ["check", "fix"] },
    today: { type: "string", commands: ["check", "fix"] },
    "source-root": { type: "string", commands: ["check"] },
    "fix-language": { type: "string", commands: ["check"] },
    variant: { type: "string", commands: ["demo"] },
    "fail-on-mandatory": { type: "boolean", commands: ["demo"], note: " (check always exits 1 on mandatory findings)" },
    "no-color": { type: "boolean" },
    help: { type: "boolean", short: "h" },
    version: { type: "boolean" },
} as const satisfies Record<string, OptionSpec>;

type OptionName = keyof typeof OPTIONS;
type Values = { [K in OptionName]?: (typeof OPTIONS)[K]["type"] extends "string" ? string : boolean };

interface Args {
    command: string;
    positional: string[];
    values: Values;
}

/** The command line, by node:util parseArgs over the OPTIONS table; anything it does not know is a usage error. */
export function parseArgs(argv: readonly string[]): Args {
    const { tokens } = parseArgv({ args: [...argv], options: OPTIONS, strict: false, allowPositionals: true, tokens: true });
    const args: Args = { command: "", positional: [], values: {} };
    const values = args.values as Record<string, string | boolean>;
    for (const t of tokens) {
        if (t.kind === "positional") {
            if (args.command === "") args.command = t.value;
            else args.positional.push(t.value);
        } else if (t.kind === "option") {
            if (!Object.prototype.hasOwnProperty.call(OPTIONS, t.name)) throw new UsageError(`unknown option ${t.rawName}`);
            const spec = OPTIONS[t.name as OptionName];
            if (spec.type === "string") {
                if (t.value === undefined || t.value === "") throw new UsageError(`${t.rawName} needs a value`);
                values[t.name] = t.value;
            } else {
                if (t.inlineValue) throw new UsageError(`${t.rawName} takes no value`);
                values[t.name] = true;
            }
        }
    }
    return args;
}

/** An option given to a command that does not take it. */
function checkOptionsOf(args: Args, command: string): void {
    for (const name of Object.keys(args.values) as OptionName[]) {
        const spec: OptionSpec = OPTIONS[name];
        if (spec.commands && !spec.commands.includes(command)) throw new UsageError(`--${name} is an option of ${spec.commands.join(" and ")}${spec.note ?? ""}`);
    }
}

type Out = Pick<NodeJS.WritableStream, "write"> & { isTTY?: boolean };

export async function main(argv: readonly string[], definitions: readonly PolicyDefinition[], out: Out = process.stdout, err: Out = process.stderr): Promise<number> {
    try {
        const args = parseArgs(argv);
        if (args.values.version) {
            out.write(packageVersion() + "\n");
            return 0;
        }
        if (args.values.help || args.command === "help") {
            out.write(USAGE + "\n");
            return 0;
        }
        if (args.command === "") throw new UsageError("missing command (check, fix or demo)");
        if (args.command !== "demo" && args.command !== "check" && args.command !== "fix") throw new UsageError(`unknown command "${args.command}" (check, fix or demo)`);
        checkOptionsOf(args, args.command);
        if (args.command === "demo") return await runDemo(args, definitions, out);
        if (args.command === "fix") return runFix(args, definitions, out, err);
        return runCheck(args, definitions, out, err);
    } catch (e) {
        if (e instanceof UsageError) err.write(`elb-health: ${e.message} (elb-health --help for usage)\n`);
        else if (e instanceof InputError) err.write(`elb-health: ${e.message}\n`);
        else {
            // A bug, not a user error: one line, the stack only on request.
            err.write(`elb-health: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
            if (process.env.ELB_HEALTH_DEBUG && e instanceof Error) err.write(`${e.stack}\n`);
        }
        return 2;
    }
}

/** The one file of check and fix, and --today. */
function fileAndToday(args: Args): { file: string; today?: string } {
    if (args.positional.length !== 1) throw new UsageError(args.positional.length === 0 ? `${args.command} needs a file` : `${args.command} takes exactly one file`);
    const today = args.values.today;
    if (today !== undefined && !(/^\d{4}-\d{2}-\d{2}$/.test(today) && !Number.isNaN(Date.parse(today)))) throw new UsageError("--today takes a date as YYYY-MM-DD");
    return { file: args.positional[0], today };
}

function runCheck(args: Args, definitions: readonly PolicyDefinition[], out: Out, err: Out): number {
    const { today } = fileAndToday(args);
    const format = args.values.format ?? "text";
    if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be text, json or sarif, not "${format}"`);
    const fixLanguage = args.values["fix-language"] ?? "typescript";
    if (!(FIX_LANGUAGES as readonly string[]).includes(fixLanguage)) throw new UsageError(`--fix-language must be typescript, yaml or none, not "${fixLanguage}"`);

    const target = args.values.output;
    const result = check({
        file: args.positional[0],
        configFile: args.values.config,
        format: format as OutputFormat,
        today,
        sourceRoot: args.values["source-root"] ?? ".",
        colour: !target && wantsColour(args, out),
        fixLanguage: fixLanguage as FixLanguage,
        definitions,
    });
    for (const note of result.notes) err.write(`elb-health: note: ${note}\n`);
    if (target) {
        try {
            fs.writeFileSync(target, result.output);
        } catch (e) {
            throw new InputError(`${target}: cannot write the report (${(e as NodeJS.ErrnoException).code ?? "error"})`);
        }
        err.write(`elb-health: ${result.summary.mandatory} mandatory, ${result.summary.advisory} advisory finding(s); ${format} report written to ${target}\n`);
    } else out.write(result.output);
    return result.exitCode;
}

function runFix(args: Args, definitions: readonly PolicyDefinition[], out: Out, err: Out): number {
    const { file, today } = fileAndToday(args);
    const target = args.values.output;
    const result = fix({ file, configFile: args.values.config, today, definitions });
    if (target) {
        try {
            fs.writeFileSync(target, result.output);
        } catch (e) {
            throw new InputError(`${target}: cannot write the fixed file (${(e as NodeJS.ErrnoException).code ?? "error"})`);
        }
    } else out.write(result.output);
    const without = result.unfixedMandatory > 0 ? `; ${result.unfixedMandatory} mandatory finding(s) have no fix as data (see elb-health check)` : "";
    err.write(`elb-health: ${result.applied} fix operation(s) applied for ${result.fixed} finding(s)${without}${target ? `; fixed file written to ${target}` : ""}\n`);
    return result.unfixedMandatory > 0 ? 1 : 0;
}

async function runDemo(args: Args, definitions: readonly PolicyDefinition[], out: Out): Promise<number> {
    if (args.positional.length > 0) throw new UsageError("demo takes no file");
    const variant = args.values.variant ?? "broken";
    if (variant !== "broken" && variant !== "correct") throw new UsageError(`--variant must be broken or correct, not "${variant}"`);
    // Loaded on demand: the demo pulls in @pulumi/pulumi and gRPC, which `check` does not need.
    const { demo } = await import("./demo");
    return demo({ variant, definitions, failOnMandatory: args.values["fail-on-mandatory"] === true, out, colour: wantsColour(args, out) });
}

/** Colour for a terminal only, unless --no-color or NO_COLOR (https://no-color.org) says otherwise. */
function wantsColour(args: Args, out: Out): boolean {
    return out.isTTY === true && !args.values["no-color"] && !process.env.NO_COLOR;
}
