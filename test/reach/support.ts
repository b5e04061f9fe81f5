/**
 * Hand-built entities and a small in-memory Topology over them, so the reachability core can be
 * tested without the model's builder. Links follow the Topology contract (src/model/topology.ts).
 */
import { AddressSet, parseAddress, parseCidr } from "../../src/net/addresses";
import { IntervalSet } from "../../src/net/intervals";
import { ALL_PORTS, parsePortString, type PortSet } from "../../src/net/ports";
import type { Backend, SubnetAcl, Topology } from "../../src/model/topology";
import type {
    AclRule,
    AddressGroup,
    Entity,
    EntityOfKind,
    Family,
    LoadBalancer,
    Member,
    Monitor,
    NetworkAcl,
    Nic,
    Pool,
    Ref,
    SecurityGroup,
    SecurityGroupRule,
    Server,
    Subnet,
    Value,
    Vpc,
} from "../../src/model/types";

export const known = <T>(value: T): Value<T> => ({ state: "known", value });
export const unknown = <T = never>(path = "x"): Value<T> => ({ state: "unknown", path });
export const absent = <T = never>(path = "x"): Value<T> => ({ state: "absent", path });
export const invalid = <T = never>(path = "x"): Value<T> => ({ state: "invalid", path, expected: "something valid" });

export function cidr(text: string): AddressSet {
    const p = parseCidr(text);
    if (!p.ok) throw new Error(`bad CIDR ${text}`);
    return p.value;
}
export const cidrs = (...texts: string[]) => texts.reduce((a, t) => a.union(cidr(t)), AddressSet.EMPTY);
export function ports(text: string): PortSet {
    const p = parsePortString(text, "list");
    if (!p.ok) throw new Error(`bad ports ${text}`);
    return p.value;
}
export function addr(text: string): bigint {
    const a = parseAddress(text);
    if (!a.ok) throw new Error(`bad address ${text}`);
    return a.value.value;
}

export const refTo = (e: { urn: string }, via: "id" | "dependency" = "id", path = "ref"): Ref => ({ state: "resolved", urn: e.urn, via, path });
export const externalRef = (id: string, path = "ref"): Ref => ({ state: "external", id, path });
export const unresolvedRef = (reason = "it is unknown at preview", path = "ref"): Ref => ({ state: "unresolved", reason, path });
const ABSENT_REF = (path: string): Ref => ({ state: "absent", path });

let counter = 0;
const urnOf = (type: string, name: string) => `urn:pulumi:test::reach::${type}::${name}#${++counter}`;
export const base = (type: string, name: string) => ({ urn: urnOf(type, name), type, name, tags: {} });

export type RuleOptions = Partial<Omit<SecurityGroupRule, "kind" | "group" | "urn" | "type" | "name" | "tags">> & { name?: string };
export type AclRuleOptions = Partial<Omit<AclRule, "urn" | "path" | "label">> & { name?: string };

/** A stack under construction; `topology()` links what was added. */
export class World {
    readonly entities: Entity[] = [];
    /** Overrides: backends by member URN, ACL associations by subnet URN. */
    readonly backends = new Map<string, Backend>();
    readonly subnetAcls = new Map<string, SubnetAcl>();

    /** Register a hand-made entity. */
    add<E extends Entity>(e: E): E {
        this.entities.push(e);
        return e;
    }

    vpc(name: string, cidrText: string): Vpc {
        return this.add({ ...base("huaweicloud:Vpc/vpc:Vpc", name), kind: "vpc", cidr: known(cidr(cidrText)), secondaryCidrs: absent("secondaryCidrs") });
    }

    subnet(name: string, vpc: Vpc, cidrText: string, ipv6?: string): Subnet {
        return this.add({ ...base("huaweicloud:Vpc/subnet:Subnet", name), kind: "subnet", vpc: refTo(vpc), cidr: known(cidr(cidrText)), ipv6Cidr: ipv6 ? known(cidr(ipv6)) : absent("ipv6Cidr"), ipv6Enable: absent("ipv6Enable") });
    }

