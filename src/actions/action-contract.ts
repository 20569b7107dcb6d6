import type { AppsV1Api, CoreV1Api, NetworkingV1Api } from "@kubernetes/client-node";
import type { Logger } from "pino";
import type { LabelSelector } from "../api/label-selector.ts";
import type { ActionTargetKind } from "../api/v1alpha1/index.ts";
import type { AffectedResources } from "../api/v1alpha1/types.generated.ts";

/** The typed Kubernetes API clients actions use, all built from the operator's KubeConfig. */
export interface ActionClients {
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly networking: NetworkingV1Api;
}

/** The Incident an action runs for. */
export interface ActionIncident {
  readonly namespace: string;
  readonly name: string;
  /** The objects the Incident is about, as intake pinned them in `spec.resources`. */
  readonly resources?: AffectedResources;
}

/**
 * The object an action applies to, after defaults from the Incident were filled in and the
 * names validated. `namespace` is absent exactly when `kind` is `Node` (cluster-scoped).
 */
export interface ResolvedTarget {
  readonly kind: ActionTargetKind;
  readonly namespace?: string;
  readonly name: string;
}

/** Everything an action needs, passed in by the step engine. */
export interface ActionContext {
  readonly clients: ActionClients;
  /** Namespace of the Playbook whose step runs the action (tenancy is checked by the guards). */
  readonly playbookNamespace: string;
  readonly incident: ActionIncident;
  readonly target: ResolvedTarget;
  /**
   * Nodes no action may change (the operator's `--protected-node-selector`); undefined when
   * none is protected. Checked on the Node the action reads, whose resourceVersion guards its
   * write, so a label added in between makes the write fail rather than slip through.
   */
  readonly protectedNodes: LabelSelector | undefined;
  /** Rendered step parameters. */
  readonly params: Readonly<Record<string, string>>;
  /**
   * Send every write with the API server's `dryRun=All`: admission and RBAC run, nothing is
   * persisted, and the outcome says what would have changed.
   */
  readonly dryRun: boolean;
  readonly logger: Logger;
}

/** What an undo needs: the API clients, dry-run, and a logger. */
export interface UndoContext {
  readonly clients: ActionClients;
  /** Send every write with `dryRun=All`. */
  readonly dryRun: boolean;
  readonly logger: Logger;
}
