/** ANSI colours only for a terminal that wants them (NO_COLOR respected), or when asked for explicitly. */
export function paint(target: boolean | NodeJS.WritableStream) {
    const on = typeof target === "boolean" ? target : (target as { isTTY?: boolean }).isTTY === true && !process.env.NO_COLOR;
    const wrap = (code: number) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);
    return { red: wrap(31), yellow: wrap(33), green: wrap(32), bold: wrap(1), dim: wrap(2) };
}
