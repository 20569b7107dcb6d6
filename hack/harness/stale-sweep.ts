import { readFileSync } from "node:fs";
import { join } from "node:path";
import { signalGroup } from "./managed-process.ts";
import { PIDFILE_NAME, readPidfile, type PidfileEntry } from "./pidfile.ts";
import { waitFor } from "./wait-for.ts";

/**
 * Stops the processes that a previous, crashed run left listed in `dir`'s pidfile: SIGTERM to
 * each process group, SIGKILL to those still alive after `graceMs`. Only processes whose
 * command line mentions `dir` are touched, so a recycled pid is never signalled. Resolves
 * with the entries that were found alive; when it returns, none of them is left.
 */
export async function sweepStaleProcesses(dir: string, graceMs: number): Promise<PidfileEntry[]> {
  const stale = readPidfile(join(dir, PIDFILE_NAME)).filter((entry) => commandLineMentions(entry.pid, dir));
  if (stale.length === 0) return [];
  for (const entry of stale) signalGroup(entry.pid, "SIGTERM");
  const allGone = (): boolean => stale.every((entry) => !groupAlive(entry.pid));
  await waitFor(allGone, { timeoutMs: graceMs, description: "stale processes to exit after SIGTERM" }).catch(
    () => false, // those still alive get SIGKILL below
  );
  for (const entry of stale) signalGroup(entry.pid, "SIGKILL");
  await waitFor(allGone, {
    timeoutMs: 5_000,
    description: `stale processes of ${dir} to die after SIGKILL`,
  });
  return stale;
}

/** True when the process `pid` exists and one of its arguments contains the path `dir`. */
export function commandLineMentions(pid: number, dir: string): boolean {
  let commandLine: string;
  try {
    commandLine = readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return false;
  }
  return commandLine.split("\0").some((arg) => arg === dir || arg.includes(`${dir}/`));
}

/** True while any process of the group led by `pid` exists. */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}
