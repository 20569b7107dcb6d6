import type { AffectedResources, AlertSourceKind, IncidentEvent, Severity } from "../../api/v1alpha1/types.generated.ts";
import type { BudgetLimit, CreationClaim } from "./creation-budget.ts";
import type { FoldEvent } from "./incident-writer-fold.ts";

/** Where an alert lands: one Incident identity in one namespace. */
export interface IncidentTarget {
  namespace: string;
  /** The name of the identity's first Incident; later ones get `-2`, `-3`, ... */
  baseName: string;
  /** `spec.fingerprint`: the dedup identity (the alert's fingerprint, or a hash of a Playbook's dedup key). */
  fingerprint: string;
  /** An Incident whose last event is older than this stops taking new events. */
  windowMs: number;
  /** Matched Playbooks of this namespace, pinned in `spec.playbooks` when the Incident is opened. */
  playbooks: readonly string[];
}

/**
 * The spec fields an Incident opened for an alert takes from the alert (already redacted and
 * bounded); the writer adds the fingerprint, the opening occurrence and the Playbooks.
 */
export interface IncidentSpecFromAlert {
  severity: Severity;
  title: string;
  sourceKind: AlertSourceKind;
  event: IncidentEvent;
  resources: AffectedResources;
}

/** One alert to record on one target. */
export interface WriteRequest {
  target: IncidentTarget;
  spec: IncidentSpecFromAlert;
  fold: FoldEvent;
  /** What opening a new Incident for it asks of the creation budget; absent for the one never limited (the last-resort flood Incident). */
  creation?: CreationClaim;
}

/** What recording an alert did. */
export type WriteOutcome =
  /** Opened a new Incident (this event is its first occurrence). */
  | { result: "created"; name: string }
  /** Counted as one more occurrence of an open Incident. */
  | { result: "folded"; name: string }
  /** Already recorded (a redelivery): nothing changed. */
  | { result: "duplicate"; name: string }
  /** A resolved alert recorded on the open Incident. */
  | { result: "resolved"; name: string }
  /** A resolved alert with no open Incident to record it on: nothing to do. */
  | { result: "no-open-incident" }
  /** A firing alert that needed a new Incident the creation budget refused: nothing written. */
  | { result: "over-budget"; limit: BudgetLimit };
