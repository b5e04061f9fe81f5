#!/usr/bin/env node
// Thin shim: the CLI is compiled to dist/ by `npm install` (prepare) or `npm run build`.
require("../dist/cli.js")
    .main(process.argv.slice(2))
    .then((code) => process.stdout.write("", () => process.exit(code)), () => process.exit(2));
