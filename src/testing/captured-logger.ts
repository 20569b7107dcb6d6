import { Writable } from "node:stream";
import { pino, type Logger } from "pino";

/** A logger whose output a test reads: every line as written (raw JSON text), in order. */
export function capturedLogger(level: "debug" | "info" = "debug"): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString("utf8").trimEnd());
      callback();
    },
  });
  return { logger: pino({ level }, stream), lines };
}
