// The benchmark's floor: what any pack costs (SDK load, gRPC, deserialization) with no work at all.
const { PolicyPack } = require("@pulumi/policy");
new PolicyPack("baseline", {
    policies: [
        { name: "noop-resource", description: "Does nothing.", enforcementLevel: "mandatory", validateResource: () => {} },
        { name: "noop-stack", description: "Does nothing.", enforcementLevel: "mandatory", validateStack: () => {} },
    ],
});
