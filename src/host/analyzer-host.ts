/**
 * The engine's side of the Analyzer protocol, so the demo, the tests, the CLI's parity check and
 * the benchmark run a policy pack exactly as `pulumi preview --policy-pack` does
 * (analyzer-protocol.md): start the pack with run-policy-pack, read its port, then Handshake,
 * ConfigureStack, GetPluginInfo, GetAnalyzerInfo, config reconciliation + validation, Configure,
 * Remediate + Analyze per resource (inputs), and one AnalyzeStack (outputs, dependencies).
 * Values travel as google.protobuf.Struct in the engine's encoding (unknown sentinels, secrets).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- the generated protobuf modules of @pulumi/pulumi/proto and its runtime settings have no typings */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { LEVEL_OF_NUMBER, NUMBER_OF_LEVEL, type EnforcementLevel } from "../policy/levels";
import { reconcileConfig, type PolicyConfig, type PolicyConfigFile, type PolicyMeta } from "../policy/pack-config";
import type { Plan, PlanResource } from "./plan";

/* eslint-disable @typescript-eslint/no-require-imports */
const analyzerPb = require("@pulumi/pulumi/proto/analyzer_pb.js");
const analyzerGrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb.js");
const emptyPb = require("google-protobuf/google/protobuf/empty_pb.js");
/* eslint-enable @typescript-eslint/no-require-imports */

const POLICY_TYPES: Record<number, PolicyInfo["policyType"]> = { 0: "unknown", 1: "resource", 2: "stack" };
const SEVERITY_NAMES: Record<number, string | undefined> = { 0: undefined, 1: "low", 2: "medium", 3: "high", 4: "critical" };

export interface Diagnostic {
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    description: string;
    message: string;
    enforcementLevel: EnforcementLevel;
    severity?: string;
    urn: string;
    phase: "analyze" | "analyzeStack";
}

export interface PolicyInfo extends PolicyMeta {
    displayName: string;
    description: string;
    severity?: string;
    remediationSteps: string;
    url: string;
    tags: string[];
    /** As the SDK declares it (proto PolicyType). */
    policyType: "unknown" | "resource" | "stack";
}

export interface PackInfo {
    name: string;
    version: string;
    policies: PolicyInfo[];
}

export interface AnalysisResult {
    pack: PackInfo;
    config: Record<string, PolicyConfig>;
    diagnostics: Diagnostic[];
    timings: { startMs: number; analyzeMs: number; analyzeStackMs: number; totalMs: number };
    /** Peak resident memory of the pack process (VmHWM), when the OS reports it. */
    peakRssBytes?: number;
    stderr: string;
}

export interface SessionOptions {
    packDir: string;
    organization?: string;
    project: string;
    stack: string;
    dryRun: boolean;
    /** Stack config passed in PULUMI_CONFIG. */
    stackConfig?: Record<string, string>;
    env?: Record<string, string>;
    timeoutMs?: number;
}

type Client = grpc.Client & Record<string, (req: unknown, cb: (err: grpc.ServiceError | null, res: any) => void) => void>;

/** One running pack process, driven call by call. Always stop() it. */
export class AnalyzerSession {
    private stderr = "";
    private stopped = false;

    private constructor(
        private readonly child: ChildProcess,
        private readonly engine: grpc.Server,
        private readonly client: Client,
        private readonly opts: SessionOptions,
        readonly startMs: number,
    ) {
        child.stderr?.on("data", (d: Buffer) => {
            if (this.stderr.length < 1 << 20) this.stderr += d.toString();
        });
    }

