/** ANSI colours (picocolors) only for a terminal that wants them (NO_COLOR respected), or when asked for explicitly. */
import { createColors } from "picocolors";

export function paint(target: boolean | NodeJS.WritableStream) {
    const on = typeof target === "boolean" ? target : (target as { isTTY?: boolean }).isTTY === true && !process.env.NO_COLOR;
    const c = createColors(on);
    return { red: c.red, yellow: c.yellow, green: c.green, bold: c.bold, dim: c.dim };
}
