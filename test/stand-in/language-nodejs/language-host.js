/**
 * A stand-in for Pulumi's Node.js language host (`pulumi-language-nodejs`), for end-to-end tests.
 *
 * The real host is a Go module the Go module proxy does not serve (docs/real-engine.md), and the
 * engine (v3.221 and later) starts a Node.js policy pack only through a language host: it calls
 * `RunPlugin` with kind "analyzer", and the host runs `@pulumi/pulumi/cmd/run-policy-pack` from the
 * pack's node_modules and streams its output back. That is all this stand-in does. Programs are
 * not run here: the tests run the program as an Automation API inline program and pass its
 * language server to the CLI with `--client` (test/e2e/with-program.cjs).
 *
 * Protocol: the engine starts this file with its own address among the arguments and reads the
 * port of our gRPC server from the first line of stdout.
 */
"use strict";
const { spawn } = require("node:child_process");
const grpc = require("@grpc/grpc-js");
const langrpc = require("@pulumi/pulumi/proto/language_grpc_pb");
const langproto = require("@pulumi/pulumi/proto/language_pb");
const plugproto = require("@pulumi/pulumi/proto/plugin_pb");

const VERSION = "3.276.0";
const log = (msg) => process.stderr.write(`stand-in language host: ${msg}\n`);

function unimplemented(what) {
    return { code: grpc.status.UNIMPLEMENTED, details: `the stand-in language host does not implement ${what}` };
}

/** `@pulumi/pulumi/cmd/run-policy-pack` as the pack's own node_modules resolve it. */
function runPolicyPackScript(packDir) {
    try {
        return require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
    } catch {
        return undefined;
    }
}

const service = {
    handshake(call, callback) {
        callback(null, new langproto.LanguageHandshakeResponse());
    },
    getPluginInfo(call, callback) {
        callback(null, new plugproto.PluginInfo().setVersion(VERSION));
    },
    getRequiredPlugins(call, callback) {
        callback(null, new langproto.GetRequiredPluginsResponse().setPluginsList([]));
    },
    getRequiredPackages(call, callback) {
        callback(null, new langproto.GetRequiredPackagesResponse().setPackagesList([]));
    },
    installDependencies(call) {
        // Dependencies are installed by npm before the tests; nothing to stream.
        call.end();
    },
    run(call, callback) {
        callback(unimplemented("Run (run the program as an inline program with --client)"));
    },
    runPlugin(call) {
        const req = call.request;
        const kind = req.getKind();
        const info = req.getInfo();
        const dir = (info && (info.getProgramDirectory() || info.getRootDirectory())) || req.getProgram() || req.getPwd();
        if (kind !== "analyzer") {
            call.emit("error", { code: grpc.status.UNIMPLEMENTED, details: `the stand-in language host runs only analyzer plugins (policy packs), not ${kind || "this kind"}` });
            return;
        }
        const script = runPolicyPackScript(dir);
        if (script === undefined) {
            call.emit("error", { code: grpc.status.FAILED_PRECONDITION, details: `${dir}: @pulumi/pulumi/cmd/run-policy-pack not found; run npm install in the policy pack` });
            return;
        }
        const env = { ...process.env };
        for (const kv of req.getEnvList()) {
            const i = kv.indexOf("=");
            if (i > 0) env[kv.slice(0, i)] = kv.slice(i + 1);
        }
        // run-policy-pack takes <engine-address> <program>; the engine passes its address first.
        const args = req.getArgsList();
        const child = spawn(process.execPath, [script, ...args.slice(0, 1), dir], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
        child.stdout.on("data", (b) => call.write(new langproto.RunPluginResponse().setStdout(b)));
        child.stderr.on("data", (b) => call.write(new langproto.RunPluginResponse().setStderr(b)));
        call.on("cancelled", () => child.kill());
        child.on("close", (code, signal) => {
            call.write(new langproto.RunPluginResponse().setExitcode(code ?? (signal ? 128 : 1)));
            call.end();
        });
    },
    about(call, callback) {
        callback(null, new langproto.AboutResponse().setExecutable(process.execPath).setVersion(process.version));
    },
    getProgramDependencies(call, callback) {
        callback(null, new langproto.GetProgramDependenciesResponse());
    },
};

const server = new grpc.Server();
server.addService(langrpc.LanguageRuntimeService, service);
server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
    if (err) {
        log(err.message);
        process.exit(1);
    }
    process.stdout.write(`${port}\n`);
});
process.on("SIGTERM", () => server.forceShutdown());
