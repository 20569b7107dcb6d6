import { pino, type Logger } from "pino";
import type { CliIO } from "./command.ts";

interface LogEntry {
  msg?: unknown;
  err?: { message?: unknown };
}

function line(text: string): string {
  try {
    const entry = JSON.parse(text) as LogEntry;
    const message = typeof entry.msg === "string" ? entry.msg : "";
    const cause = typeof entry.err?.message === "string" ? `: ${entry.err.message}` : "";
    return `warning: ${message}${cause}\n`;
  } catch {
    return `warning: ${text}`;
  }
}

/**
 * A logger for the operator's runtime parts the CLI reuses (the informer of `watch`): warnings
 * and errors only, each as one `warning: <message>: <cause>` line on the CLI's stderr.
 */
export function cliLogger(io: CliIO): Logger {
  return pino({ level: "warn", base: null, timestamp: false }, { write: (text: string) => { io.stderr(line(text)); } });
}
