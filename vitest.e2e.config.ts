import { defineConfig } from "vitest/config";

/** `npm run e2e`: the suite under the real Pulumi CLI (built from source by scripts/pulumi-cli.sh). */
export default defineConfig({
    test: {
        include: ["test/e2e/**/*.e2e.test.ts"],
        // The first run builds the CLI (minutes); each case runs real pulumi processes.
        testTimeout: 15 * 60_000,
        hookTimeout: 40 * 60_000,
        pool: "forks",
        fileParallelism: false,
        reporters: ["default"],
    },
});
