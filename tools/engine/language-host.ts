// A stand-in for pulumi-language-nodejs, Pulumi's Node.js language host, which cannot be built
// here (its Go module has no version the module proxy serves). The engine starts it from PATH
// (tools/engine/plugins/pulumi-language-nodejs) with its own address as the last argument, reads
// the port from its first line of output, and calls Run for each preview or update. Run starts
// the program as the real host does (language-host-command.ts): `node <nodeargs> <SDK's
// cmd/run> <flags> <entry point>` in the directory the engine started the host in (the
// project's), with Pulumi.yaml's runtime options, so the program loads through its own entry
// point, package.json's `main` and the `--require` its nodeargs name, exactly as on a user's
// machine. RunPlugin starts a policy pack directory
// given to `--policy-pack` with the SDK's policy runner, streaming its output to the engine; the
// real host's proxy that hands the pack the stack's configuration before it starts is left out
// (the pack's rules read no configuration). The calls the engine may make and this stand-in does
// not serve (Handshake, GetRequiredPackages, About...) answer UNIMPLEMENTED, which the engine
// accepts from older hosts (sdk/go/common/resource/plugin/langruntime_plugin.go).
//
// MULTICLOUD_LANGUAGE_HOST_LOG, when set, is a file that gets one JSON line per program started
// (the node arguments and the runtime options) and per policy pack (`plugin` and the arguments),
// so a test can see what ran.
import { spawn } from "node:child_process";
import { appendFileSync } from "node:fs";
import { createRequire } from "node:module";
import type * as grpcModule from "@grpc/grpc-js";
import * as langrpc from "@pulumi/pulumi/proto/language_grpc_pb";
import * as langproto from "@pulumi/pulumi/proto/language_pb";
import * as plugproto from "@pulumi/pulumi/proto/plugin_pb";
import {
  type PluginFields,
  pluginCommand,
  programCommand,
  type RunFields,
  runOutcome,
} from "./language-host-command";

// The gRPC library the SDK's generated services were built with, taken from the SDK's own place.
const sdkRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const grpc = sdkRequire("@grpc/grpc-js") as typeof grpcModule;

/** The host is versioned with the SDK it comes with. */
const HOST_VERSION = (sdkRequire("./package.json") as { version: string }).version;

function runFields(request: langproto.RunRequest): RunFields {
  const info = request.getInfo();
  return {
    monitorAddress: request.getMonitorAddress(),
    organization: request.getOrganization(),
    project: request.getProject(),
    stack: request.getStack(),
    rootDirectory: info?.getRootDirectory() ?? "",
    programDirectory: info?.getProgramDirectory() ?? request.getPwd(),
    entryPoint: info?.getEntryPoint() || ".",
    dryRun: request.getDryrun(),
    parallel: request.getParallel(),
    args: request.getArgsList(),
    config: new Map(request.getConfigMap().entries()),
    configSecretKeys: request.getConfigsecretkeysList(),
    options: (info?.getOptions()?.toJavaScript() ?? {}) as Record<string, unknown>,
  };
}

/** Starts the program and resolves with what the host answers once it has ended. */
function runProgram(fields: RunFields, engineAddress: string): Promise<langproto.RunResponse> {
  const response = new langproto.RunResponse();
  let command: ReturnType<typeof programCommand>;
  try {
    const runPath = require.resolve("@pulumi/pulumi/cmd/run", {
      paths: [fields.programDirectory],
    });
    command = programCommand(fields, runPath, engineAddress);
  } catch (error) {
    response.setError(error instanceof Error ? error.message : String(error));
    return Promise.resolve(response);
  }
  const log = process.env.MULTICLOUD_LANGUAGE_HOST_LOG;
  if (log)
    appendFileSync(log, `${JSON.stringify({ args: command.args, options: fields.options })}\n`);
  return new Promise((resolve) => {
    // In the host's own directory, which the engine chose when it started it: the real host sets
    // none for the program either.
    const child = spawn(process.execPath, command.args, {
      env: { ...process.env, ...command.env },
      stdio: ["ignore", "inherit", "inherit"],
    });
    child.on("error", (error) => {
      response.setError(`Problem executing program (could not run language executor): ${error}`);
      resolve(response);
    });
    child.on("close", (code) => {
      const outcome = runOutcome(code ?? 1);
      response.setError(outcome.error);
      response.setBail(outcome.bail);
      resolve(response);
    });
  });
}

