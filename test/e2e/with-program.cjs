#!/usr/bin/env node
/**
 * Runs the real `pulumi` CLI on a Node.js program without a Node.js language host for programs:
 * the program runs here, as an Automation API inline program (the SDK's own language server), and
 * the CLI is pointed at it with `--client=<address>`, as the Automation API does.
 *
 *   node test/e2e/with-program.cjs <program.js> <pulumi args...>
 *
 * <program.js> is a compiled module: its default export (or `program` export), when a function,
 * is the program; otherwise requiring the module is the program and its exports are the stack
 * outputs. `pulumi` is taken from PATH. Stdio is passed through; the exit code is pulumi's.
 */
"use strict";
const path = require("node:path");
const { spawn } = require("node:child_process");
const grpc = require("@grpc/grpc-js");
const { LanguageServer } = require("@pulumi/pulumi/automation/server");
const langrpc = require("@pulumi/pulumi/proto/language_grpc_pb");

// Stack traces (and so the source positions the SDK sends with each resource) point at the
// TypeScript sources through the compiled files' source maps, as under the Node.js language host.
require(require.resolve("source-map-support/register", { paths: [path.dirname(require.resolve("@pulumi/pulumi/package.json"))] }));

async function main() {
    const [programFile, ...pulumiArgs] = process.argv.slice(2);
    if (!programFile || pulumiArgs.length === 0) {
        process.stderr.write("usage: with-program.cjs <program.js> <pulumi args...>\n");
        process.exit(2);
    }
    const file = path.resolve(programFile);
    const program = async () => {
        const m = require(file);
        const fn = typeof m.default === "function" ? m.default : typeof m.program === "function" ? m.program : undefined;
        return fn ? fn() : { ...m };
    };
    const server = new grpc.Server({ "grpc.max_receive_message_length": 1 << 30 });
    server.addService(langrpc.LanguageRuntimeService, new LanguageServer(program));
    const port = await new Promise((resolve, reject) => server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
    const child = spawn("pulumi", [...pulumiArgs, `--client=127.0.0.1:${port}`], { stdio: "inherit" });
    const forward = (sig) => () => child.kill(sig);
    process.on("SIGINT", forward("SIGINT"));
    process.on("SIGTERM", forward("SIGTERM"));
    child.on("error", (e) => {
        process.stderr.write(`with-program: cannot start pulumi: ${e.message}\n`);
        process.exit(127);
    });
    child.on("close", (code, signal) => {
        server.forceShutdown();
        process.exit(code ?? (signal ? 128 : 1));
    });
}

main().catch((e) => {
    process.stderr.write(`with-program: ${e && e.stack ? e.stack : e}\n`);
    process.exit(1);
});
