/** tcp_wrappers patterns, the ways a script writes the files, and the ICMP echo setting (HWELB-007). */
import { describe, expect, it } from "vitest";
import { clientPattern, scanUserData, wrapperEntries, wrapperWrites } from "../../src/policy/host-hints";
import { AddressSet, parseCidr } from "../../src/net/addresses";

const cidr = (t: string) => {
    const p = parseCidr(t);
    if (!p.ok) throw new Error(t);
    return p.value;
};
const SHARED = cidr("100.125.0.0/16").union(cidr("100.126.0.0/16"));

describe("tcp_wrappers client patterns", () => {
    it.each([
        ["ALL", AddressSet.ANY],
        ["100.125.", cidr("100.125.0.0/16")],
        ["100.", cidr("100.0.0.0/8")],
        ["100.125.7.", cidr("100.125.7.0/24")],
        ["100.125.0.0/255.255.0.0", cidr("100.125.0.0/16")],
        ["100.125.0.0/16", cidr("100.125.0.0/16")],
        ["100.125.1.2", cidr("100.125.1.2/32")],
        ["[2001:db8::]/64", cidr("2001:db8::/64")],
        ["example.com", AddressSet.EMPTY],
        [".example.com", AddressSet.EMPTY],
        ["100.125.0.0/255.0.255.0", AddressSet.EMPTY],
        ["300.1.", AddressSet.EMPTY],
    ])("%s", (pattern, want) => {
        expect(clientPattern(pattern, true).equals(want)).toBe(true);
    });

    it("UNKNOWN and PARANOID may match a load balancer address when denying, never when allowing", () => {
        expect(clientPattern("UNKNOWN", true).equals(AddressSet.ANY)).toBe(true);
        expect(clientPattern("PARANOID", false).isEmpty()).toBe(true);
    });

    it("reads EXCEPT and IPv6 colons inside brackets", () => {
        const [e] = wrapperEntries([{ file: "deny", text: "ALL: ALL EXCEPT 100.125. [::1]", line: 1 }], true);
        expect(e.clients.intersect(cidr("100.125.0.0/16")).isEmpty()).toBe(true);
        expect(e.clients.contains({ family: 4, value: (100n << 24n) | (126n << 16n) })).toBe(true);
    });
});

describe("writes to /etc/hosts.deny and /etc/hosts.allow", () => {
    it("echo, printf with \\n, tee, here-documents, write_files blocks and base64 content", () => {
        const lines = [
            "echo 'ALL: 100.125.' >> /etc/hosts.deny",
            "printf 'sshd: ALL\\nALL: 10.' > /etc/hosts.allow",
            "echo 'ALL: ALL' | sudo tee -a /etc/hosts.deny",
            "cat <<EOF >> /etc/hosts.deny",
            "in.tftpd: ALL",
            "EOF",
            "write_files:",
            "- path: /etc/hosts.deny",
            "  encoding: b64",
            `  content: ${Buffer.from("ALL: 100.126.\n").toString("base64")}`,
        ];
        expect(wrapperWrites(lines).map((w) => `${w.file}@${w.line}:${w.text}`)).toEqual([
            "deny@1:ALL: 100.125.",
            "allow@2:sshd: ALL",
            "allow@2:ALL: 10.",
            "deny@3:ALL: ALL",
            "deny@5:in.tftpd: ALL",
            "deny@10:ALL: 100.126.",
            "deny@10:",
        ]);
    });
});

describe("scanUserData", () => {
    const none = new Set<4 | 6>();
    it("an allow in hosts.allow wins over hosts.deny, for the same service or ALL", () => {
        const deny = "echo 'ALL: ALL' >> /etc/hosts.deny";
        expect(scanUserData(deny, { sources: SHARED, udpFamilies: none })).toHaveLength(1);
        expect(scanUserData(`echo 'ALL: 100.125. 100.126.' >> /etc/hosts.allow\n${deny}`, { sources: SHARED, udpFamilies: none })).toEqual([]);
        expect(scanUserData(`echo 'sshd: 100.125. 100.126.' >> /etc/hosts.allow\n${deny}`, { sources: SHARED, udpFamilies: none })).toHaveLength(1);
    });

    it("icmp_echo_ignore_all only for UDP-checked families, sysctl or /proc, not commented out", () => {
        const text = "sysctl -w net.ipv4.icmp_echo_ignore_all=1\n# net.ipv6.icmp.echo_ignore_all = 1\necho 1 > /proc/sys/net/ipv6/icmp/echo_ignore_all";
        expect(scanUserData(text, { sources: SHARED, udpFamilies: none })).toEqual([]);
        expect(scanUserData(text, { sources: SHARED, udpFamilies: new Set([4]) }).map((h) => h.line)).toEqual([1]);
        expect(scanUserData(text, { sources: SHARED, udpFamilies: new Set([6]) }).map((h) => h.line)).toEqual([3]);
        expect(scanUserData("net.ipv4.icmp_echo_ignore_all = 0", { sources: SHARED, udpFamilies: new Set([4]) })).toEqual([]);
    });
});
