/**
 * Captured engine artefacts without this machine's paths (docs/real-engine.md, "Captured artefacts").
 *
 * The engine writes source positions relative to the project folder (`project:///<path>#line,col`);
 * the e2e project lives in a temp folder and the program in the repository, so they read
 * `project:///../../../<path to the repository>/examples/...`. On capture they are rewritten as if
 * the project folder were the repository's root (`project:///examples/web-tier/program.ts#78,13`),
 * so `elb-health check --format sarif` points at repository files with the default source root.
 * Absolute paths (the local pack's folder, the language host on PATH) become placeholders:
 * `<workspace>` (the test's temp folder), `<repo>`, `<home>`, `<tmp>`.
 */
import * as os from "node:os";
import * as path from "node:path";

export interface CaptureDirs {
    /** The repository. */
    root: string;
    /** The test's temp folder (holds the project folder, the state and PULUMI_HOME). */
    workspace: string;
    /** The Pulumi project folder, which source positions are relative to. */
    project: string;
    home?: string;
    tmp?: string;
}

/** Paths that mark an artefact as tied to one machine; test/cli/engine-artefacts.test.ts refuses them. */
export const MACHINE_PATHS = ["/work/", "/home/", "/tmp/", "/root/"] as const;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const posix = (p: string) => p.split(path.sep).join("/");

export function portable(text: string, dirs: CaptureDirs): string {
    let out = text.replace(/project:\/\/\/([^#"\s\\]+)/g, (all, rel: string) => {
        const fromRoot = path.relative(dirs.root, path.resolve(dirs.project, rel));
        return fromRoot !== "" && !fromRoot.startsWith("..") && !path.isAbsolute(fromRoot) ? `project:///${posix(fromRoot)}` : all;
    });
    const placeholders: [string | undefined, string][] = [
        [dirs.workspace, "<workspace>"],
        [dirs.root, "<repo>"],
        [dirs.home ?? os.homedir(), "<home>"],
        [dirs.tmp ?? os.tmpdir(), "<tmp>"],
    ];
    for (const [dir, placeholder] of placeholders) {
        if (dir && dir.length > 1) out = out.replace(new RegExp(`${escape(dir)}(?![\\w.-])`, "g"), placeholder);
    }
    return out;
}
