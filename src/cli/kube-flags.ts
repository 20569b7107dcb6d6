import type { ParseArgsOptionsConfig } from "node:util";

/** kubectl's flags for choosing a cluster, an identity and a namespace, as `parseArgs` options. */
export const KUBE_FLAG_OPTIONS = {
  kubeconfig: { type: "string" },
  context: { type: "string" },
  namespace: { type: "string", short: "n" },
  "all-namespaces": { type: "boolean", short: "A" },
  as: { type: "string" },
  "as-group": { type: "string", multiple: true },
} as const satisfies ParseArgsOptionsConfig;

/** What {@link KUBE_FLAG_OPTIONS} parsed into. */
export interface KubeFlags {
  /** A kubeconfig file; otherwise `KUBECONFIG` (a list of files), otherwise `~/.kube/config`. */
  readonly kubeconfig?: string | undefined;
  /** A context of the kubeconfig; otherwise its current context. */
  readonly context?: string | undefined;
  /** The namespace; otherwise the context's, otherwise `default`. */
  readonly namespace?: string | undefined;
  readonly allNamespaces: boolean;
  /** A user to impersonate (`Impersonate-User`). */
  readonly as?: string | undefined;
  /** Groups to impersonate (`Impersonate-Group`); only with {@link as}. */
  readonly asGroups: readonly string[];
}

/** Parsed values of a command whose options include {@link KUBE_FLAG_OPTIONS}. */
interface KubeFlagValues {
  kubeconfig?: string | undefined;
  context?: string | undefined;
  namespace?: string | undefined;
  "all-namespaces"?: boolean | undefined;
  as?: string | undefined;
  "as-group"?: string[] | undefined;
}

/** The {@link KubeFlags} among a command's parsed values. */
export function kubeFlagsOf(values: KubeFlagValues): KubeFlags {
  return {
    kubeconfig: values.kubeconfig,
    context: values.context,
    namespace: values.namespace,
    allNamespaces: values["all-namespaces"] === true,
    as: values.as,
    asGroups: values["as-group"] ?? [],
  };
}

/** The help lines of {@link KUBE_FLAG_OPTIONS}, for a command's usage. */
export const KUBE_FLAGS_HELP = `Cluster flags (as kubectl's):
      --kubeconfig FILE     kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)
      --context NAME        kubeconfig context (default: the current context)
  -n, --namespace NAME      namespace (default: the context's, then "default")
      --as USER             impersonate USER
      --as-group GROUP      impersonate GROUP too (repeatable; needs --as)`;

/** The help line of `-A`, for the commands that take it. */
export const ALL_NAMESPACES_HELP = "  -A, --all-namespaces      every namespace";
