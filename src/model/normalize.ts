/**
 * Raw resource → normalized entity, for both ELB families and both token styles (the dynamic
 * style uses the same camelCased Terraform names). Property names and meanings:
 * huaweicloud-resources.md §4–§8. References are created unresolved here and resolved by
 * build.ts once every resource is indexed.
 */
import { AddressSet, parseAddressEntry } from "../net/addresses";
import { portRange, type PortSet } from "../net/ports";
import { formatPath, PropReader, type Path } from "./reader";
import type { TokenInfo } from "./tokens";
import type {
    AclRule,
    Entity,
    EntityBase,
    Family,
    NetworkAcl,
    Nic,
    Ref,
    Remote,
    ResourceKind,
    Value,
} from "./types";

/** Which of a resource's identifiers a reference carries (huaweicloud-resources.md §3.1 for subnets). */
export type IdKind = "id" | "ipv4SubnetId" | "ipv6SubnetId" | "portId" | "name" | "address";

/** A reference waiting for resolution; build.ts fills `target` in place. */
export interface PendingRef {
    target: { ref: Ref };
    path: string;
    value: Value<string>;
    /** URNs in the referring resource's propertyDependencies for the top-level property. */
    deps: readonly string[];
    idKinds: readonly IdKind[];
    kinds: readonly ResourceKind[];
    /** Entity holding the reference, for findings. */
    from: EntityBase;
}

/** A list of references (securityGroupIds, backendSubnets, ...): resolved as a whole. */
export interface PendingRefList {
    target: { refs: Value<Ref[]> };
    path: string;
    /** Per element, or the whole list's state when not walkable. */
    list: Value<Value<string>[]>;
    deps: readonly string[];
    idKinds: readonly IdKind[];
    kinds: readonly ResourceKind[];
    from: EntityBase;
}

export interface NormalizeContext {
    refs: PendingRef[];
    lists: PendingRefList[];
    /** Legacy ACLs: rule references resolved after indexing. */
    legacyAcls: { acl: NetworkAcl; inbound: { refs: Value<Ref[]> }; outbound: { refs: Value<Ref[]> } }[];
}

const LISTENER_PROTOCOLS = ["TCP", "UDP", "HTTP", "HTTPS", "TERMINATED_HTTPS", "QUIC", "TLS", "IP"] as const;
const POOL_PROTOCOLS = ["TCP", "UDP", "HTTP", "HTTPS", "QUIC", "GRPC", "TLS", "IP"] as const;
const MONITOR_PROTOCOLS = ["TCP", "UDP_CONNECT", "HTTP", "HTTPS", "GRPC", "TLS"] as const;

const PENDING: Ref = { state: "unresolved", reason: "not resolved yet", path: "" };

export class Normalizer {
    constructor(
        private readonly r: PropReader,
        private readonly deps: Readonly<Record<string, readonly string[]>>,
        private readonly ctx: NormalizeContext,
    ) {}

    private depsOf(path: Path): readonly string[] {
        const top = path[0];
        return typeof top === "string" ? (this.deps[top] ?? []) : [];
    }

    ref(from: EntityBase, path: Path, idKinds: readonly IdKind[], kinds: readonly ResourceKind[]): Ref {
        const holder = { ref: { ...PENDING } as Ref };
        const value = this.r.string(path, 1024);
        // An empty string is how Terraform spells "not set".
        const v: Value<string> = value.state === "known" && value.value.trim() === "" ? { state: "absent", path: formatPath(path) } : value;
        this.ctx.refs.push({ target: holder, path: formatPath(path), value: v, deps: this.depsOf(path), idKinds, kinds, from });
        // Returned object is replaced field-by-field on resolution, so entities keep the same object.
        return holder.ref;
    }

