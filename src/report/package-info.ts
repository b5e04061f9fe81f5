/** The package's root folder (package.json, dist/index.js) and version, from compiled (dist/src/…) or source (src/…) code alike. */
import * as fs from "node:fs";
import * as path from "node:path";

export const PACK_NAME = "huaweicloud-elb-health";

let cached: { root: string; version: string } | undefined;

function find(): { root: string; version: string } {
    if (cached) return cached;
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
        const file = path.join(dir, "package.json");
        if (fs.existsSync(file)) {
            const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
            if (pkg.name === PACK_NAME) return (cached = { root: dir, version: pkg.version ?? "0.0.0" });
        }
        if (path.dirname(dir) === dir) throw new Error(`cannot find the ${PACK_NAME} package.json above ${__dirname}`);
    }
}

/** The folder holding package.json and the compiled pack: what `pulumi preview --policy-pack` is given. */
export function packageRoot(): string {
    return find().root;
}

export function packageVersion(): string {
    return find().version;
}
