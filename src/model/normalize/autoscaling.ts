/**
 * Auto Scaling (terraform-provider-huaweicloud docs: as_group, as_configuration). An AS group
 * registers every instance it launches in the pool of each `lbaasListeners` entry, on that entry's
 * `protocolPort`; Huawei's AS API reference: with ELB health checks, "the instances in the AS group
 * must use all the listening ports of each load balancer for health check. You can configure these
 * ports in the security group of the instances." Which groups: the AS configuration's
 * `instanceConfig.securityGroupIds` when the configuration sets them, else the AS group's
 * `securityGroups`, else the default group (as_group docs). Networks: `networks[].id` are subnet IDs.
 */
import { formatPath, type Path } from "../reader";
import type { Ref, ScalingAttach, ScalingConfiguration, ScalingGroup, Value } from "../types";
import { absent, absentRef, entity, TARGETS, type Ctx } from "./context";

export function scalingGroup(c: Ctx): ScalingGroup {
    const { r } = c;
    const registrations: ScalingGroup["registrations"] = [];
    const n = r.list(["lbaasListeners"], 64);
    for (let i = 0; n.state === "known" && i < n.value; i++) {
        const at: Path = ["lbaasListeners", i];
        registrations.push({
            path: formatPath(at),
            pool: c.resolve.ref([...at, "poolId"], TARGETS.pool),
            port: r.number([...at, "protocolPort"], 0, 65535),
            weight: r.unset([...at, "weight"]) ? { state: "known", value: 1 } : r.number([...at, "weight"], 0, 100),
            ipVersion: r.unset([...at, "protocolVersion"]) ? { state: "known", value: "ipv4" } : r.string([...at, "protocolVersion"], 16),
        });
    }
    const securityGroups: Value<Ref[]> = r.unset(["securityGroups"]) ? absent("securityGroups") : c.resolve.refList(["securityGroups"], TARGETS.securityGroup, ["id"]);
    return entity(c, {
        kind: "scalingGroup" as const,
        // The first network's NIC: the one the instances are registered with (docs/assumptions.md).
        nic: { urn: c.base.urn, path: "networks[0]", subnet: c.resolve.ref(["networks", 0, "id"], TARGETS.subnetById), fixedIpV4: absent<string>("networks[0]"), securityGroups },
        configuration: r.unset(["scalingConfigurationId"]) ? absentRef("scalingConfigurationId") : c.resolve.ref(["scalingConfigurationId"], TARGETS.scalingConfiguration),
        registrations,
    });
}

export function scalingConfiguration(c: Ctx): ScalingConfiguration {
    const { r } = c;
    // instance_config is one block: an object in the SDK, a one-element list from some bridges.
    const at = r.block(r.pick("instanceConfig", "instanceConfigs"));
    return entity(c, {
        kind: "scalingConfiguration" as const,
        securityGroups: r.unset([...at, "securityGroupIds"]) ? absent<Ref[]>(formatPath([...at, "securityGroupIds"])) : c.resolve.refList([...at, "securityGroupIds"], TARGETS.securityGroup),
        template: r.unset([...at, "instanceId"]) ? absentRef(formatPath([...at, "instanceId"])) : c.resolve.ref([...at, "instanceId"], TARGETS.instance),
    });
}

/** An instance added to an AS group: the group registers it in its pools like the instances it launches. */
export function scalingAttach(c: Ctx): ScalingAttach {
    return entity(c, {
        kind: "scalingAttach" as const,
        group: c.resolve.ref(["scalingGroupId"], TARGETS.scalingGroup),
        instance: c.resolve.ref(["instanceId"], TARGETS.instance),
    });
}
