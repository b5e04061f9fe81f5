/**
 * Servers and their network interfaces, EIPs (huaweicloud-resources.md §8.3–§8.7).
 * A NIC is an ECS `networks[i]`, an InterfaceAttach, a Port or a NetworkInterface.
 */
import { formatPath, known, type Path } from "../reader";
import type { Eip, EipAssociate, Nic, Ref, Server, StandaloneNic, Value } from "../types";
import { absent, absentRef, entity, TARGETS, type Ctx } from "./context";

/** An address field where "" means "assigned by the cloud". */
function optionalAddress(c: Ctx, path: Path): Value<string> {
    return c.r.unset(path) ? absent(formatPath(path)) : c.r.address(path);
}

/** Security groups in binding order: `securityGroupIds` (IDs), else ECS `securityGroups` (NAMES, §8.3); absent = the default group. */
function groups(c: Ctx): Value<Ref[]> {
    if (c.r.has(["securityGroupIds"])) return c.resolve.refList(["securityGroupIds"], TARGETS.securityGroup);
    if (c.info.kind === "instance" && c.r.has(["securityGroups"])) return c.resolve.refList(["securityGroups"], TARGETS.securityGroupByName);
    return absent("securityGroupIds");
}

export function instance(c: Ctx): Server {
    const { r } = c;
    const securityGroups = groups(c);
    // `networks` (Terraform block `network`; a build keeping the singular name is tolerated). First = primary NIC.
    const key = r.pick("networks", "network");
    const n = r.list([key], 64);
    const nics: Nic[] = [];
    for (let i = 0; n.state === "known" && i < n.value; i++) {
        nics.push({
            urn: c.base.urn,
            path: `${key}[${i}]`,
            // networks[].uuid = subnet `id` (§3.1). Unknown: the dependencies of `networks` as a whole.
            subnet: c.resolve.ref([key, i, "uuid"], TARGETS.subnetById),
            fixedIpV4: optionalAddress(c, [key, i, "fixedIpV4"]),
            ipv6Enable: r.unset([key, i, "ipv6Enable"]) ? absent(`${key}[${i}].ipv6Enable`) : r.bool([key, i, "ipv6Enable"]),
            // Output: the NIC's IPv6 address (assigned when ipv6Enable is set).
            fixedIpV6: optionalAddress(c, [key, i, "fixedIpV6"]),
            // Instance-level groups; whether they cover secondary NICs is UNCONFIRMED (§8.3): applied to all.
            securityGroups,
        });
    }
    // The output accessIpV4 is "the first detected fixed IPv4 address" (compute_instance docs): the
    // primary NIC's, when its own fixedIpV4 is not given (assigned by the cloud).
    if (nics[0] && nics[0].fixedIpV4.state !== "known" && !r.unset(["accessIpV4"])) {
        const access = r.address(["accessIpV4"]);
        if (access.state === "known") nics[0].fixedIpV4 = access;
    }
    // powerAction (input), else the output status SHUTOFF of an existing server (compute_instance docs).
    let power = r.string(["powerAction"], 32);
    if (power.state === "absent") {
        const status = r.string(["status"], 32);
        if (status.state === "known" && status.value.trim().toUpperCase() === "SHUTOFF") power = { state: "known", value: "OFF" };
    }
    // accessIpV6: the primary NIC's IPv6 address (compute_instance docs), when fixedIpV6 is not reported.
    if (nics[0] && nics[0].fixedIpV6?.state !== "known" && !r.unset(["accessIpV6"])) {
        const access = r.address(["accessIpV6"]);
        if (access.state === "known" || nics[0].fixedIpV6?.state === "absent") nics[0].fixedIpV6 = access;
    }
    return entity(c, { kind: "instance", nics, userData: r.string(["userData"], 1 << 20), powerAction: power.state === "known" ? { state: "known", value: power.value.trim().toUpperCase() } : power });
}

