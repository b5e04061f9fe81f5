/**
 * The policy pack entry: what `pulumi preview --policy-pack <dir>` loads (compiled to dist/index.js).
 * Constructing PolicyPack starts the gRPC server, so nothing else may import this file.
 */
import { PolicyPack } from "@pulumi/policy";
import { catalogue } from "./policies";
import { serveInOnePass } from "./src/crossguard/one-pass";
import { crossGuardPolicies } from "./src/crossguard/pack-policies";

// The one pass only makes the SDK do less work per AnalyzeStack; if it cannot apply, results are the same.
const policies = crossGuardPolicies(catalogue);

serveInOnePass(policies, () => {
    new PolicyPack("huaweicloud-elb-health", {
        description: "Catches Huawei Cloud ELB health-check failures before deployment.",
        displayName: "Huawei Cloud ELB health checks",
        provider: "huaweicloud",
        tags: ["huaweicloud", "elb", "networking"],
        policies,
    });
});
