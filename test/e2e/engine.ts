/**
 * The real Pulumi CLI for the end-to-end suite: built once by scripts/pulumi-cli.sh, run in a
 * hermetic workspace (own PULUMI_HOME, file:// backend, passphrase secrets, no update check, no
 * plugin downloads), with the stand-in provider named in the project's Pulumi.yaml and the stand-in
 * Node.js language host on PATH. Programs run as inline programs (with-program.cjs).
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const ROOT = path.resolve(__dirname, "..", "..");
export const STAND_IN_PROVIDER = path.join(ROOT, "test", "stand-in", "huaweicloud");
export const STAND_IN_LANGUAGE = path.join(ROOT, "test", "stand-in", "language-nodejs");
export const WITH_PROGRAM = path.join(ROOT, "test", "e2e", "with-program.cjs");
export const WEB_TIER_PROGRAM = path.join(ROOT, "dist", "examples", "web-tier", "index.js");

export interface Cli {
    binDir: string;
    version: string;
}

let cli: Cli | undefined;
/** Builds the CLI (first time: minutes) or reuses the build; prints what the script prints. */
export function pulumiCli(): Cli {
    if (cli) return cli;
    const out = execFileSync(path.join(ROOT, "scripts", "pulumi-cli.sh"), { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], timeout: 30 * 60_000 });
    const lines = out.trim().split("\n");
    cli = { binDir: lines[lines.length - 1], version: lines[lines.length - 2] };
    process.stderr.write(`pulumi version: ${cli.version} (${cli.binDir})\n`);
    return cli;
}

export interface Run {
    code: number | null;
    stdout: string;
    stderr: string;
    ms: number;
}

export interface WorkspaceOptions {
    project?: string;
    stack?: string;
    /** Stack config, set with `pulumi config set` (namespaced by the project unless the key has a colon). */
    config?: Record<string, string>;
    /** Secret stack config (`pulumi config set --secret`). */
    secrets?: Record<string, string>;
    /** Compiled program (default: the example web tier). */
    program?: string;
}

/** A project folder, a state folder and a PULUMI_HOME in a fresh temp dir, with one stack. */
export class Workspace {
    readonly dir: string;
    readonly projectDir: string;
    readonly env: NodeJS.ProcessEnv;
    readonly program: string;
    readonly stack: string;

    private constructor(dir: string, opts: WorkspaceOptions, c: Cli) {
        this.dir = dir;
        this.projectDir = path.join(dir, "project");
        this.program = opts.program ?? WEB_TIER_PROGRAM;
        this.stack = opts.stack ?? "dev";
        const project = opts.project ?? "web-tier";
        fs.mkdirSync(this.projectDir, { recursive: true });
        fs.mkdirSync(path.join(dir, "state"));
        fs.mkdirSync(path.join(dir, "home"));
        const providerPath = path.relative(this.projectDir, STAND_IN_PROVIDER);
        fs.writeFileSync(
            path.join(this.projectDir, "Pulumi.yaml"),
            `name: ${project}\nruntime: nodejs\ndescription: end-to-end test project\nplugins:\n  providers:\n    - name: huaweicloud\n      path: ${providerPath}\n`,
        );
        const env: NodeJS.ProcessEnv = { ...process.env };
        for (const k of Object.keys(env)) if (k.startsWith("PULUMI_")) delete env[k];
        Object.assign(env, {
            PATH: [STAND_IN_LANGUAGE, c.binDir, path.dirname(process.execPath), process.env.PATH].join(path.delimiter),
            PULUMI_HOME: path.join(dir, "home"),
            PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`,
            PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_SKIP_CONFIRMATIONS: "true",
            PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
            NO_COLOR: "1",
        });
        this.env = env;
    }

    static async create(opts: WorkspaceOptions = {}): Promise<Workspace> {
        const c = pulumiCli();
        const ws = new Workspace(fs.mkdtempSync(path.join(os.tmpdir(), "elb-health-e2e-")), opts, c);
        await ws.ok(["stack", "init", ws.stack, "--non-interactive"]);
        for (const [k, v] of Object.entries(opts.config ?? {})) await ws.ok(["config", "set", k, v, "--non-interactive"]);
        for (const [k, v] of Object.entries(opts.secrets ?? {})) await ws.ok(["config", "set", "--secret", k, v, "--non-interactive"]);
        return ws;
    }

    /** `pulumi <args>` in the project folder; with `program`, the program is served with --client. */
    run(args: string[], opts: { program?: boolean; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Run> {
        const [cmd, argv] = opts.program ? [process.execPath, [WITH_PROGRAM, this.program, ...args]] : ["pulumi", args];
        const t0 = Date.now();
        return new Promise((resolve, reject) => {
            const child = spawn(cmd, argv, { cwd: this.projectDir, env: { ...this.env, ...opts.env }, stdio: ["ignore", "pipe", "pipe"] });
            let stdout = "";
            let stderr = "";
            child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
            child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
            const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 10 * 60_000);
            child.on("error", reject);
            child.on("close", (code) => {
                clearTimeout(timer);
                resolve({ code, stdout, stderr, ms: Date.now() - t0 });
            });
        });
    }

    async ok(args: string[], opts: { program?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
        const r = await this.run(args, opts);
        if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
        return r;
    }

    /** `pulumi preview` of the program, with the given extra arguments. */
    preview(args: string[] = [], env?: NodeJS.ProcessEnv): Promise<Run> {
        return this.run(["preview", "--non-interactive", ...args], { program: true, env });
    }

    remove(): void {
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}