    group(name: string, deleteDefaultRules = true): SecurityGroup {
        return this.add({ ...base("huaweicloud:Vpc/secgroup:Secgroup", name), kind: "securityGroup", groupName: known(name), deleteDefaultRules: known(deleteDefaultRules) });
    }

    /** A rule; defaults: ingress, IPv4, tcp, all ports, any remote, allow, priority 1. */
    rule(group: SecurityGroup, o: RuleOptions = {}): SecurityGroupRule {
        const { name, ...rest } = o;
        return this.add({
            ...base("huaweicloud:Vpc/secgroupRule:SecgroupRule", name ?? `${group.name}-rule-${counter}`),
            kind: "securityGroupRule",
            group: refTo(group),
            direction: known("ingress"),
            ethertype: known(4),
            protocol: known(6),
            ports: absent("ports"),
            remotes: [],
            action: known("allow"),
            priority: known(1),
            ...rest,
        });
    }

    addressGroup(name: string, entries: string[], ipVersion: 4 | 6 = 4): AddressGroup {
        return this.add({ ...base("huaweicloud:Vpc/addressGroup:AddressGroup", name), kind: "addressGroup", ipVersion: known(ipVersion), addresses: known(cidrs(...entries)) });
    }

    /** A v3 network ACL on the subnets. */
    acl(name: string, subnets: Subnet[], ingress: AclRuleOptions[], egress: AclRuleOptions[] = [], enabled: Value<boolean> = absent("enabled")): NetworkAcl {
        const e = base("huaweicloud:Vpc/networkAcl:NetworkAcl", name);
        const rules = (list: AclRuleOptions[], key: string) => list.map((o, i) => aclRule(e.urn, `${key}[${i}]`, o));
        return this.add({ ...e, kind: "networkAcl", enabled, subnets: known(subnets.map((s) => refTo(s))), ingress: known(rules(ingress, "ingressRules")), egress: known(rules(egress, "egressRules")) });
    }

    server(name: string, subnet: Subnet, ip: string, groups: Value<Ref[]>): Server {
        const e = base("huaweicloud:Ecs/instance:Instance", name);
        const nic: Nic = { urn: e.urn, path: "networks[0]", subnet: refTo(subnet), fixedIpV4: known(ip), securityGroups: groups };
        return this.add({ ...e, kind: "instance", nics: [nic], userData: absent("userData"), powerAction: absent("powerAction") });
    }

    loadBalancer(name: string, family: Family, o: { vpc?: Vpc; subnet?: Subnet; backendSubnets?: Value<Ref[]> } = {}): LoadBalancer {
        const type = family === "shared" ? "huaweicloud:Elb/loadbalancer:Loadbalancer" : "huaweicloud:DedicatedElb/loadbalancer:Loadbalancer";
        return this.add({
            ...base(type, name),
            kind: "loadBalancer",
            family,
            vpc: o.vpc ? refTo(o.vpc) : ABSENT_REF("vpcId"),
            ipv4Subnet: o.subnet ? refTo(o.subnet) : ABSENT_REF("ipv4SubnetId"),
            ipv6Network: ABSENT_REF("ipv6NetworkId"),
            backendSubnets: o.backendSubnets ?? absent("backendSubnets"),
            privateIpv4: known(true),
            eipOnResource: known(false),
            crossVpcBackend: absent("crossVpcBackend"),
        });
    }

    pool(name: string, lb: LoadBalancer, protocol = "HTTP", anyPort = false): Pool {
        return this.add({ ...base("huaweicloud:Elb/pool:Pool", name), kind: "pool", family: lb.family, protocol: known(protocol), listener: ABSENT_REF("listenerId"), loadBalancer: refTo(lb), anyPortEnable: known(anyPort), ipVersion: absent("ipVersion"), poolType: absent("type") });
    }

