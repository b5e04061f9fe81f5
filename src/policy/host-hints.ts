/**
 * Hints from an ECS instance's userData (cloud-init) that the guest itself drops the load balancer's
 * health checks: a host firewall, a tcp_wrappers deny (/etc/hosts.deny not lifted by /etc/hosts.allow),
 * or ICMP echo switched off (UDP checks start with an ICMP echo request).
 *
 * userData may hold secrets: a hint names the kind of command and its line, never its text; the only
 * addresses it quotes are the ELB sources it blocks (which come from the configuration, not the script).
 */
import { AddressSet, parseCidr } from "../net/addresses";
import { IntervalSet } from "../net/intervals";

export interface Hint {
    line: number;
    what: string;
}

/** What the load balancer sends the server: its source addresses and whether any check is a UDP check. */
export interface ProbeProfile {
    sources: AddressSet;
    /** Addresses the load balancer may send from when `sources` cannot be told (at preview: every address of the members' IP versions); empty = any address. */
    possible?: AddressSet;
    /** A UDP health check (UDP_CONNECT) reaches the server: it starts with an ICMP echo (IPv4 or IPv6). */
    udpFamilies: ReadonlySet<4 | 6>;
}

const MAX_TEXT = 1_000_000;
const MAX_HINTS = 10;

/** Decode base64 userData (the ECS API accepts either form). */
export function decodeUserData(text: string): string {
    const t = text.trim();
    if (t.length >= 8 && t.length % 4 === 0 && /^[A-Za-z0-9+/\r\n]+=*$/.test(t)) {
        const decoded = Buffer.from(t, "base64").toString("utf8");
        // Printable text only (tab, newline and carriage return allowed): the decoded bytes are a script, not binary.
        // eslint-disable-next-line no-control-regex
        if (/^[\x09\x0a\x0d\x20-\x7e\u00a0-\uffff]*$/.test(decoded)) return decoded;
    }
    return text;
}

/** Every hint for one server's userData. */
export function scanUserData(userData: string, probe: ProbeProfile): Hint[] {
    const lines = decodeUserData(userData).slice(0, MAX_TEXT).split(/\r?\n/);
    const hints = [...firewallHints(lines, probe.sources), ...tcpWrappersHints(lines, probe.sources, probe.possible), ...icmpEchoHints(lines, probe.udpFamilies)];
    return hints.sort((a, b) => a.line - b.line).slice(0, MAX_HINTS);
}

// ---------------------------------------------------------------------------------------------
// Host firewalls (iptables / ufw / firewalld)

const IPV4_CIDR = /\b(\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?)\b/g;

function overlaps(line: string, sources: AddressSet): boolean {
    return [...line.matchAll(IPV4_CIDR)].some((m) => {
        const p = parseCidr(m[1]);
        return p.ok && !p.value.intersect(sources).isEmpty();
    });
}

