import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        include: ["test/**/*.test.ts"],
        // Engine-level tests start real pack processes (about 1 s each).
        testTimeout: 120_000,
        hookTimeout: 120_000,
        pool: "forks",
        reporters: ["default"],
    },
});
