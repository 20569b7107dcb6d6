import { CliFailure, ExitCode, UsageError } from "./cli-errors.ts";
import type { CliCommand, CliIO } from "./command.ts";

/** The name the CLI goes by in help and errors: kubectl finds `kubectl-soar` on PATH as `kubectl soar`. */
export const CLI_NAME = "kubectl soar";

/** The help of `kubectl soar` itself: what it is and the command list. */
export function cliHelp(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((command) => command.name.length)) + 3;
  return `${CLI_NAME}: kube-soar's Incidents for the people in the loop.

Usage: ${CLI_NAME} COMMAND [flags]

Commands:
${commands.map((command) => `  ${command.name.padEnd(width)}${command.summary}`).join("\n")}

Run '${CLI_NAME} COMMAND --help' for a command's flags. Cluster commands take kubectl's
--kubeconfig, --context, -n/--namespace, --as and --as-group.
Exit codes: 0 ok, 1 failure (or differences found), 2 usage error.
`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs the command `args` name (`args[0]`, the rest its arguments) and resolves with the exit
 * code: 0 ok, 1 failure, 2 usage error. `--help`, `-h` and `help` print the command list (`help
 * COMMAND` the command's help); no command or an unknown one prints it to stderr with code 2. An
 * error a command throws is printed as `error: <message>` on stderr: a `UsageError` with code 2
 * and a pointer to the command's help, anything else with code 1.
 */
export async function runCli(args: readonly string[], io: CliIO, commands: readonly CliCommand[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined) {
    io.stderr(cliHelp(commands));
    return ExitCode.Usage;
  }
  if (name === "--help" || name === "-h" || name === "help") {
    const topic = name === "help" ? rest[0] : undefined;
    const command = commands.find((candidate) => candidate.name === topic);
    if (topic !== undefined && command === undefined) {
      io.stderr(`error: unknown command ${JSON.stringify(topic)}\n${cliHelp(commands)}`);
      return ExitCode.Usage;
    }
    io.stdout(command?.usage ?? cliHelp(commands));
    return ExitCode.Ok;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (command === undefined) {
    io.stderr(`error: unknown command ${JSON.stringify(name)}\n\n${cliHelp(commands)}`);
    return ExitCode.Usage;
  }
  try {
    return await command.run(rest, io);
  } catch (error: unknown) {
    if (error instanceof UsageError) {
      io.stderr(`error: ${error.message}\nSee '${CLI_NAME} ${command.name} --help'.\n`);
      return ExitCode.Usage;
    }
    io.stderr(`error: ${messageOf(error)}\n`);
    if (!(error instanceof CliFailure) && io.env.KUBECTL_SOAR_DEBUG !== undefined && error instanceof Error && error.stack !== undefined) io.stderr(`${error.stack}\n`);
    return ExitCode.Failure;
  }
}
