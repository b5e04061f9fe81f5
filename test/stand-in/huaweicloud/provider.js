/**
 * A stand-in `huaweicloud` resource provider for end-to-end tests under the real Pulumi engine.
 * It talks to nothing: Check echoes the inputs, Create returns a deterministic fake ID (a hash of
 * the URN) and the outputs the real provider would compute for the properties the policy pack
 * reads (README.md lists them), Update recomputes them, Read returns the stored state, Delete
 * forgets. Diff is left to the engine (it compares old and new inputs itself).
 *
 * Nothing may be written to stdout before `main`: the engine reads the port from its first line.
 */
"use strict";
const crypto = require("node:crypto");
const { main } = require("@pulumi/pulumi/provider");

const VERSION = "1.0.0";

/** Deterministic fake ID: same URN, same ID, run after run. */
function fakeId(urn) {
    return `sim-${crypto.createHash("sha256").update(urn).digest("hex").slice(0, 16)}`;
}

const first = (v) => (Array.isArray(v) && v.length > 0 ? v[0] : undefined);
const isObj = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/** Outputs the provider computes (beyond echoing the inputs), by type token. */
function computed(type, id, inputs) {
    switch (type) {
        case "huaweicloud:Vpc/subnet:Subnet":
            // The subnet's OpenStack network ID is `id`; members and load balancers name the IPv4 subnet ID.
            return { ipv4SubnetId: `${id}-v4`, subnetId: `${id}-v4`, cidr: inputs.cidr };
        case "huaweicloud:Vpc/vpc:Vpc":
            return { cidr: inputs.cidr };
        case "huaweicloud:Vpc/secgroup:Secgroup":
            return { name: inputs.name ?? id };
        case "huaweicloud:Ecs/instance:Instance": {
            const nic = first(inputs.networks);
            return { accessIpV4: isObj(nic) && typeof nic.fixedIpV4 === "string" ? nic.fixedIpV4 : "" };
        }
        case "huaweicloud:Elb/loadbalancer:Loadbalancer":
            return { vipPortId: `${id}-port`, vipAddress: typeof inputs.vipAddress === "string" ? inputs.vipAddress : "" };
        case "huaweicloud:DedicatedElb/loadbalancer:Loadbalancer":
            return inputs.ipv4SubnetId === undefined ? {} : { ipv4PortId: `${id}-port`, ipv4Address: typeof inputs.ipv4Address === "string" ? inputs.ipv4Address : "" };
        default:
            return {};
    }
}

const typeOf = (urn) => urn.split("::")[2];

main(
    {
        version: VERSION,
        async getSchema() {
            return "{}";
        },
        async check(_urn, _olds, news) {
            return { inputs: news };
        },
        async create(urn, inputs) {
            const id = fakeId(urn);
            return { id, outs: { ...inputs, ...computed(typeOf(urn), id, inputs) } };
        },
        async update(id, urn, _olds, news) {
            return { outs: { ...news, ...computed(typeOf(urn), id, news) } };
        },
        async read(id, _urn, props) {
            return { id, props };
        },
        async delete() {},
    },
    process.argv.slice(2),
);