function pluginFields(request: langproto.RunPluginRequest): PluginFields {
  const info = request.getInfo();
  return {
    kind: request.getKind(),
    programDirectory: info?.getProgramDirectory() ?? request.getPwd(),
    args: request.getArgsList(),
    env: request.getEnvList(),
    options: (info?.getOptions()?.toJavaScript() ?? {}) as Record<string, unknown>,
  };
}

/** Runs a policy pack, streaming its output and then its exit code, as RunPlugin answers. */
function runPlugin(
  call: grpcModule.ServerWritableStream<langproto.RunPluginRequest, langproto.RunPluginResponse>,
): void {
  const fields = pluginFields(call.request);
  let command: ReturnType<typeof pluginCommand>;
  try {
    const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", {
      paths: [fields.programDirectory],
    });
    command = pluginCommand(fields, runner);
  } catch (error) {
    call.destroy(error instanceof Error ? error : new Error(String(error)));
    return;
  }
  const log = process.env.MULTICLOUD_LANGUAGE_HOST_LOG;
  if (log) appendFileSync(log, `${JSON.stringify({ plugin: fields.kind, args: command.args })}\n`);
  const child = spawn(process.execPath, command.args, {
    cwd: command.cwd,
    env: command.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (chunk: Buffer) =>
    call.write(new langproto.RunPluginResponse().setStdout(chunk)),
  );
  child.stderr.on("data", (chunk: Buffer) =>
    call.write(new langproto.RunPluginResponse().setStderr(chunk)),
  );
  child.on("error", (error) => call.destroy(error));
  child.on("close", (code) => {
    call.write(new langproto.RunPluginResponse().setExitcode(code ?? 1));
    call.end();
  });
  // The engine ends the call when it stops the pack.
  call.on("cancelled", () => child.kill());
}

function main(): void {
  // The engine's address comes last; flags such as -tracing come before it.
  const engineAddress =
    process.argv
      .slice(2)
      .filter((arg) => !arg.startsWith("-"))
      .pop() ?? "";
  const server = new grpc.Server();
  server.addService(langrpc.LanguageRuntimeService, {
    getRequiredPlugins(
      _call: grpcModule.ServerUnaryCall<langproto.GetRequiredPluginsRequest, unknown>,
      callback: grpcModule.sendUnaryData<langproto.GetRequiredPluginsResponse>,
    ) {
      // The plugins are found on PATH when the program registers its providers.
      callback(null, new langproto.GetRequiredPluginsResponse().setPluginsList([]));
    },
    getPluginInfo(
      _call: grpcModule.ServerUnaryCall<unknown, unknown>,
      callback: grpcModule.sendUnaryData<plugproto.PluginInfo>,
    ) {
      callback(null, new plugproto.PluginInfo().setVersion(HOST_VERSION));
    },
    runPlugin,
    run(
      call: grpcModule.ServerUnaryCall<langproto.RunRequest, unknown>,
      callback: grpcModule.sendUnaryData<langproto.RunResponse>,
    ) {
      runProgram(runFields(call.request), engineAddress).then(
        (response) => callback(null, response),
        (error: unknown) => callback(error as grpcModule.ServiceError, null),
      );
    },
  });
  server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => {
    if (error) {
      console.error(`language host: ${error.message}`);
      process.exit(1);
    }
    process.stdout.write(`${port}\n`);
  });
}

if (require.main === module) main();
