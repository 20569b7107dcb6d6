#!/usr/bin/env node
import { CLI_COMMANDS } from "./commands.ts";
import type { CliIO } from "./command.ts";
import { runCli } from "./run-cli.ts";

// The executable `kubectl-soar`: kubectl runs it as `kubectl soar` when it is on PATH.
const io: CliIO = {
  stdout: (text) => { process.stdout.write(text); },
  stderr: (text) => { process.stderr.write(text); },
  env: process.env,
  cwd: process.cwd(),
};

void runCli(process.argv.slice(2), io, CLI_COMMANDS).then((code) => {
  process.exitCode = code;
});
