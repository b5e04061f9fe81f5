/**
 * The program `bench/real-engine.sh` previews under the real Pulumi CLI: a VPC with two subnets,
 * then units of ten resources — a shared load balancer, listener, pool, monitor, one ECS backend
 * and its member, a security group with three rules admitting the health checks — until about
 * ELB_HEALTH_BENCH_RESOURCES resources (default 1000). Every unit is correct, so the pack does its
 * full analysis and reports nothing. Run with test/e2e/with-program.cjs.
 */
import * as hw from "../examples/web-tier/huaweicloud";

export default function program(): void {
    const target = Number(process.env.ELB_HEALTH_BENCH_RESOURCES ?? "1000");
    const vpc = new hw.Vpc("vpc", { name: "bench", cidr: "10.0.0.0/8" });
    const lbSubnet = new hw.Subnet("lb-subnet", { name: "lb", vpcId: vpc.id, cidr: "10.0.0.0/24", gatewayIp: "10.0.0.1" });
    const appSubnet = new hw.Subnet("app-subnet", { name: "app", vpcId: vpc.id, cidr: "10.1.0.0/16", gatewayIp: "10.1.0.1" });
    const units = Math.max(1, Math.round((target - 3) / 10));
    for (let u = 0; u < units; u++) {
        const sg = new hw.Secgroup(`sg-${u}`, { name: `sg-${u}` });
        for (const [i, cidr] of ["100.125.0.0/16", "100.126.0.0/16", "10.0.0.0/24"].entries()) {
            new hw.SecgroupRule(`sg-${u}-rule-${i}`, { securityGroupId: sg.id, direction: "ingress", ethertype: "IPv4", protocol: "tcp", ports: "80,8080", remoteIpPrefix: cidr, action: "allow", priority: 1 });
        }
        const server = new hw.Instance(`server-${u}`, {
            name: `server-${u}`,
            networks: [{ uuid: appSubnet.id, fixedIpV4: `10.1.${Math.floor(u / 250)}.${(u % 250) + 2}` }],
            securityGroupIds: [sg.id],
        });
        const lb = new hw.SharedLoadbalancer(`lb-${u}`, { name: `lb-${u}`, vipSubnetId: lbSubnet.ipv4SubnetId });
        const listener = new hw.SharedListener(`listener-${u}`, { protocol: "HTTP", protocolPort: 80, loadbalancerId: lb.id });
        const pool = new hw.SharedPool(`pool-${u}`, { protocol: "HTTP", lbMethod: "ROUND_ROBIN", listenerId: listener.id });
        new hw.SharedMonitor(`check-${u}`, { poolId: pool.id, type: "HTTP", port: 8080, urlPath: "/healthz", delay: 5, timeout: 3, maxRetries: 3 });
        new hw.SharedMember(`member-${u}`, { poolId: pool.id, address: server.accessIpV4, protocolPort: 80, subnetId: appSubnet.ipv4SubnetId });
    }
}
