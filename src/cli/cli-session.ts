import type { CliIO } from "./command.ts";
import { loadCliCluster, type CliCluster } from "./cli-kube-config.ts";
import { IncidentApi } from "./incident-api.ts";
import type { KubeFlags } from "./kube-flags.ts";

/** What a command that talks to the API server works with. */
export interface CliSession extends CliCluster {
  readonly incidents: IncidentApi;
}

/** Loads the cluster `flags` choose, runs `use` with it, and closes the connections however `use` ends. */
export async function withCliSession<T>(flags: KubeFlags, io: CliIO, use: (session: CliSession) => Promise<T>): Promise<T> {
  const cluster = loadCliCluster(flags, io);
  const incidents = new IncidentApi(cluster.kubeConfig);
  try {
    return await use({ ...cluster, incidents });
  } finally {
    incidents.close();
  }
}
