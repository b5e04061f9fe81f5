/** Helpers for the CLI tests: fixture paths, the compiled CLI as a child process, the SARIF 2.1.0 schema. */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";

export const ROOT = path.resolve(__dirname, "..", "..");
export const FIXTURES = path.join(ROOT, "test", "fixtures", "cli");
export const fixture = (name: string) => path.join(FIXTURES, name);
/** Artefacts of the real Pulumi CLI (captured by `npm run e2e`; docs/real-engine.md, "Captured artefacts"). */
export const ENGINE_FIXTURES = path.join(ROOT, "test", "fixtures", "engine");
export const engineFixture = (name: string) => path.join(ENGINE_FIXTURES, name);
/** "engine/<name>": an artefact of the real CLI; any other name: a file of test/fixtures/cli. */
export const inputFixture = (name: string) => (name.startsWith("engine/") ? engineFixture(name.slice("engine/".length)) : fixture(name));
export const CLI = path.join(ROOT, "dist", "cli.js");
export const BIN = path.join(ROOT, "bin", "elb-health.js");

/** Values of secrets in the input fixtures: none may appear in any output. */
export const SECRET_CANARIES = ["ak-canary-ciphertext-Zm9v", "pw-canary-ciphertext-YmFy", "plaintext-canary-7f3a", "descr-canary-91bd"];

export interface Run {
    code: number | null;
    stdout: string;
    stderr: string;
}

/** Runs the compiled CLI (npm run build first), as CI would. */
export function runCli(args: string[], opts: { env?: Record<string, string>; cwd?: string; entry?: string; input?: string } = {}): Run {
    const r = spawnSync(process.execPath, [opts.entry ?? CLI, ...args], { cwd: opts.cwd ?? ROOT, env: { ...process.env, NO_COLOR: "", ...opts.env }, encoding: "utf8", timeout: 120_000, input: opts.input ?? "" });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export const builtCli = () => fs.existsSync(CLI);

/**
 * The SARIF 2.1.0 schema as shipped by @microsoft/jest-sarif (draft-04). ajv 8 has no draft-04
 * mode; the schema uses no draft-04-only keyword besides the root `id`, so it is read as draft-07
 * (without unicode regular expressions: one of its patterns has a stray "]").
 */
export function sarifValidator() {
    const file = require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
    const schema = JSON.parse(fs.readFileSync(file, "utf8"));
    const { $schema: _draft, id, ...rest } = schema;
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false });
    return ajv.compile({ $id: id, ...rest });
}