    refList(from: EntityBase, path: Path, idKinds: readonly IdKind[], kinds: readonly ResourceKind[]): Value<Ref[]> {
        const holder: { refs: Value<Ref[]> } = { refs: { state: "unknown", path: "" } };
        const n = this.r.list(path);
        const list: Value<Value<string>[]> = n.state === "known" ? { state: "known", value: Array.from({ length: n.value }, (_, i) => this.r.string([...path, i], 1024)) } : n;
        this.ctx.lists.push({ target: holder, path: formatPath(path), list, deps: this.depsOf(path), idKinds, kinds, from });
        return holder.refs;
    }

    base(info: TokenInfo): EntityBase & { family?: Family } {
        const id = this.r.string(["id"], 1024);
        return { urn: this.r.urn, type: this.r.type, name: this.r.name, tags: this.r.tags(), ...(id.state === "known" && id.value !== "" ? { id: id.value } : {}), ...(info.family ? { family: info.family } : {}) };
    }

    upper<T extends string>(path: Path, allowed: readonly T[]): Value<T> {
        return this.r.oneOf(path, allowed);
    }

    /** true when the property is set (known or unknown), false when absent. */
    isSet(path: Path): Value<boolean> {
        const raw = this.r.at(path);
        if (raw.state === "absent") return { state: "known", value: false };
        if (raw.state === "known" && typeof raw.value === "string" && raw.value.trim() === "") return { state: "known", value: false };
        return { state: "known", value: true };
    }

    private setOrKnown(path: Path): boolean {
        const v = this.isSet(path);
        return v.state === "known" && v.value;
    }

    knownNonEmpty(path: Path): boolean {
        const v = this.r.at(path);
        return v.state === "known" && typeof v.value === "string" && v.value.trim() !== "";
    }

