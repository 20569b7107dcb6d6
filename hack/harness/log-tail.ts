import { open } from "node:fs/promises";

const TAIL_BYTES = 64 * 1024;

/**
 * The last `lines` lines of a text file (read from at most its last 64 KiB), or a note
 * saying the file could not be read; never throws, because it only decorates other errors.
 */
export async function logTail(path: string, lines = 40): Promise<string> {
  try {
    const file = await open(path, "r");
    try {
      const { size } = await file.stat();
      const length = Math.min(size, TAIL_BYTES);
      const buffer = Buffer.alloc(length);
      await file.read(buffer, 0, length, size - length);
      return lastLines(buffer.toString("utf8"), lines);
    } finally {
      await file.close();
    }
  } catch (error: unknown) {
    return `(cannot read ${path}: ${error instanceof Error ? error.message : String(error)})`;
  }
}

/** The last `count` non-empty-terminated lines of `text`, without a trailing newline. */
export function lastLines(text: string, count: number): string {
  const all = text.replace(/\n+$/, "").split("\n");
  return all.slice(Math.max(0, all.length - count)).join("\n");
}