    monitor(pool: Pool, protocol: string, port?: Value<number>, enabled: Value<boolean> = absent("enabled")): Monitor {
        return this.add({
            ...base("huaweicloud:Elb/monitor:Monitor", `${pool.name}-check`),
            kind: "monitor",
            family: pool.family,
            pool: refTo(pool),
            protocol: known(protocol),
            port: port ?? absent("port"),
            interval: known(5),
            timeout: known(3),
            maxRetries: known(3),
            urlPath: absent("urlPath"),
            domainName: absent("domainName"),
            expectedCodes: absent("expectedCodes"),
            enabled,
        });
    }

    member(name: string, pool: Pool, address: Value<string>, port: Value<number>, subnet?: Subnet, weight = 1): Member {
        return this.add({ ...base("huaweicloud:Elb/member:Member", name), kind: "member", family: pool.family, pool: refTo(pool), address, port, subnet: subnet ? refTo(subnet) : ABSENT_REF("subnetId"), weight: known(weight), adminStateUp: absent("adminStateUp") });
    }

    topology(): Topology {
        return buildFake(this);
    }
}

/** An ACL rule; defaults: allow any protocol, IPv4, any address, any port, enabled. */
export function aclRule(urn: string, path: string, o: AclRuleOptions = {}): AclRule {
    const { name, ...rest } = o;
    return {
        urn,
        path,
        label: name ?? path,
        action: known("allow"),
        protocol: known("any"),
        ipVersion: known(4),
        source: known(AddressSet.ANY),
        destination: known(AddressSet.ANY),
        sourcePorts: known(ALL_PORTS),
        destinationPorts: known(ALL_PORTS),
        enabled: known(true),
        ...rest,
    };
}

function buildFake(w: World): Topology {
    const byUrn = new Map(w.entities.map((e) => [e.urn, e]));
    const of = <K extends Entity["kind"]>(kind: K) => w.entities.filter((e): e is Extract<Entity, { kind: K }> => e.kind === kind);
    const deref = <K extends Entity["kind"]>(ref: Ref, kind: K) => {
        if (ref.state !== "resolved") return undefined;
        const e = byUrn.get(ref.urn);
        return e && e.kind === kind ? (e as EntityOfKind<K>) : undefined;
    };
    const is = (ref: Ref, e: { urn: string }) => ref.state === "resolved" && ref.urn === e.urn;
    const nics = of("instance").flatMap((s) => s.nics.map((nic) => ({ nic, server: s })));
    const canon = (t: string) => {
        const a = parseAddress(t);
        return a.ok ? `${a.value.family}:${a.value.value}` : t;
    };
    return {
        byUrn,
        findings: [],
        loadBalancers: of("loadBalancer"),
        listeners: of("listener"),
        pools: of("pool"),
        members: of("member"),
        monitors: of("monitor"),
        vpcs: of("vpc"),
        subnets: of("subnet"),
        securityGroups: of("securityGroup"),
        securityGroupRules: of("securityGroupRule"),
        addressGroups: of("addressGroup"),
        networkAcls: w.entities.filter((e): e is NetworkAcl => e.kind === "networkAcl" || e.kind === "legacyAcl"),
        servers: of("instance"),
        standaloneNics: [],
        eips: [],
        eipAssociations: [],
        peerings: [],
        peeringAccepters: [],
        routes: [],
        routeTables: [],
        deref,
        listenersOfPool: (pool) => of("listener").filter((l) => is(l.defaultPool, pool) || is(pool.listener, l)),
        loadBalancerOfPool: (pool) => deref(pool.loadBalancer, "loadBalancer"),
        membersOfPool: (pool) => of("member").filter((m) => is(m.pool, pool)),
        monitorsOfPool: (pool) => of("monitor").filter((m) => is(m.pool, pool)),
        poolOfMember: (m) => deref(m.pool, "pool"),
        subnetOfMember: (m) => deref(m.subnet, "subnet"),
        backendOfMember(m: Member): Backend {
            const override = w.backends.get(m.urn);
            if (override) return override;
            if (m.address.state !== "known") return { state: "unresolved", reason: "the member's address is unknown at preview" };
            const hit = nics.filter((n) => n.nic.fixedIpV4.state === "known" && canon(n.nic.fixedIpV4.value) === canon((m.address as { value: string }).value));
            return hit.length === 1 ? { state: "nic", nic: hit[0].nic, server: hit[0].server, holder: hit[0].server } : { state: "outside", address: m.address.value };
        },
        subnetOfNic: (nic) => deref(nic.subnet, "subnet"),
        rulesOfGroup: (g: SecurityGroup) => of("securityGroupRule").filter((r) => is(r.group, g)),
        groupsOfNic: (nic) => nic.securityGroups,
        aclOfSubnet(s: Subnet): SubnetAcl {
            const override = w.subnetAcls.get(s.urn);
            if (override) return override;
            const acl = w.entities.find((e): e is NetworkAcl => (e.kind === "networkAcl" || e.kind === "legacyAcl") && e.subnets.state === "known" && e.subnets.value.some((r) => is(r, s)));
            return acl ? { state: "acl", acl } : { state: "none" };
        },
        backendSubnetsOfLoadBalancer(lb: LoadBalancer): Value<Subnet[]> {
            const resolve = (refs: Ref[]): Value<Subnet[]> => {
                const out = refs.map((r) => deref(r, "subnet"));
                return out.every((s) => s) ? known(out as Subnet[]) : unknown("backendSubnets");
            };
            if (lb.backendSubnets.state === "known") return resolve(lb.backendSubnets.value);
            if (lb.backendSubnets.state !== "absent") return lb.backendSubnets as Value<never>;
            return lb.ipv4Subnet.state !== "absent" ? resolve([lb.ipv4Subnet]) : absent("backendSubnets");
        },
        hasEip: () => known(false),
    };
}