    entity(info: TokenInfo): Entity | undefined {
        const r = this.r;
        const b = this.base(info);
        const family = info.family as Family;
        switch (info.kind) {
            case "loadBalancer": {
                if (family === "shared") {
                    return {
                        ...b, kind: "loadBalancer", family,
                        vpc: { state: "absent", path: "vpcId" },
                        ipv4Subnet: this.ref(b, ["vipSubnetId"], ["ipv4SubnetId"], ["subnet"]),
                        ipv6Network: { state: "absent", path: "ipv6NetworkId" },
                        backendSubnets: { state: "absent", path: "backendSubnets" },
                        // vipSubnetId is required: a shared load balancer always has a private VIP.
                        privateIpv4: this.isSet(["vipSubnetId"]),
                        eipOnResource: { state: "known", value: this.knownNonEmpty(["publicIp"]) },
                        crossVpcBackend: { state: "absent", path: "crossVpcBackend" },
                    };
                }
                const backend = r.has(["backendSubnets"]) ? this.refList(b, ["backendSubnets"], ["id"], ["subnet"]) : ({ state: "absent", path: "backendSubnets" } as const);
                return {
                    ...b, kind: "loadBalancer", family,
                    vpc: this.ref(b, ["vpcId"], ["id"], ["vpc"]),
                    ipv4Subnet: this.ref(b, ["ipv4SubnetId"], ["ipv4SubnetId"], ["subnet"]),
                    ipv6Network: this.ref(b, ["ipv6NetworkId"], ["id"], ["subnet"]),
                    backendSubnets: backend,
                    // Without ipv4SubnetId the load balancer gets no private IPv4 VIP; its computed
                    // ipv4Address is unknown at preview but cannot appear from nothing.
                    privateIpv4: this.isSet(["ipv4SubnetId"]),
                    // An EIP comes from ipv4EipId (existing) or iptype (+bandwidth, new) on the resource.
                    eipOnResource: { state: "known", value: this.setOrKnown(["ipv4EipId"]) || this.setOrKnown(["iptype"]) || this.knownNonEmpty(["ipv4Eip"]) },
                    crossVpcBackend: r.bool(["crossVpcBackend"]),
                };
            }
            case "listener":
                return {
                    ...b, kind: "listener", family,
                    protocol: this.upper(["protocol"], LISTENER_PROTOCOLS),
                    port: r.number(["protocolPort"], 0, 65535),
                    loadBalancer: this.ref(b, ["loadbalancerId"], ["id"], ["loadBalancer"]),
                    defaultPool: this.ref(b, ["defaultPoolId"], ["id"], ["pool"]),
                    transparentClientIp: r.bool(["transparentClientIpEnable"]),
                };
            case "pool":
                return {
                    ...b, kind: "pool", family,
                    protocol: this.upper(["protocol"], POOL_PROTOCOLS),
                    listener: this.ref(b, ["listenerId"], ["id"], ["listener"]),
                    loadBalancer: this.ref(b, ["loadbalancerId"], ["id"], ["loadBalancer"]),
                    anyPortEnable: r.bool(["anyPortEnable"]),
                };
            case "member":
                return {
                    ...b, kind: "member", family,
                    pool: this.ref(b, ["poolId"], ["id"], ["pool"]),
                    address: r.address(["address"]),
                    port: r.number(["protocolPort"], 0, 65535),
                    subnet: this.ref(b, ["subnetId"], ["ipv4SubnetId", "ipv6SubnetId"], ["subnet"]),
                    weight: r.number(["weight"], 0, 100),
                    adminStateUp: r.bool(["adminStateUp"]),
                };
            case "monitor":
                return {
                    ...b, kind: "monitor", family,
                    pool: this.ref(b, ["poolId"], ["id"], ["pool"]),
                    protocol: this.upper([family === "shared" ? "type" : "protocol"], MONITOR_PROTOCOLS),
                    port: r.number(["port"], 1, 65535),
                    interval: r.number([family === "shared" ? "delay" : "interval"], 1, 50),
                    timeout: r.number(["timeout"], 1, 50),
                    maxRetries: r.number(["maxRetries"], 1, 10),
                    urlPath: r.string(["urlPath"], 4096),
                    domainName: r.string(["domainName"], 1024),
                    expectedCodes: r.string([family === "shared" ? "expectedCodes" : "statusCode"], 1024),
                    enabled: r.bool([family === "shared" ? "adminStateUp" : "enabled"]),
                };
            case "l7policy":
                return {
                    ...b, kind: "l7policy", family,
                    listener: this.ref(b, ["listenerId"], ["id"], ["listener"]),
                    redirectPool: this.ref(b, ["redirectPoolId"], ["id"], ["pool"]),
                };
            case "vpc":
                return { ...b, kind: "vpc", cidr: r.cidr(["cidr"]), secondaryCidrs: r.has(["secondaryCidrs"]) ? r.addressList(["secondaryCidrs"]) : { state: "absent", path: "secondaryCidrs" } };
            case "subnet": {
                const v4 = r.string(["ipv4SubnetId"], 1024);
                const alias = r.string(["subnetId"], 1024);
                const v6 = r.string(["ipv6SubnetId"], 1024);
                const ipv4SubnetId = v4.state === "known" && v4.value ? v4.value : alias.state === "known" && alias.value ? alias.value : undefined;
                return {
                    ...b, kind: "subnet",
                    vpc: this.ref(b, ["vpcId"], ["id"], ["vpc"]),
                    cidr: r.cidr(["cidr"]),
                    ipv6Cidr: r.cidr(["ipv6Cidr"]),
                    ...(ipv4SubnetId ? { ipv4SubnetId } : {}),
                    ...(v6.state === "known" && v6.value ? { ipv6SubnetId: v6.value } : {}),
                };
            }
            case "securityGroup":
                return { ...b, kind: "securityGroup", groupName: r.string(["name"], 1024), deleteDefaultRules: r.bool(["deleteDefaultRules"]) };
            case "securityGroupRule":
                return this.securityGroupRule(b);
            case "addressGroup": {
                const ipVersion = r.has(["ipVersion"]) ? r.number(["ipVersion"], 4, 6) : ({ state: "known", value: 4 } as Value<number>);
                const addresses = r.has(["addresses"]) ? r.addressList(["addresses"]) : this.extraSets();
                return { ...b, kind: "addressGroup", ipVersion: ipVersionOf(r, ipVersion, ["ipVersion"]), addresses };
            }
            case "networkAcl":
                return {
                    ...b, kind: "networkAcl",
                    enabled: r.bool(["enabled"]),
                    subnets: this.associatedSubnets(b),
                    ingress: this.aclRules(b, "ingressRules"),
                    egress: this.aclRules(b, "egressRules"),
                };
            case "legacyAcl": {
                const acl = {
                    ...b, kind: "legacyAcl" as const,
                    enabled: { state: "absent", path: "enabled" } as Value<boolean>,
                    subnets: this.refList(b, ["subnets"], ["id"], ["subnet"]),
                    ingress: { state: "unknown", path: "inboundRules" } as Value<AclRule[]>,
                    egress: { state: "unknown", path: "outboundRules" } as Value<AclRule[]>,
                };
                const inbound = r.has(["inboundRules"]) ? this.refList(b, ["inboundRules"], ["id"], ["legacyAclRule"]) : ({ state: "known", value: [] } as Value<Ref[]>);
                const outbound = r.has(["outboundRules"]) ? this.refList(b, ["outboundRules"], ["id"], ["legacyAclRule"]) : ({ state: "known", value: [] } as Value<Ref[]>);
                this.ctx.legacyAcls.push({ acl, inbound: this.holderOf(inbound), outbound: this.holderOf(outbound) });
                return acl;
            }
            case "legacyAclRule":
                return { ...b, kind: "legacyAclRule", rule: this.aclRule(b, [], b.name, "colon") };
            case "instance":
                return this.instance(b);
            case "interfaceAttach":
                return {
                    ...b, kind: "interfaceAttach",
                    instance: this.ref(b, ["instanceId"], ["id"], ["instance"]),
                    nic: { urn: b.urn, path: "", subnet: this.ref(b, ["networkId"], ["id"], ["subnet"]), fixedIpV4: r.address(["fixedIp"]), securityGroups: this.groups(b) },
                };
            case "port":
                return {
                    ...b, kind: "port", instance: { state: "absent", path: "deviceId" },
                    nic: { urn: b.urn, path: "", subnet: this.ref(b, ["networkId"], ["id"], ["subnet"]), fixedIpV4: r.address(["fixedIps", 0, "ipAddress"]), securityGroups: this.groups(b) },
                };
            case "networkInterface":
                return {
                    ...b, kind: "networkInterface", instance: { state: "absent", path: "instanceId" },
                    nic: { urn: b.urn, path: "", subnet: this.ref(b, ["subnetId"], ["id"], ["subnet"]), fixedIpV4: r.address(["fixedIpV4"]), securityGroups: this.groups(b) },
                };
            case "eip": {
                const address = r.string(["address"], 64);
                return { ...b, kind: "eip", port: this.ref(b, ["publicip", "portId"], ["portId"], ["loadBalancer", "port", "networkInterface"]), ...(address.state === "known" && address.value ? { address: address.value } : {}) };
            }
            case "eipAssociate":
                return {
                    ...b, kind: "eipAssociate",
                    port: this.ref(b, ["portId"], ["portId"], ["loadBalancer", "port", "networkInterface"]),
                    eip: this.ref(b, ["publicIp"], ["address"], ["eip"]),
                };
            default:
                // whitelist, ipgroup, activeStandbyPool: recognised, not (yet) checked.
                return undefined;
        }
    }

