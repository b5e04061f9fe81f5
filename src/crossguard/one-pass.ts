/**
 * Serve the pack's stack policies in one pass. Why: @pulumi/policy 1.21.0 rebuilds the whole
 * resource list (resource objects, options, provider, URN maps, dependencies) for EVERY stack
 * policy it runs (server.js, makeAnalyzeStackRpcFun) — with nine policies that bookkeeping alone
 * was about half of our AnalyzeStack time at 10k resources (bench/RESULTS.md).
 *
 * How: while the PolicyPack constructor registers its gRPC service, the `configure` and
 * `analyzeStack` handlers are wrapped. `configure` is read (per policy: level and properties,
 * exactly as the SDK reads them) and handed on. For each AnalyzeStack, every enabled policy but the
 * first has its validateStack hidden until the response is sent; the first evaluates all enabled
 * definitions with their own levels and config and reports each finding under its own policy's
 * name (the SDK's object form). GetAnalyzerInfo, Analyze, Remediate and the engine see the same
 * nine stack policies as before.
 *
 * Whatever is not as expected (another SDK shape, a config the wrapper cannot read, one enabled
 * policy, an SDK whose reportViolation does not take the object form: violation-form.ts) leaves the
 * SDK to run the policies one by one, which is correct, only slower.
 *
 * The same wrapper keeps a hand-made request from taking the gate down: the SDK fails the whole
 * AnalyzeStack on a secret without a value (an encrypted one; the engine decrypts secrets for
 * analyzers). When the SDK answers with an error and the request holds such a secret, those values
 * are replaced by the unknown sentinel and the request is run once more. Nothing outside this
 * pack's AnalyzeStack handler is changed, and a well-formed request costs nothing extra.
 */
import * as path from "node:path";
import type { StackValidationPolicy } from "@pulumi/policy";
import type { Level } from "../policy/definition";
import { LEVEL_OF_NUMBER, type EnforcementLevel } from "../policy/levels";
import { adapted, type PassMember, type StackAnalysisCache } from "./stack-policy";
import { objectFormSupported } from "./violation-form";

type Handler = (call: { request: unknown }, callback: (err: unknown, value?: unknown) => void) => unknown;

interface PolicyConfigEntry {
    level: EnforcementLevel;
    props: Record<string, unknown>;
}

interface State {
    /** undefined until Configure; then each policy's entry as the engine sent it. */
    config?: Map<string, PolicyConfigEntry>;
    /** false once a Configure could not be read: the SDK then runs every policy itself. */
    readable: boolean;
}

type AddService = (this: unknown, service: unknown, impl: Record<string, Handler>, ...rest: unknown[]) => unknown;

/** The @grpc/grpc-js that @pulumi/policy's server uses (it must be the same module instance). */
function sdkGrpc(): { Server?: { prototype: { addService?: AddService } } } | undefined {
    try {
        const policyDir = path.dirname(require.resolve("@pulumi/policy/package.json"));
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        return require(require.resolve("@grpc/grpc-js", { paths: [policyDir] }));
    } catch {
        return undefined;
    }
}

/**
 * Runs `construct` (which must construct the PolicyPack serving `policies`) so that the policies made
 * by crossGuardPolicies() are evaluated in one pass per AnalyzeStack; any other policy in the list
 * runs as usual. Returns whether the service was wrapped.
 */
export function serveInOnePass(policies: readonly object[], construct: () => void): boolean {
    const proto = sdkGrpc()?.Server?.prototype;
    // Ours: made by one crossGuardPolicies() call. Other policies of the pack are left to the SDK.
    const cache = policies.map((p) => adapted.get(p)?.cache).find((c) => c !== undefined);
    const ours = policies.filter((p): p is StackValidationPolicy => cache !== undefined && adapted.get(p)?.cache === cache);
    const usable = proto && typeof proto.addService === "function" && ours.length > 0;
    if (!usable) {
        construct();
        return false;
    }
    const original = proto.addService!;
    let wrapped = false;
    proto.addService = function (this: unknown, service, impl, ...rest) {
        if (!wrapped && impl && typeof impl.configure === "function" && typeof impl.analyzeStack === "function") {
            wrapped = true;
            const state: State = { readable: true };
            const onePass = process.env.ELB_HEALTH_NO_ONE_PASS !== "1" && ours.length > 1;
            const analyzeStack = onePass ? inOnePass(impl.analyzeStack, state, ours, cache!) : impl.analyzeStack;
            impl = { ...impl, configure: onePass ? readingConfig(impl.configure, state) : impl.configure, analyzeStack: repairingSecrets(analyzeStack) };
        }
        return original.call(this, service, impl, ...rest);
    };
    try {
        construct();
    } finally {
        proto.addService = original;
    }
    return wrapped;
}

