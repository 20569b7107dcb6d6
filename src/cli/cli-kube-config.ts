import { existsSync } from "node:fs";
import path from "node:path";
import type { OutgoingHttpHeaders } from "node:http";
import type https from "node:https";
import { KubeConfig } from "@kubernetes/client-node";
import { CliFailure, UsageError } from "./cli-errors.ts";
import type { CliIO } from "./command.ts";
import type { KubeFlags } from "./kube-flags.ts";

/** A KubeConfig that also sends `Impersonate-Group` for every request. */
class GroupImpersonatingKubeConfig extends KubeConfig {
  readonly #groups: readonly string[];

  constructor(groups: readonly string[]) {
    super();
    this.#groups = groups;
  }

  override async applyToHTTPSOptions(options: https.RequestOptions): Promise<void> {
    await super.applyToHTTPSOptions(options);
    const headers = (options.headers ?? {}) as OutgoingHttpHeaders;
    options.headers = { ...headers, "Impersonate-Group": [...this.#groups] };
  }
}

/** Where the CLI talks to: the KubeConfig of the chosen context and the namespace commands act in. */
export interface CliCluster {
  readonly kubeConfig: KubeConfig;
  /** `-n`, else the context's namespace, else `default`. */
  readonly namespace: string;
}

/** The kubeconfig files to read, in kubectl's order: `--kubeconfig`, else `KUBECONFIG`'s existing files, else `~/.kube/config`. */
function kubeconfigFiles(flags: KubeFlags, io: CliIO): string[] {
  if (flags.kubeconfig !== undefined) {
    const file = path.resolve(io.cwd, flags.kubeconfig);
    if (!existsSync(file)) throw new CliFailure(`--kubeconfig: ${flags.kubeconfig} does not exist`);
    return [file];
  }
  const listed = (io.env.KUBECONFIG ?? "").split(path.delimiter).filter((file) => file !== "");
  if (listed.length > 0) {
    const existing = listed.map((file) => path.resolve(io.cwd, file)).filter((file) => existsSync(file));
    if (existing.length === 0) throw new CliFailure(`KUBECONFIG: none of its files exists (${listed.join(path.delimiter)})`);
    return existing;
  }
  const home = io.env.HOME;
  const file = home === undefined ? undefined : path.join(home, ".kube", "config");
  if (file === undefined || !existsSync(file)) throw new CliFailure("no kubeconfig: pass --kubeconfig, set KUBECONFIG or create ~/.kube/config");
  return [file];
}

/**
 * Loads the kubeconfig as kubectl does (`--kubeconfig`; else the files of `KUBECONFIG`, merged,
 * the first current context winning; else `~/.kube/config`), switches to `--context`, applies
 * `--as`/`--as-group` impersonation to every request, and resolves the namespace. Environment
 * variables are read from `io`, never from the process.
 */
export function loadCliCluster(flags: KubeFlags, io: CliIO): CliCluster {
  if (flags.asGroups.length > 0 && flags.as === undefined) throw new UsageError("--as-group needs --as: a group is impersonated together with a user");
  const kubeConfig = flags.asGroups.length > 0 ? new GroupImpersonatingKubeConfig(flags.asGroups) : new KubeConfig();
  const [first, ...rest] = kubeconfigFiles(flags, io);
  try {
    if (first !== undefined) kubeConfig.loadFromFile(first);
    for (const file of rest) {
      const more = new KubeConfig();
      more.loadFromFile(file);
      kubeConfig.mergeConfig(more, true);
    }
  } catch (error: unknown) {
    throw new CliFailure(`kubeconfig: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (flags.context !== undefined) {
    if (kubeConfig.getContextObject(flags.context) === null) throw new CliFailure(`--context: no context named ${JSON.stringify(flags.context)} in the kubeconfig`);
    kubeConfig.setCurrentContext(flags.context);
  }
  const context = kubeConfig.getContextObject(kubeConfig.getCurrentContext());
  if (context === null || kubeConfig.getCurrentCluster() === null) throw new CliFailure("kubeconfig: no current context with a cluster; pass --context");
  if (flags.as !== undefined) {
    const impersonateUser = flags.as;
    kubeConfig.users = kubeConfig.users.map((user) => (user.name === context.user ? { ...user, impersonateUser } : user));
  }
  return { kubeConfig, namespace: flags.namespace ?? context.namespace ?? "default" };
}
