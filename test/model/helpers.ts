/** Small builders so model fixtures stay short: `res("huaweicloud_lb_pool", "web", {...}, {poolId: [urn]})`. */
import { specialOutputValueSig, specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { buildTopology } from "../../src/model/build";
import { PropReader } from "../../src/model/reader";
import { allTokens, indexToken } from "../../src/model/tokens";
import type { Topology } from "../../src/model/topology";
import type { DataFinding, RawResource, Ref, Value } from "../../src/model/types";

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { unknownCheckingProxy } = require("@pulumi/policy") as { unknownCheckingProxy: <T>(o: T) => T };

/** The engine's unknown sentinel (the string one; the typed ones are in reader.test.ts). */
export const U = unknownValue;
export const secret = (value: unknown) => ({ [specialSigKey]: specialSecretSig, value });
export const cipher = () => ({ [specialSigKey]: specialSecretSig, ciphertext: "00ff" });
export const outputValue = (value?: unknown) => ({ [specialSigKey]: specialOutputValueSig, ...(value === undefined ? {} : { value }), dependencies: [] });

export type Style = "static" | "index";
export const STYLES: readonly Style[] = ["static", "index"];

const STATIC = new Map([...allTokens()].filter(([, i]) => i.style === "static").map(([t, i]) => [i.terraform, t]));

/** The type token of a Terraform resource in either style. */
export function token(tf: string, style: Style = "static"): string {
    if (style === "index") return indexToken(tf);
    const t = STATIC.get(tf);
    if (!t) throw new Error(`no static token for ${tf}`);
    return t;
}

export const urnOf = (type: string, name: string) => `urn:pulumi:test::model::${type}::${name}`;

export function raw(type: string, name: string, props: Record<string, unknown> = {}, deps: Record<string, string[]> = {}): RawResource {
    return { urn: urnOf(type, name), type, name, props, propertyDependencies: deps };
}

/** A resource by Terraform name. */
export function res(tf: string, name: string, props: Record<string, unknown> = {}, deps: Record<string, string[]> = {}, style: Style = "static"): RawResource {
    return raw(token(tf, style), name, props, deps);
}

/** A style-bound `res`. */
export const styled = (style: Style) => (tf: string, name: string, props: Record<string, unknown> = {}, deps: Record<string, string[]> = {}) => res(tf, name, props, deps, style);

export const build = (...resources: RawResource[]): Topology => buildTopology(resources);

export function reader(props: unknown, findings: DataFinding[] = []): PropReader {
    return new PropReader("urn:pulumi:test::model::t::n", "t", "n", props, findings);
}

/** A resolved reference's logical name, else its state. */
export function target(t: Topology, ref: Ref | undefined): string | undefined {
    if (!ref) return undefined;
    if (ref.state !== "resolved") return ref.state;
    return t.byUrn.get(ref.urn)?.name ?? "missing";
}

export const names = (t: Topology, refs: Value<Ref[]>): (string | undefined)[] | string => (refs.state === "known" ? refs.value.map((r) => target(t, r)) : refs.state);

export const valueOf = <T>(v: Value<T>): T | string => (v.state === "known" ? v.value : v.state);

// Terraform names used across the tests.
export const TF = {
    sharedLb: "huaweicloud_lb_loadbalancer",
    sharedListener: "huaweicloud_lb_listener",
    sharedPool: "huaweicloud_lb_pool",
    sharedMember: "huaweicloud_lb_member",
    sharedMonitor: "huaweicloud_lb_monitor",
    dedicatedLb: "huaweicloud_elb_loadbalancer",
    dedicatedListener: "huaweicloud_elb_listener",
    dedicatedPool: "huaweicloud_elb_pool",
    dedicatedMember: "huaweicloud_elb_member",
    dedicatedMonitor: "huaweicloud_elb_monitor",
    vpc: "huaweicloud_vpc",
    subnet: "huaweicloud_vpc_subnet",
    sg: "huaweicloud_networking_secgroup",
    sgRule: "huaweicloud_networking_secgroup_rule",
    addressGroup: "huaweicloud_vpc_address_group",
    acl: "huaweicloud_vpc_network_acl",
    legacyAcl: "huaweicloud_network_acl",
    legacyAclRule: "huaweicloud_network_acl_rule",
    ecs: "huaweicloud_compute_instance",
    attach: "huaweicloud_compute_interface_attach",
    port: "huaweicloud_networking_port",
    nic: "huaweicloud_vpc_network_interface",
    eip: "huaweicloud_vpc_eip",
    eipAssociate: "huaweicloud_vpc_eip_associate",
    l7policy: "huaweicloud_lb_l7policy",
    asGroup: "huaweicloud_as_group",
    asConfig: "huaweicloud_as_configuration",
    asAttach: "huaweicloud_as_instance_attach",
} as const;
