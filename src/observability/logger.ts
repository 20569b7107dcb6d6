import { pino, type Logger, type LevelWithSilent } from "pino";

export type { Logger } from "pino";

/** Options for the operator's logger. */
export interface LoggerOptions {
  level: LevelWithSilent;
  /** Where JSON lines go; defaults to standard output. */
  destination?: NodeJS.WritableStream;
}

/**
 * Fields whose values never reach a log line, whatever a caller passes: passwords, tokens,
 * authorization headers and secrets, at the top level or one object down. Alert bodies have no
 * path here because no log line carries one: intake logs an alert's subject, type, severity
 * and, for a rejected one, the reason and the offending field's name.
 */
export const loggerRedactPaths: readonly string[] = [
  "password",
  "token",
  "authorization",
  "*.password",
  "*.token",
  "*.authorization",
  "*.headers.authorization",
  "*.headers.Authorization",
  "secret",
  "*.secret",
];

/**
 * A JSON logger whose messages are constant strings and whose values travel as fields; the
 * redact list is applied to every line.
 */
export function createLogger(options: LoggerOptions): Logger {
  const config = {
    level: options.level,
    base: { service: "kube-soar" },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...loggerRedactPaths], censor: "[REDACTED]" },
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return options.destination === undefined ? pino(config) : pino(config, options.destination);
}
