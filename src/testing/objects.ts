// Builders of kube-soar objects for tests: each returns a fresh object that satisfies the
// generated types, with the defaults below unless overridden.
import { API_VERSION, Kind } from "../api/v1alpha1/constants.ts";
import type { AlertSuppression, AlertSuppressionSpec, AlertSuppressionStatus, Incident, IncidentSpec, IncidentStatus, ObjectMeta, Playbook, PlaybookSpec, PlaybookStatus } from "../api/v1alpha1/types.generated.ts";
import { FIXED_NOW } from "./fixed-now.ts";

/** Fields that replace a builder's defaults: `metadata` and `spec` are merged one level deep. */
export interface Overrides<Spec, Status> {
  readonly metadata?: Partial<ObjectMeta>;
  readonly spec?: Partial<Spec>;
  readonly status?: Status;
}

/**
 * An Incident `inc` (uid `inc-uid`, generation 1) in namespace `ns`: a high-severity Falco
 * alert titled `miner` with fingerprint `fp`, no status unless `overrides.status` gives one.
 */
export function anIncident(overrides: Overrides<IncidentSpec, IncidentStatus> = {}): Incident {
  return {
    apiVersion: API_VERSION,
    kind: Kind.Incident,
    metadata: { name: "inc", namespace: "ns", uid: "inc-uid", generation: 1, ...overrides.metadata },
    spec: { severity: "high", title: "miner", fingerprint: "fp", source: { kind: "falco" }, ...overrides.spec },
    ...(overrides.status === undefined ? {} : { status: overrides.status }),
  };
}

/**
 * A Playbook `pb` (uid `pb-uid`, generation 1) in namespace `ns`, triggered by type `t`, with no
 * steps and no status unless overridden.
 */
export function aPlaybook(overrides: Overrides<PlaybookSpec, PlaybookStatus> = {}): Playbook {
  return {
    apiVersion: API_VERSION,
    kind: Kind.Playbook,
    metadata: { name: "pb", namespace: "ns", uid: "pb-uid", generation: 1, ...overrides.metadata },
    spec: { trigger: { types: ["t"] }, steps: [], ...overrides.spec },
    ...(overrides.status === undefined ? {} : { status: overrides.status }),
  };
}

/**
 * An AlertSuppression `sup` (uid `sup-uid`, generation 1) in namespace `ns`, created an hour
 * before `FIXED_NOW` by `alice`, silencing type `t` until an hour after `FIXED_NOW`, with no
 * status unless overridden.
 */
export function aSuppression(overrides: Overrides<AlertSuppressionSpec, AlertSuppressionStatus> = {}): AlertSuppression {
  const hour = 3_600_000;
  return {
    apiVersion: API_VERSION,
    kind: Kind.AlertSuppression,
    metadata: { name: "sup", namespace: "ns", uid: "sup-uid", generation: 1, creationTimestamp: new Date(FIXED_NOW.getTime() - hour), ...overrides.metadata },
    spec: { types: ["t"], reason: "known noise", createdBy: "alice", expiresAt: new Date(FIXED_NOW.getTime() + hour).toISOString(), ...overrides.spec },
    ...(overrides.status === undefined ? {} : { status: overrides.status }),
  };
}
