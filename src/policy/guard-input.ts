import type { GuardReason } from "./guard-reasons.ts";
import type { ActionType } from "../api/v1alpha1/index.ts";

/** The guards, in the order the chain evaluates them. */
export const GUARD_NAMES = ["protectedNamespace", "tenancy", "approval", "dryRun"] as const;

/** The name of one guard. */
export type GuardName = (typeof GUARD_NAMES)[number];

/** Operator-wide settings of the guards, from the operator's configuration. */
export interface GuardPolicy {
  /** Namespaces no action may touch. */
  readonly protectedNamespaces: readonly string[];
  /** Playbooks in this namespace may act in other namespaces and on cluster-scoped objects. */
  readonly privilegedNamespace: string;
  /** Operator-wide dry-run: every step is planned and rendered, nothing is changed or called. */
  readonly dryRun: boolean;
  /** Which actions need an approved approval step among the step's `needs` ancestors. */
  readonly approvalRequired: Readonly<Record<ActionType, boolean>>;
}

/** The Playbook whose step is about to run. */
export interface GuardedPlaybook {
  readonly namespace: string;
  readonly name: string;
  readonly dryRun: boolean;
}

/** The object an action step targets, after defaults and rendering. */
export interface GuardedTarget {
  readonly kind: string;
  /** Absent for cluster-scoped objects (Nodes). */
  readonly namespace?: string;
  readonly name: string;
}

/** The step about to run. Only `action` steps have a target and an approval policy. */
export type GuardedStep =
  | { readonly name: string; readonly kind: "action"; readonly action: ActionType; readonly target: GuardedTarget }
  | { readonly name: string; readonly kind: "connector" | "notify" | "job" };

/** One step of the Playbook's graph, for the approval guard's ancestry walk. */
export interface GuardedGraphNode {
  readonly name: string;
  readonly needs: readonly string[];
  /** Present for approval steps: the decision, when one was made. */
  readonly approval?: { readonly decision?: "approve" | "reject" };
}

/** Everything the guard chain decides on; it reads nothing else. */
export interface GuardInput {
  readonly policy: GuardPolicy;
  readonly playbook: GuardedPlaybook;
  readonly step: GuardedStep;
  readonly graph: readonly GuardedGraphNode[];
}

/** The chain's verdict: allowed, or refused by one guard with a reason and a message. */
export type GuardDecision =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      readonly guard: GuardName;
      /** The step's reason, as its timeline entry and Event name it. */
      readonly reason: GuardReason;
      readonly message: string;
    };
