/**
 * `elb-health fix`, in process: the same findings as `check`, then every finding's fix operations
 * (src/fix/operations.ts) applied to the input file (src/fix/apply.ts), written back in its own format.
 */
import * as fs from "node:fs";
import { applyFixes, FixError } from "../fix/apply";
import { mergeOperations } from "../fix/operations";
import { buildTopology } from "../model/build";
import type { PolicyDefinition } from "../policy/definition";
import { PolicyConfigError } from "../policy/pack-config";
import type { ReportedFinding } from "../policy/evaluate";
import { runPolicies } from "../report/run-policies";
import { readPolicyConfig } from "./check";
import { InputError, MAX_INPUT_BYTES, parseJson, parseStack } from "./inputs";

export interface FixOptions {
    file: string;
    configFile?: string;
    today?: string;
    definitions: readonly PolicyDefinition[];
}

export interface FixResult {
    /** The fixed file, as JSON text. */
    output: string;
    findings: ReportedFinding[];
    /** Operations applied. */
    applied: number;
    /** Findings with fixes / mandatory findings without any. */
    fixed: number;
    unfixedMandatory: number;
}

export function fix(opts: FixOptions): FixResult {
    const name = opts.file === "-" ? "stdin" : opts.file;
    let text: string;
    try {
        if (opts.file !== "-" && fs.statSync(opts.file).size > MAX_INPUT_BYTES) throw new InputError(`${name}: the file is larger than ${MAX_INPUT_BYTES / 2 ** 20} MiB`);
        text = fs.readFileSync(opts.file === "-" ? 0 : opts.file, "utf8");
    } catch (e) {
        if (e instanceof InputError) throw e;
        throw new InputError(`${name}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? "error"})`);
    }
    if (text.trim() === "") throw new InputError(`${name}: the file is empty`);
    const doc = parseJson(text, name);
    const input = parseStack(doc, name);
    const config = opts.configFile === undefined ? undefined : readPolicyConfig(opts.configFile);
    let findings: ReportedFinding[];
    try {
        findings = runPolicies(buildTopology(input.resources), config, { today: opts.today, definitions: opts.definitions });
    } catch (e) {
        if (e instanceof PolicyConfigError) throw new InputError(`${opts.configFile ?? "policy config"}: ${e.message}`);
        throw e;
    }
    const ops = mergeOperations(findings.map((f) => f.fixes ?? []));
    let result;
    try {
        result = applyFixes(doc, ops);
    } catch (e) {
        if (e instanceof FixError) throw new InputError(`${name}: cannot apply the fixes: ${e.message}`);
        throw e;
    }
    return {
        output: JSON.stringify(result.doc, null, 2) + "\n",
        findings,
        applied: result.applied,
        fixed: findings.filter((f) => (f.fixes ?? []).length > 0).length,
        unfixedMandatory: findings.filter((f) => f.level === "mandatory" && (f.fixes ?? []).length === 0).length,
    };
}
