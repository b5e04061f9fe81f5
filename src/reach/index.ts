/** The reachability core: pure functions of the topology; no dependency on @pulumi/policy. */
export { analyzeReachability } from "./verdict";
export { healthCheckFlows } from "./flows";
export { securityGroupCheck } from "./secgroups";
export { aclCheck, evaluateAcl } from "./acls";
export type { Blocker, CheckKind, Flow, FlowCheck, MemberReachability, ReachConfig, Verdict, Witness } from "./types";
