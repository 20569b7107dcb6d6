import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { signalGroup } from "./managed-process.ts";

// Runs as its own process group, so a signal aimed at the parent's group does not reach it.
// It polls its own parent pid in /proc (a dead parent reparents the watchdog even when the
// dead parent is not reaped yet), then stops every process group listed in the pidfile:
// SIGTERM, up to <grace> seconds for them to exit, SIGKILL; finally it removes <dir> if given.
const WATCHDOG_SCRIPT = String.raw`
parent=$1 pidfile=$2 grace=$3 removable=$4
trap '' INT HUP PIPE
while read -r _ _ _ ppid _ < /proc/$$/stat && [ "$ppid" = "$parent" ]; do sleep 0.5; done
signal_all() {
  [ -f "$pidfile" ] || return 0
  while read -r pid _; do [ -n "$pid" ] && kill -s "$1" -- "-$pid" 2>/dev/null; done < "$pidfile"
  return 0
}
any_alive() {
  [ -f "$pidfile" ] || return 1
  while read -r pid _; do [ -n "$pid" ] && kill -0 -- "-$pid" 2>/dev/null && return 0; done < "$pidfile"
  return 1
}
echo "parent $parent is gone; stopping the processes in $pidfile"
signal_all TERM
ticks=0
while any_alive && [ "$ticks" -lt $((grace * 2)) ]; do sleep 0.5; ticks=$((ticks + 1)); done
signal_all KILL
if [ -n "$removable" ]; then rm -rf -- "$removable"; fi
`;

/** What the watchdog guards. */
export interface WatchdogOptions {
  /** The pidfile of the harness whose children die with this process. */
  pidfile: string;
  /** The watchdog's output goes here. */
  logFile: string;
  /** Seconds between SIGTERM and SIGKILL. */
  graceSeconds: number;
  /** A directory to delete once the children are gone (a harness's own temporary directory). */
  removeDir?: string;
  /** PATH for the watchdog's `sleep`. */
  path: string;
}

/** A running watchdog; `stop()` ends it without touching the children it guards. */
export interface Watchdog {
  readonly pid: number;
  stop(): void;
}

/**
 * Starts a bash process that, as soon as this Node process dies for any reason (including
 * SIGKILL), stops every process group listed in the pidfile and removes `removeDir`. It does
 * not keep this process alive and lives in its own process group.
 */
export async function startWatchdog(options: WatchdogOptions): Promise<Watchdog> {
  const output = openSync(options.logFile, "a");
  try {
    const child = spawn(
      "bash",
      [
        "-c",
        WATCHDOG_SCRIPT,
        "kube-soar-watchdog",
        String(process.pid),
        options.pidfile,
        String(Math.ceil(options.graceSeconds)),
        options.removeDir ?? "",
      ],
      { detached: true, stdio: ["ignore", output, output], env: { PATH: options.path } },
    );
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", resolve);
      child.once("error", (error: Error) => {
        reject(new Error(`watchdog: cannot start bash: ${error.message}`, { cause: error }));
      });
    });
    const pid = child.pid;
    if (pid === undefined) throw new Error("watchdog: bash started without a pid");
    child.on("error", () => undefined);
    child.unref();
    return {
      pid,
      stop: () => {
        signalGroup(pid, "SIGKILL");
      },
    };
  } finally {
    closeSync(output);
  }
}
