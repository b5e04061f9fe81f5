/**
 * The package's root folder (package.json, dist/index.js), version and published documentation,
 * from compiled (dist/src/…) or source (src/…) code alike.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export const PACK_NAME = "huaweicloud-elb-health";

interface PackageJson {
    name?: string;
    version?: string;
    homepage?: string;
    repository?: string | { type?: string; url?: string; directory?: string };
}

let cached: { root: string; version: string; pkg: PackageJson } | undefined;

function find(): { root: string; version: string; pkg: PackageJson } {
    if (cached) return cached;
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
        const file = path.join(dir, "package.json");
        if (fs.existsSync(file)) {
            const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as PackageJson;
            if (pkg.name === PACK_NAME) return (cached = { root: dir, version: pkg.version ?? "0.0.0", pkg });
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

/**
 * Where the docs are published, from package.json only (never a made-up address): `base`, the
 * repository's files on GitHub when `repository` names a GitHub repository (policy pages are
 * base + docs/policies/<name>.md); `information`, `homepage`, else the repository's README. Both
 * are undefined when package.json names neither; the docs then ship in the package (docs/).
 */
export function docsLinks(pkg: PackageJson): { base?: string; information?: string } {
    const repo = typeof pkg.repository === "string" ? pkg.repository : pkg.repository?.url;
    const m = repo ? /^(?:git\+)?(?:https?:\/\/|git@|ssh:\/\/git@)?github\.com[/:]([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(repo.trim()) ?? /^(?:github:)?([\w.-]+)\/([\w.-]+)$/.exec(repo.trim()) : null;
    const dir = typeof pkg.repository === "object" && pkg.repository.directory ? `${pkg.repository.directory.replace(/^\/+|\/+$/g, "")}/` : "";
    const base = m ? `https://github.com/${m[1]}/${m[2]}/blob/HEAD/${dir}` : undefined;
    const information = pkg.homepage && /^https?:\/\//.test(pkg.homepage) ? pkg.homepage : base ? `${base}README.md` : undefined;
    return { base, information };
}

/** docsLinks of this package. */
export function packageDocsLinks(): { base?: string; information?: string } {
    try {
        return docsLinks(find().pkg);
    } catch {
        return {};
    }
}