    /** The holder object behind a Value<Ref[]> returned by refList (so legacy ACLs can read it after resolution). */
    private holderOf(v: Value<Ref[]>): { refs: Value<Ref[]> } {
        const pending = this.ctx.lists.find((l) => l.target.refs === v);
        return pending ? pending.target : { refs: v };
    }

    private securityGroupRule(b: EntityBase) {
        const r = this.r;
        const remotes: Remote[] = [];
        const prefix = r.at(["remoteIpPrefix"]);
        if (prefix.state !== "absent" && !(prefix.state === "known" && prefix.value === "")) remotes.push({ kind: "cidr", set: r.cidr(["remoteIpPrefix"]) });
        if (r.has(["remoteGroupId"]) && !this.emptyString(["remoteGroupId"])) remotes.push({ kind: "group", group: this.ref(b, ["remoteGroupId"], ["id"], ["securityGroup"]) });
        if (r.has(["remoteAddressGroupId"]) && !this.emptyString(["remoteAddressGroupId"])) remotes.push({ kind: "addressGroup", group: this.ref(b, ["remoteAddressGroupId"], ["id"], ["addressGroup"]) });
        const ethertype = r.oneOf(["ethertype"], ["IPv4", "IPv6"] as const);
        return {
            ...b, kind: "securityGroupRule" as const,
            group: this.ref(b, ["securityGroupId"], ["id"], ["securityGroup"]),
            direction: r.oneOf(["direction"], ["ingress", "egress"] as const),
            ethertype: ethertype.state === "known" ? ({ state: "known", value: ethertype.value === "IPv4" ? 4 : 6 } as const) : ethertype,
            protocol: this.emptyString(["protocol"]) ? ({ state: "absent", path: "protocol" } as const) : r.protocol(["protocol"], false),
            ports: this.ruleports(),
            remotes,
            action: r.oneOf(["action"], ["allow", "deny"] as const),
            priority: r.number(["priority"], 1, 100),
        };
    }

