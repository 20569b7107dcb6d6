import { readFileSync, writeFileSync } from "node:fs";

/** One line of a harness pidfile: a child that leads its own process group. */
export interface PidfileEntry {
  pid: number;
  name: string;
}

/** The file name of the pidfile inside a harness directory. */
export const PIDFILE_NAME = "pids";

/**
 * Renders entries as the pidfile format, `<pid> <name>` one per line, which the bash
 * watchdog reads with `read -r pid name`.
 */
export function formatPidfile(entries: readonly PidfileEntry[]): string {
  return entries.map((entry) => `${entry.pid} ${entry.name}\n`).join("");
}

/**
 * Parses the pidfile format; lines that are blank or do not start with a positive integer
 * are skipped, so a file cut short by a crash still yields the complete lines.
 */
export function parsePidfile(text: string): PidfileEntry[] {
  const entries: PidfileEntry[] = [];
  for (const line of text.split("\n")) {
    const match = /^(\d+) (\S+)$/.exec(line.trim());
    if (match?.[1] === undefined || match[2] === undefined) continue;
    const pid = Number(match[1]);
    if (pid > 0) entries.push({ pid, name: match[2] });
  }
  return entries;
}

/** Reads a pidfile; a missing file reads as no entries. */
export function readPidfile(path: string): PidfileEntry[] {
  try {
    return parsePidfile(readFileSync(path, "utf8"));
  } catch (error: unknown) {
    if (isMissingFile(error)) return [];
    throw error;
  }
}

/**
 * The live children of one harness, mirrored into a pidfile on every change so that the
 * watchdog and a later sweep can find them even if this process dies without notice.
 */
export class ProcessRegistry {
  readonly path: string;
  readonly #entries = new Map<number, string>();

  constructor(path: string) {
    this.path = path;
    this.#write();
  }

  /** Records a child; the pidfile lists it when this returns. */
  add(pid: number, name: string): void {
    this.#entries.set(pid, name);
    this.#write();
  }

  /** Forgets a child that has exited; the pidfile no longer lists it when this returns. */
  remove(pid: number): void {
    if (this.#entries.delete(pid)) this.#write();
  }

  #write(): void {
    const entries = [...this.#entries].map(([pid, name]) => ({ pid, name }));
    writeFileSync(this.path, formatPidfile(entries));
  }
}

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "ENOENT";
}
