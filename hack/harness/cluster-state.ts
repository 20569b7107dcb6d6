import { readFileSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ControlPlaneProfile } from "./control-plane.ts";

/** What `cluster up` records about the cluster it runs, for `down` and `env`. */
export interface ClusterState {
  /** The `cluster up` process that owns the cluster. */
  pid: number;
  profile: ControlPlaneProfile;
  kubeconfig: string;
  server: string;
  natsUrl: string;
}

/** The state file's name inside the state directory. */
export const CLUSTER_STATE_FILE = "cluster.json";

/** Sub-directory of the state directory holding the control plane. */
export const CONTROL_PLANE_SUBDIR = "control-plane";

/** Sub-directory of the state directory holding NATS. */
export const NATS_SUBDIR = "nats";

/**
 * Parses a state file; rejects with an error naming the first missing or malformed field.
 */
export function parseClusterState(text: string): ClusterState {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error: unknown) {
    throw new Error(`cluster state: not JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (typeof value !== "object" || value === null) throw new Error("cluster state: expected a JSON object");
  const record = value as Record<string, unknown>;
  const requiredString = (field: string): string => {
    const item = record[field];
    if (typeof item !== "string" || item === "") throw new Error(`cluster state: ${field} must be a non-empty string`);
    return item;
  };
  const pid = record.pid;
  if (typeof pid !== "number" || !Number.isInteger(pid) || pid <= 0) {
    throw new Error("cluster state: pid must be a positive integer");
  }
  const profile = record.profile;
  if (profile !== "integration" && profile !== "e2e") {
    throw new Error('cluster state: profile must be "integration" or "e2e"');
  }
  return { pid, profile, kubeconfig: requiredString("kubeconfig"), server: requiredString("server"), natsUrl: requiredString("natsUrl") };
}

/** Reads the state file of `stateDir`; undefined when there is none. */
export function readClusterState(stateDir: string): ClusterState | undefined {
  let text: string;
  try {
    text = readFileSync(join(stateDir, CLUSTER_STATE_FILE), "utf8");
  } catch (error: unknown) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return undefined;
    throw error;
  }
  return parseClusterState(text);
}

/** Writes the state file of `stateDir`. */
export async function writeClusterState(stateDir: string, state: ClusterState): Promise<void> {
  await writeFile(join(stateDir, CLUSTER_STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
}

/** Deletes the state file of `stateDir`, if any. */
export async function removeClusterState(stateDir: string): Promise<void> {
  await rm(join(stateDir, CLUSTER_STATE_FILE), { force: true });
}

/** The shell line that points kubectl and kube-soar at the cluster: `export KUBECONFIG=… NATS_URL=…`. */
export function exportLine(state: Pick<ClusterState, "kubeconfig" | "natsUrl">): string {
  return `export KUBECONFIG=${shellQuote(state.kubeconfig)} NATS_URL=${shellQuote(state.natsUrl)}`;
}

/** `value` as one POSIX shell word: unchanged when it holds only safe characters, else single-quoted. */
export function shellQuote(value: string): string {
  if (/^[\w@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replaceAll("'", `'"'"'`)}'`;
}

/**
 * True when `pid` is a live `cluster` CLI process (its command line runs `cluster.ts`), so a
 * recycled pid in a stale state file is never mistaken for a running cluster.
 */
export function clusterProcessAlive(pid: number): boolean {
  let commandLine: string;
  try {
    commandLine = readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return false;
  }
  return commandLine.split("\0").some((arg) => arg.endsWith("cluster.ts"));
}
