/**
 * Plan capture: run a Pulumi program in-process under `pulumi.runtime.setMocks` and record every
 * resource as the engine would see it at preview. The mock monitor's registerResource receives the
 * whole RegisterResource request, so wrapping it captures what the SDK computed: inputs in the wire
 * encoding (unknowns as the sentinel string, secrets as signature objects), parent, dependencies and
 * propertyDependencies.
 * Modes: "preview" — a fresh stack: every id and computed output unknown, so inputs derived from
 * them arrive unknown; "known-ids" — an update of existing resources: literal ids and outputs.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- the generated protobuf modules of @pulumi/pulumi/proto and its runtime settings have no typings */
import * as pulumi from "@pulumi/pulumi";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import type { Plan, PlanResource } from "./plan";

/* eslint-disable @typescript-eslint/no-require-imports */
const settings = require("@pulumi/pulumi/runtime/settings");
const runtimeConfig = require("@pulumi/pulumi/runtime/config");
/* eslint-enable @typescript-eslint/no-require-imports */

export type CaptureMode = "preview" | "known-ids";

export interface CaptureOptions {
    program: () => unknown;
    project: string;
    stack: string;
    organization?: string;
    /** Stack config, keys as `<project>:<key>`. */
    config?: Record<string, string>;
    mode: CaptureMode;
    /**
     * Outputs the provider would compute besides `id`, in known-ids mode (e.g. a subnet's
     * ipv4SubnetId). In preview mode every computed output is unknown.
     */
    computedOutputs?: (type: string, name: string, inputs: Record<string, unknown>) => Record<string, unknown>;
}

interface Captured {
    type: string;
    name: string;
    custom: boolean;
    urn: string;
    inputs: Record<string, unknown>;
    parent?: string;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    id?: string;
    computed: Record<string, unknown>;
}

export async function capturePlan(opts: CaptureOptions): Promise<Plan> {
    const preview = opts.mode === "preview";
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                const state: Record<string, unknown> = { ...args.inputs };
                if (!preview) Object.assign(state, opts.computedOutputs?.(args.type, args.name, args.inputs) ?? {});
                // No id in preview: the SDK then resolves `.id` (and anything derived from it) as unknown.
                return { id: preview ? undefined : `${args.name}-id`, state };
            },
            call: (args) => args.inputs,
        },
        opts.project,
        opts.stack,
        preview,
        opts.organization,
    );
    runtimeConfig.setAllConfig(opts.config ?? {});

    const captured: Captured[] = [];
    const monitor = settings.getMonitor();
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: unknown, res: any) => void) => {
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((v: any, k: string) => (propertyDependencies[k] = v.getUrnsList()));
        const entry: Captured = {
            type: req.getType(),
            name: req.getName(),
            custom: req.getCustom(),
            urn: "",
            inputs: req.getObject()?.toJavaScript() ?? {},
            parent: req.getParent() || undefined,
            dependencies: req.getDependenciesList(),
            propertyDependencies,
            computed: {},
        };
        captured.push(entry);
        register(req, (err: unknown, res: any) => {
            if (res) {
                entry.urn = res.getUrn();
                entry.id = res.getId() || undefined;
                const state = res.getObject()?.toJavaScript() ?? {};
                for (const [k, v] of Object.entries(state)) if (!(k in entry.inputs)) entry.computed[k] = v;
            }
            callback(err, res);
        });
    };

    await opts.program();
    await settings.waitForRPCs();
    return toPlan(captured, opts, preview);
}

function toPlan(captured: Captured[], opts: CaptureOptions, preview: boolean): Plan {
    const org = opts.organization ?? "organization";
    const stackName = `${opts.project}-${opts.stack}`;
    const stackUrn = `urn:pulumi:${opts.stack}::${opts.project}::pulumi:pulumi:Stack::${stackName}`;
    const resources: PlanResource[] = [{ urn: stackUrn, type: "pulumi:pulumi:Stack", name: stackName, custom: false, inputs: {}, outputs: {}, dependencies: [], propertyDependencies: {} }];
    // One default provider per package, as the engine registers them.
    const providers = new Map<string, string>();
    for (const c of captured) {
        if (!c.custom) continue;
        const pkg = c.type.split(":")[0];
        if (providers.has(pkg)) continue;
        const urn = `urn:pulumi:${opts.stack}::${opts.project}::pulumi:providers:${pkg}::default`;
        providers.set(pkg, urn);
        resources.push({ urn, type: `pulumi:providers:${pkg}`, name: "default", custom: true, parent: stackUrn, inputs: {}, outputs: {}, dependencies: [], propertyDependencies: {} });
    }
    for (const c of captured) {
        if (!c.urn) continue;
        const outputs: Record<string, unknown> = { ...c.inputs, ...c.computed, id: preview ? unknownValue : (c.id ?? `${c.name}-id`) };
        resources.push({
            urn: c.urn,
            type: c.type,
            name: c.name,
            custom: c.custom,
            inputs: c.inputs,
            outputs,
            parent: c.parent ?? stackUrn,
            dependencies: c.dependencies,
            propertyDependencies: c.propertyDependencies,
            ...(c.custom ? { provider: `${providers.get(c.type.split(":")[0])}::${preview ? unknownValue : "default-provider-id"}` } : {}),
        });
    }
    return { version: 1, organization: org, project: opts.project, stack: opts.stack, dryRun: preview, resources };
}
