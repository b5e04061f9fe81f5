/** The pack's policies, in the order of the seed's troubleshooting checklist. */
import type { PolicyDefinition } from "../src/policy/definition";
import { elbPoolHasListener } from "./elb-pool-has-listener";
import { elbListenerLbHasAddress } from "./elb-listener-lb-has-address";
import { elbHealthCheckConfig } from "./elb-health-check-config";
import { elbSecurityGroupAdmitsHealthCheck } from "./elb-security-group-admits-health-check";
import { elbSecurityGroupAdmitsIcmp } from "./elb-security-group-admits-icmp";
import { elbNetworkAclAdmitsHealthCheck } from "./elb-network-acl-admits-health-check";
import { elbBackendHostFirewall } from "./elb-backend-host-firewall";
import { elbHealthCheckNotes } from "./elb-health-check-notes";
import { elbPlanValuesValid } from "./elb-plan-values-valid";

export const catalogue: readonly PolicyDefinition[] = [
    elbPoolHasListener,
    elbListenerLbHasAddress,
    elbHealthCheckConfig,
    elbSecurityGroupAdmitsHealthCheck,
    elbSecurityGroupAdmitsIcmp,
    elbNetworkAclAdmitsHealthCheck,
    elbBackendHostFirewall,
    elbHealthCheckNotes,
    elbPlanValuesValid,
];

export {
    elbPoolHasListener,
    elbListenerLbHasAddress,
    elbHealthCheckConfig,
    elbSecurityGroupAdmitsHealthCheck,
    elbSecurityGroupAdmitsIcmp,
    elbNetworkAclAdmitsHealthCheck,
    elbBackendHostFirewall,     elbHealthCheckNotes,
    elbPlanValuesValid,
};