function firewallHints(lines: readonly string[], sources: AddressSet): Hint[] {
    const hints: Hint[] = [];
    const hasAccept =
        lines.some((l) => /(iptables|ip6tables).*-j\s+ACCEPT/.test(l) && overlaps(l, sources)) ||
        lines.some((l) => /ufw\s+allow\s+from/.test(l) && overlaps(l, sources)) ||
        lines.some((l) => /firewall-cmd.*(--add-source|source address)/.test(l) && overlaps(l, sources));
    if (hasAccept) return hints;
    lines.forEach((raw, i) => {
        const line = raw.replace(/^\s*#.*$/, "");
        const n = i + 1;
        if (/\b(iptables|ip6tables)\b/.test(line)) {
            if (/-P\s+INPUT\s+(DROP|REJECT)/.test(line)) hints.push({ line: n, what: "an iptables INPUT policy of DROP" });
            else if (/-[AI]\s+INPUT\b/.test(line) && /-j\s+(DROP|REJECT)/.test(line) && (!/\s-s\s/.test(line) || overlaps(line, sources))) {
                hints.push({ line: n, what: "an iptables INPUT rule that drops traffic including the ELB source" });
            }
        } else if (/\bufw\b/.test(line) && (/ufw\s+default\s+deny/.test(line) || (/ufw\s+deny\s+from/.test(line) && overlaps(line, sources)))) {
            hints.push({ line: n, what: "a ufw rule that denies incoming traffic" });
        } else if (/firewall-cmd/.test(line) && (/--set-default-zone=(drop|block)/.test(line) || /--panic-on/.test(line))) {
            hints.push({ line: n, what: "a firewalld default zone that drops incoming traffic" });
        }
    });
    return hints;
}

// ---------------------------------------------------------------------------------------------
// tcp_wrappers: /etc/hosts.allow and /etc/hosts.deny (hosts_access(5))

/** A line written to /etc/hosts.allow or /etc/hosts.deny, and the userData line that writes it. */
export interface WrittenLine {
    file: "allow" | "deny";
    text: string;
    line: number;
}

const WRAPPER_FILE = /\/etc\/hosts\.(allow|deny)\b/;

/**
 * The lines a script writes to the tcp_wrappers files: `echo`/`printf ... >> /etc/hosts.deny`, a here-document
 * (`cat <<EOF > /etc/hosts.deny`, `tee -a /etc/hosts.deny <<EOF`), and cloud-init `write_files` entries
 * (`path: /etc/hosts.deny` with `content: |` block, an inline `content`, or `encoding: b64`).
 */
export function wrapperWrites(lines: readonly string[]): WrittenLine[] {
    const out: WrittenLine[] = [];
    for (let i = 0; i < lines.length; i++) {
        const line = lines[i];
        const file = WRAPPER_FILE.exec(line);
        // cloud-init write_files entry: "- path: /etc/hosts.deny" (content before or after path, same item).
        const yamlPath = /^(\s*)(-\s+)?path:\s*['"]?\/etc\/hosts\.(allow|deny)['"]?\s*$/.exec(line);
        if (yamlPath) {
            out.push(...writeFilesContent(lines, i, yamlPath[3] as "allow" | "deny"));
            continue;
        }
        if (!file || /^\s*#/.test(line)) continue;
        const which = file[1] as "allow" | "deny";
        // Here-document: `<<EOF`, `<<-'EOF'`, `<< "EOF"`.
        const heredoc = /<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/.exec(line);
        if (heredoc && /(>>?|\btee\b)/.test(line)) {
            const end = heredoc[2];
            for (let j = i + 1; j < lines.length; j++) {
                if (lines[j].trim() === end) {
                    i = j;
                    break;
                }
                out.push({ file: which, text: lines[j], line: j + 1 });
                if (j === lines.length - 1) i = j;
            }
            continue;
        }
        // echo / printf with the entry in quotes (or bare words) before a redirect to the file.
        const echo = /\b(?:echo|printf)\s+(?:-[neE]+\s+)*(?:(['"])(.*?)\1|([^>'"]+?))\s*(?:\|\s*(?:sudo\s+)?tee\s+(?:-a\s+)?|>>?\s*)\/etc\/hosts\.(?:allow|deny)/.exec(line);
        if (echo) {
            const text = (echo[2] ?? echo[3] ?? "").replace(/\\n/g, "\n");
            for (const t of text.split("\n")) out.push({ file: which, text: t, line: i + 1 });
            continue;
        }
        // Something else writes the file on this line (sed, a variable): keep the bare entry if one is visible.
        const bare = /['"]([^'"]*:[^'"]*)['"]/.exec(line);
        if (bare) out.push({ file: which, text: bare[1], line: i + 1 });
    }
    return out;
}

/** The `content` of the cloud-init write_files item whose `path` is on line `at`. */
function writeFilesContent(lines: readonly string[], at: number, file: "allow" | "deny"): WrittenLine[] {
    const pathIndent = /^(\s*)(-\s+)?/.exec(lines[at])!;
    const itemIndent = pathIndent[1].length + (pathIndent[2]?.length ?? 0);
    // The item runs from its "- " line to the next line at a lesser indent or a new "- " at the list's indent.
    let start = at;
    if (!pathIndent[2]) {
        for (let j = at - 1; j >= 0; j--) {
            const m = /^(\s*)-\s+/.exec(lines[j]);
            if (m && m[1].length + 2 <= itemIndent) {
                start = j;
                break;
            }
            if (lines[j].trim() !== "" && indentOf(lines[j]) < itemIndent) break;
        }
    }
    let end = lines.length;
    for (let j = at + 1; j < lines.length; j++) {
        if (lines[j].trim() === "") continue;
        const ind = indentOf(lines[j]);
        if (ind < itemIndent || (ind === itemIndent - 2 && /^\s*-\s/.test(lines[j])) || (/^\s*-\s/.test(lines[j]) && ind < itemIndent)) {
            end = j;
            break;
        }
    }
    const item = lines.slice(start, end);
    const b64 = item.some((l) => /^\s*(-\s+)?encoding:\s*['"]?(b64|base64)['"]?\s*$/.test(l));
    const out: WrittenLine[] = [];
    for (let k = 0; k < item.length; k++) {
        const m = /^(\s*)(-\s+)?content:\s*(.*)$/.exec(item[k]);
        if (!m) continue;
        const rest = m[3].trim();
        const lineNo = start + k + 1;
        if (/^[|>][+-]?\d*$/.test(rest)) {
            // Block scalar: the following more-indented lines.
            const base = m[1].length + (m[2]?.length ?? 0);
            const block: { text: string; line: number }[] = [];
            for (let j = k + 1; j < item.length; j++) {
                if (item[j].trim() !== "" && indentOf(item[j]) <= base) break;
                block.push({ text: item[j].trim(), line: start + j + 1 });
            }
            if (b64) for (const t of decodeB64(block.map((b) => b.text).join(""))) out.push({ file, text: t, line: lineNo });
            else for (const b of block) out.push({ file, text: b.text, line: b.line });
        } else {
            const unquoted = rest.replace(/^(['"])(.*)\1$/, "$2");
            const text = b64 ? decodeB64(unquoted) : unquoted.replace(/\\n/g, "\n").split("\n");
            for (const t of text) out.push({ file, text: t, line: lineNo });
        }
    }
    return out;
}

function decodeB64(text: string): string[] {
    try {
        return Buffer.from(text.replace(/\s+/g, ""), "base64").toString("utf8").split(/\r?\n/);
    } catch {
        return [];
    }
}

function indentOf(line: string): number {
    return /^\s*/.exec(line)![0].length;
}

/** The clients of one tcp_wrappers entry that can be told from addresses alone. */
export interface WrapperEntry {
    /** Daemon list: `ALL` matches every service. */
    daemons: string[];
    /** The addresses the client list matches for certain. */
    clients: AddressSet;
    line: number;
}

/**
 * Services that are not what a load balancer checks (remote login, mail, file transfer, RPC): an entry
 * naming only these does not concern the health check.
 */
const NOT_CHECKED_SERVICES = new Set(["sshd", "sshd2", "in.telnetd", "telnetd", "vsftpd", "proftpd", "in.ftpd", "ftpd", "sendmail", "smtpd", "portmap", "rpcbind", "mountd", "rpc.mountd", "statd", "rpc.statd", "lockd", "in.rshd", "in.rlogind", "in.fingerd", "cupsd"]);

/**
 * One client pattern of hosts_access(5) as addresses: `ALL`; `n.n.n.n`; a prefix ending in a dot
 * (`100.125.`); `net/mask` (`100.125.0.0/255.255.0.0`); `net/len` (CIDR); `[v6]` or `[v6]/len`. `UNKNOWN`
 * and `PARANOID` match hosts whose name cannot be verified, which load-balancer addresses may well be:
 * counted for denies (`forDeny`), not for allows. Host names, `.domain`, `@netgroup`, `LOCAL`, `KNOWN`
 * and file patterns: no address set can be told (none).
 */
export function clientPattern(token: string, forDeny: boolean): AddressSet {
    const t = token.trim();
    if (t === "") return AddressSet.EMPTY;
    const upper = t.toUpperCase();
    if (upper === "ALL") return AddressSet.ANY;
    if (upper === "UNKNOWN" || upper === "PARANOID") return forDeny ? AddressSet.ANY : AddressSet.EMPTY;
    const prefix = /^(\d{1,3})\.(?:(\d{1,3})\.)?(?:(\d{1,3})\.)?$/.exec(t);
    if (prefix) {
        const octets = [prefix[1], prefix[2], prefix[3]].filter((o): o is string => o !== undefined).map(Number);
        if (octets.some((o) => o > 255)) return AddressSet.EMPTY;
        const p = parseCidr(`${[...octets, 0, 0, 0].slice(0, 4).join(".")}/${octets.length * 8}`);
        return p.ok ? p.value : AddressSet.EMPTY;
    }
    const netmask = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,3}(?:\.\d{1,3}){3})$/.exec(t);
    if (netmask) return netMask(netmask[1], netmask[2]);
    const v6 = /^\[([0-9A-Fa-f:.]+)\](?:\/(\d{1,3}))?$/.exec(t);
    if (v6) {
        const p = parseCidr(v6[2] !== undefined ? `${v6[1]}/${v6[2]}` : v6[1]);
        return p.ok ? p.value : AddressSet.EMPTY;
    }
    if (/^\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?$/.test(t)) {
        const p = parseCidr(t);
        return p.ok ? p.value : AddressSet.EMPTY;
    }
    return AddressSet.EMPTY;
}

const quad = (t: string): bigint | undefined => {
    const parts = t.split(".").map(Number);
    if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
    return parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n);
};

/** `net/mask`: the addresses a with (a & mask) == net. Exact for contiguous masks; others match nothing certain. */
function netMask(netText: string, maskText: string): AddressSet {
    const net = quad(netText);
    const mask = quad(maskText);
    if (net === undefined || mask === undefined) return AddressSet.EMPTY;
    const len = mask.toString(2).padStart(32, "0").replace(/0+$/, "");
    if (len.includes("0")) return AddressSet.EMPTY;
    const size = 1n << BigInt(32 - len.length);
    const lo = net & mask;
    return AddressSet.ofFamily(4, IntervalSet.of(lo, lo + size - 1n));
}

/** Split on the entry's colons, outside `[...]` (IPv6 patterns). */
function splitFields(text: string): string[] {
    const out: string[] = [];
    let depth = 0;
    let cur = "";
    for (const ch of text) {
        if (ch === "[") depth++;
        if (ch === "]") depth = Math.max(0, depth - 1);
        if (ch === ":" && depth === 0) {
            out.push(cur);
            cur = "";
        } else cur += ch;
    }
    out.push(cur);
    return out;
}

/** A client list with `EXCEPT` (right-associative: `a EXCEPT b EXCEPT c` = a minus (b minus c)). */
function clientList(text: string, forDeny: boolean): AddressSet {
    const parts = text.split(/\s+EXCEPT\s+/i);
    let set = AddressSet.EMPTY;
    for (let i = parts.length - 1; i >= 0; i--) {
        const here = parts[i]
            .split(/[\s,]+/)
            .filter((t) => t !== "")
            // The excepted part of a deny is what is NOT denied: read it the allow way (certain matches only).
            .reduce((acc, t) => acc.union(clientPattern(t, i % 2 === 0 ? forDeny : !forDeny)), AddressSet.EMPTY);
        set = i === parts.length - 1 ? here : here.subtract(set);
    }
    return set;
}

/** Parse the lines written to one tcp_wrappers file into entries (backslash continuations joined, comments dropped). */
export function wrapperEntries(lines: readonly WrittenLine[], forDeny: boolean): WrapperEntry[] {
    const out: WrapperEntry[] = [];
    let pending = "";
    let pendingLine = 0;
    for (const l of lines) {
        const text = l.text.replace(/#.*$/, "");
        if (pending === "") pendingLine = l.line;
        if (/\\\s*$/.test(text)) {
            pending += text.replace(/\\\s*$/, " ");
            continue;
        }
        const full = pending + text;
        pending = "";
        const fields = splitFields(full);
        if (fields.length < 2) continue;
        const daemons = fields[0].split(/\s+EXCEPT\s+/i)[0].split(/[\s,]+/).filter((d) => d !== "");
        if (daemons.length === 0) continue;
        out.push({ daemons, clients: clientList(fields[1], forDeny), line: pendingLine });
    }
    return out;
}

const coversAll = (daemons: readonly string[]) => daemons.some((d) => d.toUpperCase() === "ALL");

function tcpWrappersHints(lines: readonly string[], elb: AddressSet, possible?: AddressSet): Hint[] {
    // Sources not known (a dedicated LB whose backend subnet cannot be told): any address of the members' IP versions may be one.
    const unknownSources = elb.isEmpty();
    const sources = unknownSources ? (possible && !possible.isEmpty() ? possible : AddressSet.ANY) : elb;
    const writes = wrapperWrites(lines);
    if (writes.length === 0) return [];
    const allows = wrapperEntries(writes.filter((w) => w.file === "allow"), false);
    const denies = wrapperEntries(writes.filter((w) => w.file === "deny"), true);
    const hints: Hint[] = [];
    for (const deny of denies) {
        // Entries naming only services a load balancer does not check (sshd, ...) are not about the health check.
        if (!coversAll(deny.daemons) && deny.daemons.every((d) => NOT_CHECKED_SERVICES.has(d.toLowerCase()))) continue;
        // hosts.allow is read first: an allow for the same service (or ALL) wins.
        const lifted = allows
            .filter((a) => coversAll(a.daemons) || a.daemons.some((d) => deny.daemons.includes(d)))
            .reduce((acc, a) => acc.union(a.clients), AddressSet.EMPTY);
        const denied = deny.clients.subtract(lifted).intersect(sources);
        if (denied.isEmpty()) continue;
        const all = sources.subtract(denied).isEmpty();
        hints.push({
            line: deny.line,
            what: `an /etc/hosts.deny entry that denies ${unknownSources ? "addresses the load balancer may send from" : all ? "the ELB source" : `part of the ELB source (${denied.toCidrs().slice(0, 4).join(", ")})`}${lifted.isEmpty() ? "" : " not lifted by /etc/hosts.allow"}`,
        });
    }
    return hints;
}

// ---------------------------------------------------------------------------------------------
// ICMP echo: UDP health checks start with an ICMP echo request.

/** `echo 1 > FILE`, `echo -n 1 >> FILE`, `printf '1\n' > FILE`, `echo 1 | sudo tee [-a] FILE`. */
const writesOne = (file: string) => new RegExp(`\\b(?:echo|printf)\\s+(?:-[ne]+\\s+)?["']?1(?:\\\\n)?["']?\\s*(?:>+|\\|\\s*(?:sudo\\s+)?tee(?:\\s+-a)?)\\s*${file}\\b`);
const IGNORE_ECHO: Record<4 | 6, readonly RegExp[]> = {
    // sysctl -w net.ipv4.icmp_echo_ignore_all=1, a sysctl.conf line, or 1 written to /proc/sys/net/ipv4/icmp_echo_ignore_all.
    4: [/net[./]ipv4[./]icmp_echo_ignore_all\s*=\s*["']?1\b/, writesOne("\\/proc\\/sys\\/net\\/ipv4\\/icmp_echo_ignore_all")],
    6: [/net[./]ipv6[./]icmp[./]echo_ignore_all\s*=\s*["']?1\b/, writesOne("\\/proc\\/sys\\/net\\/ipv6\\/icmp\\/echo_ignore_all")],
};

function icmpEchoHints(lines: readonly string[], families: ReadonlySet<4 | 6>): Hint[] {
    const hints: Hint[] = [];
    lines.forEach((raw, i) => {
        if (/^\s*#/.test(raw)) return;
        for (const f of families) {
            if (IGNORE_ECHO[f].some((re) => re.test(raw))) hints.push({ line: i + 1, what: `a setting that makes the server ignore ICMP${f === 6 ? "v6" : ""} echo requests (icmp_echo_ignore_all), which UDP health checks send first` });
        }
    });
    return hints;
}