    static async start(opts: SessionOptions): Promise<AnalyzerSession> {
        const t0 = performance.now();
        const packDir = path.resolve(opts.packDir);
        // A minimal engine endpoint: run-policy-pack takes its address but makes no calls to it.
        const engine = new grpc.Server();
        const enginePort = await new Promise<number>((resolve, reject) => engine.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
        const runner = resolveRunPolicyPack(packDir);
        const child = spawn(process.execPath, [runner, `127.0.0.1:${enginePort}`, packDir], {
            cwd: packDir,
            env: {
                ...process.env,
                PULUMI_NODEJS_ORGANIZATION: opts.organization ?? "organization",
                PULUMI_NODEJS_PROJECT: opts.project,
                PULUMI_NODEJS_STACK: opts.stack,
                PULUMI_NODEJS_DRY_RUN: String(opts.dryRun),
                PULUMI_CONFIG: JSON.stringify(opts.stackConfig ?? {}),
                ...opts.env,
            },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let early = "";
        child.stderr?.on("data", (d: Buffer) => (early += d.toString()));
        try {
            const port = await firstLine(child, opts.timeoutMs ?? 60_000, () => early);
            const client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), { "grpc.max_receive_message_length": 1 << 30, "grpc.max_send_message_length": 1 << 30 }) as Client;
            const session = new AnalyzerSession(child, engine, client, opts, performance.now() - t0);
            session.stderr = early;
            await session.handshake();
            return session;
        } catch (e) {
            child.kill("SIGKILL");
            engine.forceShutdown();
            throw e;
        }
    }

    private call<T = any>(method: string, req: unknown): Promise<T> {
        return new Promise((resolve, reject) => this.client[method](req, (err, res) => (err ? reject(err) : resolve(res))));
    }

    private async handshake(): Promise<void> {
        const hs = new analyzerPb.AnalyzerHandshakeRequest();
        hs.setEngineAddress("127.0.0.1:0");
        hs.setRootDirectory(path.resolve(this.opts.packDir));
        await this.call("handshake", hs).catch((e: grpc.ServiceError) => {
            if (e.code !== grpc.status.UNIMPLEMENTED) throw e;
        });
        const cs = new analyzerPb.AnalyzerStackConfigureRequest();
        cs.setStack(this.opts.stack);
        cs.setProject(this.opts.project);
        cs.setOrganization(this.opts.organization ?? "organization");
        cs.setDryRun(this.opts.dryRun);
        await this.call("configureStack", cs).catch((e: grpc.ServiceError) => {
            if (e.code !== grpc.status.UNIMPLEMENTED) throw e;
        });
        await this.call("getPluginInfo", new emptyPb.Empty());
    }

    async info(): Promise<PackInfo> {
        const res = await this.call("getAnalyzerInfo", new emptyPb.Empty());
        return {
            name: res.getName(),
            version: res.getVersion(),
            policies: res.getPoliciesList().map((p: any): PolicyInfo => {
                const schema = p.getConfigschema();
                return {
                    name: p.getName(),
                    displayName: p.getDisplayname(),
                    description: p.getDescription(),
                    enforcementLevel: LEVEL_OF_NUMBER[p.getEnforcementlevel()] ?? "advisory",
                    severity: SEVERITY_NAMES[p.getSeverity?.() ?? 0],
                    remediationSteps: p.getRemediationSteps?.() ?? "",
                    url: p.getUrl?.() ?? "",
                    tags: p.getTagsList?.() ?? [],
                    policyType: POLICY_TYPES[p.getPolicyType?.() ?? 0] ?? "unknown",
                    configSchema: schema ? { properties: schema.getProperties()?.toJavaScript() ?? {}, required: schema.getRequiredList() } : undefined,
                };
            }),
        };
    }

    /** Reconcile and validate the user's config as the engine does (throws PolicyConfigError), then Configure. */
    async configure(pack: PackInfo, file?: PolicyConfigFile): Promise<Record<string, PolicyConfig>> {
        const config = reconcileConfig(pack.name, pack.policies, file);
        const req = new analyzerPb.ConfigureAnalyzerRequest();
        const map = req.getPolicyconfigMap();
        for (const [name, c] of Object.entries(config)) {
            const pc = new analyzerPb.PolicyConfig();
            pc.setEnforcementlevel(NUMBER_OF_LEVEL[c.enforcementLevel]);
            pc.setProperties(Struct.fromJavaScript(c.properties as never));
            map.set(name, pc);
        }
        await this.call("configure", req);
        return config;
    }

    /** Remediate then Analyze one resource with its inputs, as the engine does at registration. */
    async analyze(r: PlanResource): Promise<Diagnostic[]> {
        const req = new analyzerPb.AnalyzeRequest();
        req.setType(r.type);
        req.setUrn(r.urn);
        req.setName(r.name);
        req.setProperties(toStruct(r.inputs));
        req.setOptions(options(r));
        await this.call("remediate", req);
        const res = await this.call("analyze", req);
        return diagnostics(res, "analyze");
    }

    async analyzeStack(resources: readonly PlanResource[]): Promise<Diagnostic[]> {
        const req = new analyzerPb.AnalyzeStackRequest();
        const byUrn = new Map(resources.map((r) => [r.urn, r]));
        for (const r of resources) {
            const ar = new analyzerPb.AnalyzerResource();
            ar.setType(r.type);
            ar.setUrn(r.urn);
            ar.setName(r.name);
            ar.setProperties(toStruct(r.outputs));
            ar.setOptions(options(r));
            if (r.parent) ar.setParent(r.parent);
            ar.setDependenciesList(r.dependencies);
            const deps = ar.getPropertydependenciesMap();
            for (const [k, urns] of Object.entries(r.propertyDependencies)) {
                const d = new analyzerPb.AnalyzerPropertyDependencies();
                d.setUrnsList(urns);
                deps.set(k, d);
            }
            const providerUrn = r.provider?.split("::").slice(0, -1).join("::");
            const provider = providerUrn ? byUrn.get(providerUrn) : undefined;
            if (provider) {
                const p = new analyzerPb.AnalyzerProviderResource();
                p.setType(provider.type);
                p.setUrn(provider.urn);
                p.setName(provider.name);
                p.setProperties(toStruct(provider.inputs));
                ar.setProvider(p);
            }
            req.addResources(ar);
        }
        const res = await this.call("analyzeStack", req);
        return diagnostics(res, "analyzeStack");
    }

    /** Peak resident set of the pack process (Linux). */
    peakRss(): number | undefined {
        try {
            const status = fs.readFileSync(`/proc/${this.child.pid}/status`, "utf8");
            const m = /VmHWM:\s+(\d+) kB/.exec(status);
            return m ? Number(m[1]) * 1024 : undefined;
        } catch {
            return undefined;
        }
    }

    get pid(): number | undefined {
        return this.child.pid;
    }

    get log(): string {
        return this.stderr;
    }

    async stop(): Promise<void> {
        if (this.stopped) return;
        this.stopped = true;
        this.client.close();
        this.engine.forceShutdown();
        if (this.child.exitCode === null && this.child.signalCode === null) {
            const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
            this.child.kill("SIGTERM");
            const timer = setTimeout(() => this.child.kill("SIGKILL"), 2000);
            await exited;
            clearTimeout(timer);
        }
    }
}

export interface RunPackOptions {
    packDir: string;
    plan: Plan;
    config?: PolicyConfigFile;
    env?: Record<string, string>;
    timeoutMs?: number;
    /** Concurrent Analyze calls (the engine analyzes resources as they register, in parallel). */
    concurrency?: number;
}

/** Run a whole plan through a pack: what one `pulumi preview --policy-pack` does. */
export async function runPack(opts: RunPackOptions): Promise<AnalysisResult> {
    const t0 = performance.now();
    const session = await AnalyzerSession.start({
        packDir: opts.packDir,
        organization: opts.plan.organization,
        project: opts.plan.project,
        stack: opts.plan.stack,
        dryRun: opts.plan.dryRun,
        env: opts.env,
        timeoutMs: opts.timeoutMs,
    });
    try {
        const pack = await session.info();
        const config = await session.configure(pack, opts.config);
        const t1 = performance.now();
        const diagnostics: Diagnostic[] = [];
        const resources = opts.plan.resources;
        let next = 0;
        const worker = async () => {
            while (next < resources.length) diagnostics.push(...(await session.analyze(resources[next++])));
        };
        await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 8) }, worker));
        const t2 = performance.now();
        diagnostics.push(...(await session.analyzeStack(resources)));
        const t3 = performance.now();
        return {
            pack,
            config,
            diagnostics,
            timings: { startMs: session.startMs, analyzeMs: t2 - t1, analyzeStackMs: t3 - t2, totalMs: t3 - t0 },
            peakRssBytes: session.peakRss(),
            stderr: session.log,
        };
    } finally {
        await session.stop();
    }
}