/** ELB_HEALTH_TRACE=1: say on stderr how each AnalyzeStack is run (`pulumi preview -v=9` shows a plugin's stderr). */
function trace(line: string): void {
    if (process.env.ELB_HEALTH_TRACE === "1") process.stderr.write(`elb-health: ${line}\n`);
}

function readingConfig(configure: Handler, state: State): Handler {
    return (call, callback) => {
        try {
            const req = call.request as { getPolicyconfigMap(): { entries(): Iterable<[string, { getEnforcementlevel(): number; getProperties(): { toJavaScript(): unknown } | undefined }]> } };
            const config = new Map<string, PolicyConfigEntry>();
            for (const [name, v] of req.getPolicyconfigMap().entries()) {
                const level = LEVEL_OF_NUMBER[v.getEnforcementlevel()];
                if (!level) throw new Error("unknown enforcement level");
                const props = v.getProperties()?.toJavaScript() ?? {};
                config.set(name, { level, props: typeof props === "object" && props !== null ? (props as Record<string, unknown>) : {} });
            }
            state.config = config;
            state.readable = true;
        } catch {
            state.readable = false;
        }
        return configure(call, callback);
    };
}

function inOnePass(analyzeStack: Handler, state: State, policies: readonly StackValidationPolicy[], cache: StackAnalysisCache): Handler {
    return (call, callback) => {
        const members: (PassMember & { policy: StackValidationPolicy })[] = [];
        for (const policy of policies) {
            // The SDK's rule: configured level, else the policy's own; remediate means mandatory for stack policies.
            const entry = state.config?.get(policy.name);
            const level = entry?.level ?? policy.enforcementLevel ?? "advisory";
            if (level === "disabled") continue;
            const { enforcementLevel: _ignored, ...config } = entry?.props ?? {};
            members.push({ policy, def: adapted.get(policy)!.def, level: (level === "remediate" ? "mandatory" : level) as Level, config });
        }
        const objectForm = objectFormSupported() === true;
        if (!state.readable || members.length < 2 || cache.pass || !objectForm) {
            trace(`per-policy pass (${!state.readable ? "configuration not readable" : cache.pass ? "a pass is running" : !objectForm ? "reportViolation's object form not confirmed" : `${members.length} enabled`})`);
            return analyzeStack(call, callback);
        }
        const started = performance.now();

        const hidden = members.slice(1).map((m) => ({ policy: m.policy as { validateStack?: unknown }, validateStack: m.policy.validateStack }));
        for (const h of hidden) h.policy.validateStack = undefined;
        cache.pass = { driver: members[0].policy.name, members };
        let restored = false;
        const restore = () => {
            if (restored) return;
            restored = true;
            for (const h of hidden) h.policy.validateStack = h.validateStack;
            cache.pass = undefined;
        };
        try {
            return analyzeStack(call, (err, value) => {
                trace(`one pass by ${members[0].policy.name} for ${members.length} policies in ${Math.round(performance.now() - started)} ms`);
                restore();
                callback(err, value);
            });
        } catch (e) {
            restore();
            throw e;
        }
    };
}

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

interface StructLike {
    toJavaScript(): unknown;
    constructor: { fromJavaScript?: (v: unknown) => StructLike };
}

/** On an error answer, a request holding a secret without a value is run once more with those values unknown. */
function repairingSecrets(analyzeStack: Handler): Handler {
    return (call, callback) =>
        analyzeStack(call, (err, value) => {
            if (err === undefined || err === null || !unknownSecretsWithoutValue(call.request)) return callback(err, value);
            trace("a secret without a value read as unknown; AnalyzeStack run again");
            return analyzeStack(call, callback);
        });
}

/** Replaces each secret without a value in the request's resources by the unknown sentinel; whether any was found. */
export function unknownSecretsWithoutValue(request: unknown): boolean {
    let found = false;
    const clean = (v: unknown): unknown => {
        if (Array.isArray(v)) return v.map(clean);
        if (v === null || typeof v !== "object") return v;
        const o = v as Record<string, unknown>;
        if (o[SIG] === SECRET && !("value" in o)) {
            found = true;
            return UNKNOWN;
        }
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, clean(x)]));
    };
    try {
        const resources = (request as { getResourcesList?: () => { getProperties(): StructLike | undefined; setProperties(s: StructLike): void }[] }).getResourcesList?.() ?? [];
        for (const r of resources) {
            const props = r.getProperties();
            if (!props || typeof props.constructor.fromJavaScript !== "function") continue;
            const before: boolean = found;
            found = false;
            const cleaned = clean(props.toJavaScript());
            if (found) r.setProperties(props.constructor.fromJavaScript(cleaned));
            found = found || before;
        }
    } catch {
        return false;
    }
    return found;
}
