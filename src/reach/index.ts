/** The reachability core: pure functions of the topology; no dependency on @pulumi/policy. */
export { analyzeReachability, memberReachability } from "./verdict";
export { healthCheckFlows, memberContext, memberIpVersion, onlyLayer7, type FlowsResult, type MemberContext } from "./flows";
export { securityGroupCheck } from "./secgroups";
export { admittedSources, securityGroupBounds, type GroupOnFlow, type SecurityGroupBounds } from "./secgroup-eval";
export { aclCheck } from "./acls";
export { evaluateAcl, sourcePortCells, type AclCell, type AclEvaluation, type AclSide } from "./acl-eval";
export { shadowedAclRules } from "./acl-explain";
export { defaultReachConfig, SHARED_ELB_SOURCE_RANGES } from "./types";
export type { AclRuleAt, Blocker, CheckKind, FixAction, Flow, FlowCheck, FlowPurpose, MemberReachability, ReachConfig, Shadowing, Verdict, Witness } from "./types";
export { missing, type AclRuleRef, type Missing, type Note, type RuleField, type SourceLabel, type Subject } from "./notes";