    private emptyString(path: Path): boolean {
        const v = this.r.at(path);
        return v.state === "known" && v.value === "";
    }

    /** `ports` ("80", "1-30", "22,80") or portRangeMin/portRangeMax; absent = all ports. */
    private ruleports(): Value<PortSet> {
        const r = this.r;
        if (r.has(["ports"]) && !this.emptyString(["ports"])) return r.ports(["ports"], "list");
        if (!r.has(["portRangeMin"])) return { state: "absent", path: "ports" };
        const min = r.number(["portRangeMin"], 1, 65535);
        const max = r.has(["portRangeMax"]) ? r.number(["portRangeMax"], 1, 65535) : min;
        if (min.state !== "known") return min;
        if (max.state !== "known") return max;
        if (max.value < min.value) return r.invalid(["portRangeMax"], "a port not below portRangeMin");
        return { state: "known", value: portRange(min.value, max.value) };
    }

    private extraSets(): Value<AddressSet> {
        const r = this.r;
        const n = r.list(["ipExtraSets"]);
        if (n.state !== "known") return n.state === "absent" ? { state: "known", value: AddressSet.EMPTY } : n;
        let set = AddressSet.EMPTY;
        for (let i = 0; i < n.value; i++) {
            const e = r.read(["ipExtraSets", i, "ip"], parseAddressEntry);
            if (e.state !== "known") return e;
            set = set.union(e.value);
        }
        return { state: "known", value: set };
    }

    private associatedSubnets(b: EntityBase): Value<Ref[]> {
        const r = this.r;
        const n = r.list(["associatedSubnets"]);
        if (n.state === "absent") return { state: "known", value: [] };
        if (n.state !== "known") {
            // The whole list unknown: resolve through the dependencies of associatedSubnets.
            return this.refList(b, ["associatedSubnets"], ["id"], ["subnet"]);
        }
        const refs: Ref[] = [];
        for (let i = 0; i < n.value; i++) refs.push(this.ref(b, ["associatedSubnets", i, "subnetId"], ["id"], ["subnet"]));
        return { state: "known", value: refs };
    }

