import { Reason } from "./constants.ts";

/**
 * Reasons the Incident reconciler writes to conditions, the timeline and Events. Each is a
 * valid condition reason, Event reason and timeline reason (PascalCase).
 */
export const IncidentReason = {
  ...Reason,
  /** A playbook run was pinned to a Playbook generation and started. */
  RunStarted: "RunStarted",
  /** A run is waiting for its Playbook to become Ready. */
  PlaybookNotReady: "PlaybookNotReady",
  /** A Playbook named by the Incident does not exist. */
  PlaybookNotFound: "PlaybookNotFound",
  /** The Playbook changed (or was recreated) while a run pinned to it was in progress. */
  PlaybookChanged: "PlaybookChanged",
  /** A step attempt failed and another attempt is scheduled. */
  StepRetrying: "StepRetrying",
  /** A dry-run step was planned and rendered; nothing was created or called. */
  DryRunRendered: "DryRunRendered",
  /** The operator is paused: no new step starts. */
  Paused: "Paused",
  /** Undoing a reversible action failed; the step's `undo` records why. */
  RevertFailed: "RevertFailed",
  /** The Incident names no playbook: there is nothing to run. */
  NoPlaybooks: "NoPlaybooks",
} as const;