export function interfaceAttach(c: Ctx): StandaloneNic {
    // Exactly one of networkId (a port is created) or portId (an existing Port / NetworkInterface) (§8.6).
    const attach: StandaloneNic = entity(c, {
        kind: "interfaceAttach" as const,
        instance: c.resolve.ref(["instanceId"], TARGETS.instance),
        nic: {
            urn: c.base.urn, path: "", subnet: c.resolve.ref(["networkId"], TARGETS.subnetById), fixedIpV4: optionalAddress(c, ["fixedIp"]), securityGroups: groups(c),
            ipv6Enable: c.r.unset(["ipv6Enable"]) ? absent("ipv6Enable") : c.r.bool(["ipv6Enable"]),
            fixedIpV6: optionalAddress(c, [c.r.pick("fixedIpv6", "fixedIpV6")]),
        },
    });
    if (!c.r.unset(["portId"])) attach.port = c.resolve.ref(["portId"], TARGETS.nicPort);
    return attach;
}

export function port(c: Ctx): StandaloneNic {
    const noGroups = c.r.bool(["noSecurityGroups"]);
    return entity(c, {
        kind: "port",
        // Output deviceId: the server using the port (anything else, e.g. an LB VIP, is external).
        instance: c.r.unset(["deviceId"]) ? absentRef("deviceId") : c.resolve.ref(["deviceId"], TARGETS.instance),
        nic: {
            urn: c.base.urn, path: "",
            subnet: c.resolve.ref(["networkId"], TARGETS.subnetById),
            fixedIpV4: portAddress(c),
            securityGroups: noGroups.state === "known" && noGroups.value && c.r.unset(["securityGroupIds"]) ? known([]) : groups(c),
        },
    });
}

/** The first IPv4 address of `fixedIps[].ipAddress`, else of the output `allFixedIps`; absent = assigned at creation. */
function portAddress(c: Ctx): Value<string> {
    const { r } = c;
    const fixed = r.pick("fixedIps", "fixedIp");
    for (const [key, sub] of [[fixed, ["ipAddress"]], ["allFixedIps", []]] as const) {
        const n = r.list([key], 64);
        if (n.state === "unknown" || n.state === "invalid") return n;
        for (let i = 0; n.state === "known" && i < n.value; i++) {
            const path: Path = [key, i, ...sub];
            const a = optionalAddress(c, path);
            if (a.state === "known" && !a.value.includes(":")) return a;
            if (a.state === "unknown" || a.state === "invalid") return a;
        }
    }
    return absent(`${fixed}[0].ipAddress`);
}

export function networkInterface(c: Ctx): StandaloneNic {
    return entity(c, {
        kind: "networkInterface",
        // Output instanceId: the server it is attached to.
        instance: c.r.unset(["instanceId"]) ? absentRef("instanceId") : c.resolve.ref(["instanceId"], TARGETS.instance),
        // subnetId here is the subnet `id`, sent as the API's NetworkId (§3.1, §8.5).
        nic: { urn: c.base.urn, path: "", subnet: c.resolve.ref(["subnetId"], TARGETS.subnetById), fixedIpV4: optionalAddress(c, ["fixedIpV4"]), securityGroups: groups(c) },
    });
}

export function eip(c: Ctx): Eip {
    const bound: Path = [...c.r.block("publicip"), "portId"];
    const eip: Eip = entity(c, {
        kind: "eip" as const,
        // `publicip.portId` binds the EIP to a port (§8.7); the output `portId` reports the binding.
        port: c.r.unset(bound) && !c.r.unset(["portId"]) ? c.resolve.ref(["portId"], TARGETS.port) : c.resolve.ref(bound, TARGETS.port),
    });
    const address = c.knownId("address");
    if (address !== undefined) eip.address = address;
    return eip;
}

export function eipAssociate(c: Ctx): EipAssociate {
    return entity(c, {
        kind: "eipAssociate",
        // Shared LB: portId = the LB's vipPortId (§4.1, §8.7).
        port: c.resolve.ref(["portId"], TARGETS.port),
        // publicIp is the EIP's address, not its ID.
        eip: c.resolve.ref(["publicIp"], TARGETS.eipByAddress),
    });
}
