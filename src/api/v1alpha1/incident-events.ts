import type { AlertSourceKind, IncidentPhase, IncidentState, PlaybookRunPhase, Severity, StepPhase } from "./types.generated.ts";

// The lifecycle CloudEvents kube-soar publishes about Incidents: their types and the shape of
// their data are API, read by SIEMs and chat bots (docs/events-out.md), so they live here.

/** The CloudEvent `type` of each lifecycle event. */
export const IncidentEventType = {
  /** The Incident was reconciled for the first time. */
  Opened: "io.kube-soar.incident.opened",
  /** More occurrences were folded in, or the severity was raised. */
  Updated: "io.kube-soar.incident.updated",
  /** The Incident reached a further escalation level. */
  Escalated: "io.kube-soar.incident.escalated",
  /** A person resolved the Incident. */
  Resolved: "io.kube-soar.incident.resolved",
  /** A person closed the Incident. */
  Closed: "io.kube-soar.incident.closed",
  /** A step of a playbook run reached its final phase. */
  StepFinished: "io.kube-soar.step.finished",
} as const;
/** One of the lifecycle CloudEvent types. */
export type IncidentEventType = (typeof IncidentEventType)[keyof typeof IncidentEventType];

/** Every lifecycle CloudEvent type, in the order events of one reconcile are published. */
export const INCIDENT_EVENT_TYPES: readonly IncidentEventType[] = Object.values(IncidentEventType);

/**
 * The shortest time between two `updated` events of one Incident: a flood folding occurrences
 * several times a second is announced every this often, with the count reached.
 */
export const UPDATED_EVENT_MIN_INTERVAL_MS = 10_000;

/** The step a `step.finished` event is about. */
export interface FinishedStepData {
  readonly playbook: string;
  readonly name: string;
  /** The final phase: Succeeded, Failed, Skipped, TimedOut or Blocked. */
  readonly phase: StepPhase;
  readonly attempts: number;
  readonly finishedAt?: string;
  /** Whether the run only planned and touched nothing. */
  readonly dryRun: boolean;
  /** The step's message, credentials redacted. */
  readonly message?: string;
}

/**
 * The `data` of every lifecycle event (`application/json`): a compact summary of the Incident
 * as the reconcile that published it wrote it. Never the alert's payload; free text (title,
 * step message) has its credentials redacted.
 */
export interface IncidentEventData {
  readonly incident: { readonly namespace: string; readonly name: string; readonly uid: string };
  readonly severity: Severity;
  readonly state: IncidentState;
  readonly phase?: IncidentPhase;
  readonly title: string;
  /** The kind of producer that raised the alert. */
  readonly source: AlertSourceKind;
  readonly occurrences: number;
  readonly firstSeen?: string;
  readonly lastSeen?: string;
  /** The Kubernetes objects the alert is about. */
  readonly resources?: { readonly namespace?: string; readonly pod?: string; readonly node?: string; readonly workload?: string };
  /** The matched playbooks, with the phase of their run once it exists. */
  readonly playbooks: readonly { readonly name: string; readonly phase?: PlaybookRunPhase }[];
  /** In `step.finished` events only. */
  readonly step?: FinishedStepData;
  /** In `escalated` events only: the level reached. */
  readonly escalation?: { readonly level: number };
}
