/** Reading what the real CLI prints: the "Policies:" block of `pulumi preview` / `pulumi up`. */

export interface Violation {
    policy: string;
    /** Resource name (the last URN segment). */
    resource: string;
    level: string;
}

const ITEM = /^\s+- \[(mandatory|advisory|remediate|disabled)\]\s+(?:\[severity: [a-z]+\]\s+)?(\S+)\s+\((.+)\)\s*$/;

/** The violations of every pack in the Policies block, sorted (a multiset: one entry per line). */
export function policiesBlock(stdout: string): Violation[] {
    const lines = stdout.split("\n");
    const start = lines.findIndex((l) => l === "Policies:");
    if (start < 0) return [];
    const out: Violation[] = [];
    for (const line of lines.slice(start + 1)) {
        if (/^\S/.test(line)) break; // the next section ("Diagnostics:", "Outputs:", ...)
        const m = ITEM.exec(line);
        if (!m) continue;
        const where = m[3];
        out.push({ level: m[1], policy: m[2], resource: where.slice(where.lastIndexOf(": ") + 2) });
    }
    return sortViolations(out);
}

/** The pack header lines ("❌ name@vX (local: dir)"). */
export function packHeaders(stdout: string): string[] {
    return stdout.split("\n").filter((l) => /^\s{4}(❌|⚠️|✅)/u.test(l)).map((l) => l.trim());
}

export function sortViolations(v: Violation[]): Violation[] {
    const key = (x: Violation) => `${x.level} ${x.policy} ${x.resource}`;
    return [...v].sort((a, b) => key(a).localeCompare(key(b)));
}

export const urnName = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);
