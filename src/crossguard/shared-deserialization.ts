/**
 * Why: @pulumi/policy 1.21.0 deserializes every resource of the stack once PER STACK POLICY
 * (server.js, makeAnalyzeStackRpcFun), about 0.2 ms per resource each time; with nine stack
 * policies that alone is nine times the cost of a one-policy pack. The request hands each policy
 * the same protobuf Struct per resource (jspb caches wrapper fields), so caching the result per
 * Struct makes the SDK deserialize each resource once per request, and caching the unknown-checking
 * proxy per object gives every policy the same `props` object, which lets the policies share one
 * topology (stack-policy.ts). Only the read-only validation path is cached (proxySecrets=false);
 * remediation keeps the SDK's behaviour. If the SDK's internals change shape, nothing is patched
 * and the pack stays correct, only slower (see bench/RESULTS.md).
 */
type Deserialize = (struct: object, proxySecrets: boolean) => Record<string, unknown>;
type ToProxy = (obj: unknown) => unknown;

let installed = false;

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * The SDK throws on a secret without a `value` (an encrypted one), failing the whole RPC before any
 * policy runs. The engine decrypts secrets for analyzers, but a hostile or hand-made request should
 * not take the gate down: such values are read as unknown instead.
 */
function deserializeTolerantly(original: Deserialize, struct: object, proxySecrets: boolean): Record<string, unknown> {
    try {
        return original(struct, proxySecrets);
    } catch (e) {
        const s = struct as { toJavaScript?: () => unknown; constructor: { fromJavaScript?: (v: unknown) => object } };
        if (typeof s.toJavaScript !== "function" || typeof s.constructor.fromJavaScript !== "function") throw e;
        const clean = (v: unknown): unknown => {
            if (Array.isArray(v)) return v.map(clean);
            if (v === null || typeof v !== "object") return v;
            const o = v as Record<string, unknown>;
            if (o[SIG] === SECRET && !("value" in o)) return UNKNOWN;
            return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, clean(x)]));
        };
        return original(s.constructor.fromJavaScript(clean(s.toJavaScript())), proxySecrets);
    }
}

export function installSharedDeserialization(): boolean {
    if (installed) return true;
    if (process.env.ELB_HEALTH_NO_SHARED_DESERIALIZATION === "1") return false;
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const deserializeModule = require("@pulumi/policy/deserialize") as { deserializeProperties: Deserialize };
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const proxyModule = require("@pulumi/policy/proxy") as { unknownCheckingProxy: ToProxy };
        const original = deserializeModule.deserializeProperties;
        const originalProxy = proxyModule.unknownCheckingProxy;
        if (typeof original !== "function" || typeof originalProxy !== "function") return false;

        const structs = new WeakMap<object, Record<string, unknown>>();
        deserializeModule.deserializeProperties = (struct, proxySecrets) => {
            if (proxySecrets || struct === null || typeof struct !== "object") return original(struct, proxySecrets);
            let props = structs.get(struct);
            if (!props) structs.set(struct, (props = deserializeTolerantly(original, struct, proxySecrets)));
            return props;
        };
        const proxies = new WeakMap<object, unknown>();
        proxyModule.unknownCheckingProxy = (obj) => {
            if (obj === null || typeof obj !== "object") return originalProxy(obj);
            let p = proxies.get(obj);
            if (!p) proxies.set(obj, (p = originalProxy(obj)));
            return p;
        };
        installed = true;
        return true;
    } catch {
        return false;
    }
}
