/** The project's base fixture stacks: the same topology under both token styles and both ID modes. */
import { describe, expect, it } from "vitest";
import { buildTopology } from "../../src/model/build";
import { loadBase, render, toIndexStyle } from "../support/fixture-stack";

describe("base stacks", () => {
    for (const base of ["shared-http", "dedicated-udp", "dedicated-autoscaling", "provider-dedicated-example", "provider-shared-example"]) {
        it(`${base}: same links under static/index tokens and known/unknown IDs`, () => {
            const shapes = (["known", "unknown"] as const).flatMap((mode) =>
                [loadBase(base), toIndexStyle(loadBase(base))].map((rs) => {
                    const t = buildTopology(render(rs, mode).raw);
                    return t.members.map((m) => {
                        const pool = t.poolOfMember(m);
                        const b = t.backendOfMember(m);
                        const lb = pool && t.loadBalancerOfPool(pool);
                        const groups = b.state === "nic" ? t.groupsOfNic(b.nic) : undefined;
                        const subnet = t.subnetOfMember(m);
                        return [
                            m.name, pool?.name, lb?.name, pool && t.listenersOfPool(pool).map((l) => l.name).join("+"), pool && t.monitorsOfPool(pool).length,
                            subnet?.name, subnet && t.aclOfSubnet(subnet).state, b.state, b.state === "nic" ? b.holder.name : "",
                            groups?.state === "known" ? groups.value.map((g) => g.state).join("+") : groups?.state, lb && t.hasEip(lb).state, t.findings.length,
                        ].join("/");
                    }).join(" | ");
                }),
            );
            expect(new Set(shapes).size, shapes.join("\n")).toBe(1);
            expect(shapes[0]).not.toContain("undefined");
        });
    }
});
