import { execFile } from "node:child_process";

/** How to run a short command. */
export interface RunCommandOptions {
  env?: Readonly<Record<string, string | undefined>>;
  /** Also streams the command's stderr to this process's stderr, as it comes. */
  inheritStderr?: boolean;
}

/**
 * Runs a command to completion and resolves with its stdout. Rejects with an error that
 * names the command, its exit status and its stderr when it cannot start or exits non-zero.
 */
export async function runCommand(
  command: string,
  args: readonly string[],
  options: RunCommandOptions = {},
): Promise<string> {
  return await new Promise<string>((resolve, reject) => {
    const child = execFile(
      command,
      args,
      {
        encoding: "utf8",
        maxBuffer: 16 * 1024 * 1024,
        ...(options.env === undefined ? {} : { env: { ...options.env } }),
      },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve(stdout);
          return;
        }
        const status = typeof error.signal === "string" ? `signal ${error.signal}` : `exit code ${String(error.code)}`;
        const detail = stderr.trim() === "" ? error.message : stderr.trim();
        reject(new Error(`${command} ${args.join(" ")} failed (${status}): ${detail}`, { cause: error }));
      },
    );
    if (options.inheritStderr === true) child.stderr?.pipe(process.stderr);
  });
}
