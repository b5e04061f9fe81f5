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
            if (!props) structs.set(struct, (props = original(struct, proxySecrets)));
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
