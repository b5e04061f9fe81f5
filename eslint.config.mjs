// ESLint flat config: typescript-eslint's recommended rules over the shipped code, the tests, the bench and the scripts.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["dist/**", "node_modules/**", "bench/out/**", "test/fixtures/**", "test/stand-in/**", "**/*.d.ts"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { require: "readonly", module: "writable", process: "readonly", __dirname: "readonly", console: "readonly" } },
        linterOptions: { reportUnusedDisableDirectives: "error" },
        rules: {
            // `_name` marks a value read only to be left out (rest destructuring) or an unused parameter.
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", ignoreRestSiblings: true }],
        },
    },
    {
        files: ["**/*.js", "**/*.cjs"],
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
);