/** A ready shared-ELB stack: web server 192.168.1.10 in app subnet, group web-sg, HTTP pool, member port 80. */
export function sharedStack(o: { memberPort?: number; monitorPort?: number; monitor?: string | null; poolProtocol?: string } = {}) {
    const w = new World();
    const vpc = w.vpc("vpc", "192.168.0.0/16");
    const app = w.subnet("app", vpc, "192.168.1.0/24");
    const sg = w.group("web-sg");
    const server = w.server("web-0", app, "192.168.1.10", known([refTo(sg)]));
    const lb = w.loadBalancer("lb", "shared", { subnet: app });
    const pool = w.pool("web-pool", lb, o.poolProtocol ?? "HTTP");
    const monitor = o.monitor === null ? undefined : w.monitor(pool, o.monitor ?? "HTTP", o.monitorPort !== undefined ? known(o.monitorPort) : undefined);
    const member = w.member("web-member", pool, known("192.168.1.10"), known(o.memberPort ?? 80), app);
    return { w, vpc, app, sg, server, lb, pool, monitor, member };
}

/** A ready dedicated-ELB stack: LB in subnet lb (192.168.0.0/24), member 192.168.1.10 in app, UDP pool checked with UDP_CONNECT. */
export function dedicatedStack(o: { sameSubnet?: boolean; protocol?: string; monitor?: string } = {}) {
    const w = new World();
    const vpc = w.vpc("vpc", "192.168.0.0/16");
    const lbSubnet = w.subnet("lb", vpc, "192.168.0.0/24");
    const app = o.sameSubnet ? lbSubnet : w.subnet("app", vpc, "192.168.1.0/24");
    const ip = o.sameSubnet ? "192.168.0.10" : "192.168.1.10";
    const sg = w.group("game-sg");
    const server = w.server("game-0", app, ip, known([refTo(sg)]));
    const lb = w.loadBalancer("game-lb", "dedicated", { vpc, subnet: lbSubnet, backendSubnets: known([refTo(lbSubnet)]) });
    const pool = w.pool("game-pool", lb, o.protocol ?? "UDP");
    const monitor = w.monitor(pool, o.monitor ?? "UDP_CONNECT");
    const member = w.member("game-member", pool, known(ip), known(27015), app);
    return { w, vpc, lbSubnet, app, sg, server, lb, pool, monitor, member, ip };
}

export { IntervalSet };
