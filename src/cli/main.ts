/**
 * elb-health: the pack's checks on saved Pulumi output, for CI systems, plus a demo of the pack.
 * Exit codes: 0 no mandatory finding, 1 mandatory findings, 2 bad input or usage. User errors
 * print one line naming the file and the problem, never a stack trace.
 * The executable is the root cli.ts (dist/cli.js), which passes in the catalogue.
 */
import * as fs from "node:fs";
import type { PolicyDefinition } from "../policy/definition";
import { OUTPUT_FORMATS, type OutputFormat } from "../report/formats";
import { packageVersion } from "../report/package-info";
import { check } from "./check";
import { InputError } from "./inputs";

export const USAGE = `usage:
  elb-health check <file> [--config <policy-config.json>] [--format text|json|sarif] [--output <file>]
                          [--today YYYY-MM-DD] [--source-root <dir>] [--no-color]
      <file>          \`pulumi preview --json --show-sames\` output, \`pulumi stack export\` output,
                      or a plan file of this project (version 1); - reads standard input
      --config        policy config, as for \`pulumi preview --policy-pack-config\`
      --format        text (default), json, or sarif (SARIF 2.1.0)
      --output        write the report to a file instead of stdout
      --today         date for exemption expiry (default: today, UTC)
      --source-root   SARIF: repository-relative folder of the Pulumi project (default ".")
  elb-health demo [--fail-on-mandatory] [--variant broken|correct] [--no-color]
      runs the pack on the example program through the analyzer protocol, as \`pulumi preview --policy-pack\` does
  elb-health --version | --help
exit codes: 0 no mandatory finding, 1 mandatory findings, 2 bad input or usage`;

class UsageError extends Error {}

const VALUED = new Set(["--config", "--format", "--output", "--today", "--source-root", "--variant"]);
const SWITCHES = new Set(["--fail-on-mandatory", "--help", "-h", "--version", "--no-color"]);

interface Args {
    command: string;
    positional: string[];
    flags: Map<string, string>;
    switches: Set<string>;
}

export function parseArgs(argv: readonly string[]): Args {
    const args: Args = { command: "", positional: [], flags: new Map(), switches: new Set() };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const eq = a.startsWith("--") ? a.indexOf("=") : -1;
        const name = eq > 0 ? a.slice(0, eq) : a;
        if (VALUED.has(name)) {
            const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
            if (value === undefined || value === "") throw new UsageError(`${name} needs a value`);
            args.flags.set(name, value);
        } else if (SWITCHES.has(a)) args.switches.add(a);
        else if (a.startsWith("-") && a !== "-") throw new UsageError(`unknown option ${a}`);
        else if (args.command === "") args.command = a;
        else args.positional.push(a);
    }
    return args;
}

type Out = Pick<NodeJS.WritableStream, "write"> & { isTTY?: boolean };

export async function main(argv: readonly string[], definitions: readonly PolicyDefinition[], out: Out = process.stdout, err: Out = process.stderr): Promise<number> {
    try {
        const args = parseArgs(argv);
        if (args.switches.has("--version")) {
            out.write(packageVersion() + "\n");
            return 0;
        }
        if (args.switches.has("--help") || args.switches.has("-h") || args.command === "help") {
            out.write(USAGE + "\n");
            return 0;
        }
        if (args.command === "") throw new UsageError("missing command (check or demo)");
        if (args.command === "demo") return await runDemo(args, out);
        if (args.command === "check") return runCheck(args, definitions, out, err);
        throw new UsageError(`unknown command "${args.command}" (check or demo)`);
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

function runCheck(args: Args, definitions: readonly PolicyDefinition[], out: Out, err: Out): number {
    if (args.positional.length !== 1) throw new UsageError(args.positional.length === 0 ? "check needs a file" : "check takes exactly one file");
    const format = args.flags.get("--format") ?? "text";
    if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be text, json or sarif, not "${format}"`);
    const today = args.flags.get("--today");
    if (today !== undefined && !(/^\d{4}-\d{2}-\d{2}$/.test(today) && !Number.isNaN(Date.parse(today)))) throw new UsageError("--today takes a date as YYYY-MM-DD");
    if (args.flags.has("--variant")) throw new UsageError("--variant is an option of demo");
    if (args.switches.has("--fail-on-mandatory")) throw new UsageError("--fail-on-mandatory is an option of demo (check always exits 1 on mandatory findings)");

    const target = args.flags.get("--output");
    const result = check({
        file: args.positional[0],
        configFile: args.flags.get("--config"),
        format: format as OutputFormat,
        today,
        sourceRoot: args.flags.get("--source-root") ?? ".",
        colour: !target && wantsColour(args, out),
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

async function runDemo(args: Args, out: Out): Promise<number> {
    if (args.positional.length > 0) throw new UsageError("demo takes no file");
    const variant = args.flags.get("--variant") ?? "broken";
    if (variant !== "broken" && variant !== "correct") throw new UsageError(`--variant must be broken or correct, not "${variant}"`);
    for (const f of ["--config", "--format", "--output", "--today", "--source-root"]) if (args.flags.has(f)) throw new UsageError(`${f} is an option of check`);
    // Loaded on demand: the demo pulls in @pulumi/pulumi and gRPC, which `check` does not need.
    const { demo } = await import("./demo");
    return demo({ variant, failOnMandatory: args.switches.has("--fail-on-mandatory"), out, colour: wantsColour(args, out) });
}

/** Colour for a terminal only, unless --no-color or NO_COLOR (https://no-color.org) says otherwise. */
function wantsColour(args: Args, out: Out): boolean {
    return out.isTTY === true && !args.switches.has("--no-color") && !process.env.NO_COLOR;
}
