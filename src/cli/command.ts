/** Where a command writes its output and finds its environment: injected, so commands run in tests as in a process. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** One `kubectl soar` subcommand. */
export interface CliCommand {
  readonly name: string;
  /** One line for the command list of `kubectl soar --help`. */
  readonly summary: string;
  /** The full help of the command, printed by `kubectl soar <name> --help`. */
  readonly usage: string;
  /** Runs with the arguments after the command name; resolves to the process exit code. */
  run(args: readonly string[], io: CliIO): Promise<number>;
}
