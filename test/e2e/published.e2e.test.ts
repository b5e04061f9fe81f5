/**
 * The pack as Pulumi Cloud installs a published pack: `npm pack`, unpack in a temp folder,
 * `npm install` there (no tsconfig.json, no dev dependencies), then `--policy-pack <that folder>`
 * under the real CLI: the same Policies block as the repository itself gives.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, Workspace } from "./engine";
import { packHeaders, policiesBlock } from "./policies-block";

describe("the published pack (npm pack → npm install → --policy-pack)", () => {
    let ws: Workspace;
    let packDir: string;
    beforeAll(async () => {
        ws = await Workspace.create({ config: { variant: "broken" } });
        const out = path.join(ws.dir, "pack");
        fs.mkdirSync(out);
        // dist/ is built by `npm run e2e`; the tarball holds what package.json "files" lists.
        const tgz = execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", out], { cwd: ROOT, encoding: "utf8" }).trim().split("\n").pop() as string;
        execFileSync("tar", ["xzf", path.join(out, tgz), "-C", out]);
        packDir = path.join(out, "package");
        expect(fs.existsSync(path.join(packDir, "tsconfig.json"))).toBe(false);
        execFileSync("npm", ["install", "--omit=dev", "--no-audit", "--no-fund", "--prefer-offline"], { cwd: packDir, stdio: ["ignore", "ignore", "inherit"], timeout: 10 * 60_000 });
    });
    afterAll(() => ws?.remove());

    it("gives the repository's own result", async () => {
        const [published, repo] = await Promise.all([ws.preview(["--policy-pack", packDir]), ws.preview(["--policy-pack", ROOT])]);
        expect(published.code, published.stdout + published.stderr).toBe(1);
        expect(packHeaders(published.stdout)).toEqual([`❌ huaweicloud-elb-health@v0.1.0 (local: ${packDir})`]);
        expect(policiesBlock(published.stdout)).toHaveLength(12);
        expect(policiesBlock(published.stdout)).toEqual(policiesBlock(repo.stdout));
    });
});
