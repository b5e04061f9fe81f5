/**
 * The policy pack entry: what `pulumi preview --policy-pack <dir>` loads (compiled to dist/index.js).
 * Constructing PolicyPack starts the gRPC server, so nothing else may import this file.
 */
import { PolicyPack } from "@pulumi/policy";
import { installSharedDeserialization } from "./src/crossguard/shared-deserialization";
import { crossGuardPolicies } from "./src/crossguard/pack-policies";

installSharedDeserialization();

new PolicyPack("huaweicloud-elb-health", {
    description: "Catches Huawei Cloud ELB health-check failures before deployment.",
    displayName: "Huawei Cloud ELB health checks",
    provider: "huaweicloud",
    tags: ["huaweicloud", "elb", "networking"],
    policies: crossGuardPolicies(),
});