    private aclRules(b: EntityBase, key: "ingressRules" | "egressRules"): Value<AclRule[]> {
        const n = this.r.list([key]);
        if (n.state === "absent") return { state: "known", value: [] };
        if (n.state !== "known") return n;
        const rules: AclRule[] = [];
        for (let i = 0; i < n.value; i++) {
            const name = this.r.string([key, i, "name"], 255);
            rules.push(this.aclRule(b, [key, i], name.state === "known" && name.value ? name.value : `${key}[${i}]`, "list"));
        }
        return { state: "known", value: rules };
    }

    aclRule(b: EntityBase, at: Path, label: string, portStyle: "list" | "colon"): AclRule {
        const r = this.r;
        const p = (k: string): Path => [...at, k];
        const optional = <T>(v: Value<T>, any: T): Value<T> => (v.state === "absent" ? { state: "known", value: any } : v);
        const addr = (k: string) => (r.has(p(k)) && !this.emptyString(p(k)) ? r.cidr(p(k)) : ({ state: "known", value: AddressSet.ANY } as Value<AddressSet>));
        const ports = (k: string) => (r.has(p(k)) && !this.emptyString(p(k)) ? r.ports(p(k), portStyle) : ({ state: "known", value: portRange(0, 65535) } as Value<PortSet>));
        const ipVersion = r.has(p("ipVersion")) ? ipVersionOf(r, r.number(p("ipVersion"), 4, 6), p("ipVersion")) : ({ state: "known", value: 4 } as Value<4 | 6>);
        const group = (k: string) => (r.has(p(k)) && !this.emptyString(p(k)) ? { [k === "sourceIpAddressGroupId" ? "sourceAddressGroup" : "destinationAddressGroup"]: this.ref(b, p(k), ["id"], ["addressGroup"]) } : {});
        return {
            urn: b.urn,
            path: at.length > 0 ? formatPath(at) : "",
            label,
            action: r.oneOf(p("action"), ["allow", "deny"] as const),
            protocol: r.protocol(p("protocol"), true),
            ipVersion,
            source: addr("sourceIpAddress"),
            destination: addr("destinationIpAddress"),
            sourcePorts: ports("sourcePort"),
            destinationPorts: ports("destinationPort"),
            enabled: optional(r.bool(p("enabled")), true),
            ...group("sourceIpAddressGroupId"),
            ...group("destinationIpAddressGroupId"),
        };
    }

    private groups(b: EntityBase): Value<Ref[]> {
        if (this.r.has(["securityGroupIds"])) return this.refList(b, ["securityGroupIds"], ["id"], ["securityGroup"]);
        // ECS `securityGroups` holds group NAMES (resolved by name at create).
        if (this.r.has(["securityGroups"])) return this.refList(b, ["securityGroups"], ["name"], ["securityGroup"]);
        return { state: "absent", path: "securityGroupIds" };
    }

    private instance(b: EntityBase) {
        const r = this.r;
        const groups = this.groups(b);
        const nics: Nic[] = [];
        const n = r.list(["networks"]);
        if (n.state === "known") {
            for (let i = 0; i < n.value; i++) {
                nics.push({
                    urn: b.urn,
                    path: `networks[${i}]`,
                    subnet: this.ref(b, ["networks", i, "uuid"], ["id"], ["subnet"]),
                    fixedIpV4: r.address(["networks", i, "fixedIpV4"]),
                    // Instance-level groups; whether they cover secondary NICs is UNCONFIRMED (§8.3): applied to all.
                    securityGroups: groups,
                });
            }
        }
        return { ...b, kind: "instance" as const, nics, userData: r.string(["userData"], 1 << 20) };
    }
}

function ipVersionOf(r: PropReader, v: Value<number>, path: Path): Value<4 | 6> {
    if (v.state !== "known") return v;
    return v.value === 4 || v.value === 6 ? { state: "known", value: v.value } : r.invalid(path, "4 or 6");
}
