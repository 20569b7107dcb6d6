/** A command line the command cannot run: a missing argument, an unknown flag or value. Exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** A failure the user can act on, said in one message (not found, forbidden, refused). Exit code 1. */
export class CliFailure extends Error {
  override readonly name = "CliFailure";
}

/** Exit codes of `kubectl soar`. */
export const ExitCode = {
  Ok: 0,
  /** The command failed, or (lint, test) found differences. */
  Failure: 1,
  /** The command line is wrong. */
  Usage: 2,
} as const;
