import { readdirSync, readFileSync } from "node:fs";

/** A live process as /proc shows it. */
export interface ProcessInfo {
  pid: number;
  /** The arguments joined by spaces. */
  commandLine: string;
}

/**
 * The live processes (zombies excluded) any of whose arguments contains `text`, read from
 * /proc; a process that exits during the scan is left out.
 */
export function processesMentioning(text: string): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").filter((arg) => arg !== "");
      if (args.some((arg) => arg.includes(text))) found.push({ pid, commandLine: args.join(" ") });
    } catch {
      // The process exited between readdir and read.
    }
  }
  return found;
}