function resolveRunPolicyPack(packDir: string): string {
    // The engine resolves the module from the pack's own node_modules; fall back to ours.
    for (const from of [packDir, __dirname]) {
        try {
            return require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [from] });
        } catch {
            /* try the next */
        }
    }
    throw new Error(`cannot find @pulumi/pulumi/cmd/run-policy-pack for the pack in ${packDir}: run npm install there`);
}

function firstLine(child: ChildProcess, timeoutMs: number, stderr: () => string): Promise<number> {
    return new Promise((resolve, reject) => {
        let buf = "";
        const timer = setTimeout(() => fail(new Error(`policy pack did not start within ${timeoutMs} ms\n${stderr()}`)), timeoutMs);
        const fail = (e: Error) => {
            clearTimeout(timer);
            reject(e);
        };
        child.stdout?.on("data", (d: Buffer) => {
            buf += d.toString();
            const nl = buf.indexOf("\n");
            if (nl < 0) return;
            const port = Number(buf.slice(0, nl).trim());
            clearTimeout(timer);
            if (Number.isInteger(port) && port > 0) resolve(port);
            else reject(new Error(`policy pack printed no port on its first line\n${stderr()}`));
        });
        child.once("exit", (code) => fail(new Error(`policy pack exited with code ${code} before serving\n${stderr()}`)));
        child.once("error", fail);
    });
}

function options(r: PlanResource): unknown {
    const o = new analyzerPb.AnalyzerResourceOptions();
    o.setProtect(false);
    o.setIgnorechangesList([]);
    o.setAliasesList([]);
    o.setAdditionalsecretoutputsList([]);
    if (r.parent) o.setParent(r.parent);
    return o;
}

/** Struct.fromJavaScript rejects undefined; drop it as the engine would (absent property). */
function toStruct(v: Record<string, unknown>): Struct {
    return Struct.fromJavaScript(JSON.parse(JSON.stringify(v ?? {})));
}

function diagnostics(res: any, phase: Diagnostic["phase"]): Diagnostic[] {
    return res.getDiagnosticsList().map((d: any) => ({
        policyName: d.getPolicyname(),
        policyPackName: d.getPolicypackname(),
        policyPackVersion: d.getPolicypackversion(),
        description: d.getDescription(),
        message: d.getMessage(),
        enforcementLevel: LEVEL_OF_NUMBER[d.getEnforcementlevel()] ?? "advisory",
        severity: SEVERITY_NAMES[d.getSeverity?.() ?? 0],
        urn: d.getUrn(),
        phase,
    }));
}
