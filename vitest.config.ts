import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        include: ["test/**/*.test.ts"],
        // The suite under the real Pulumi CLI runs with `npm run e2e` (vitest.e2e.config.ts).
        exclude: [...configDefaults.exclude, "test/e2e/**"],
        // Engine-level tests start real pack processes (about 1 s each).
        testTimeout: 120_000,
        hookTimeout: 120_000,
        pool: "forks",
        reporters: ["default"],
    },
});
