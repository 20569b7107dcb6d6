import type { TenancyPolicy } from "../api/v1alpha1/constants.ts";
import { Reason } from "../api/v1alpha1/reasons.ts";
import type { ConnectorSpec, PlaybookSpec, ThreatFeedSpec } from "../api/v1alpha1/types.generated.ts";

/**
 * How long after a policy binding is created or changed the API server may still admit writes without it
 * (its admission loads policies and bindings from a watch). A write this close to the binding's
 * creation or change, or before it, is not taken as checked.
 */
export const POLICY_SETTLE_MS = 5_000;

/** One `metadata.managedFields` entry, as far as write times go. */
export interface ManagedFieldsTime {
  readonly time?: string | Date;
  readonly subresource?: string;
}

/** What the operator knows of one tenancy policy's binding for one namespace: since when it is in force there, or why it is not. */
export interface PolicyBindingState {
  readonly policy: TenancyPolicy;
  /**
   * When the binding took its current form (its last spec write, else its creation); undefined
   * when it is not in force for the namespace.
   */
  readonly since: Date | undefined;
  /** Why the binding is not in force, completing "the admission policy binding <name> …"; "is missing" when not given. */
  readonly absence?: string;
}

/** A Playbook, Connector or ThreatFeed to verify. */
export interface TenancySubject {
  readonly namespace: string;
  /** The fields using what only the policy vouches for; empty when there is nothing to verify. */
  readonly privilegedFields: readonly string[];
  /** The object's last write of its main resource (not status); undefined when not known. */
  readonly lastWrite: Date | undefined;
}

/** Whether the operator may act on an object's privileged fields, and if not why. */
export type TenancyVerdict =
  | { readonly verified: true }
  | { readonly verified: false; readonly reason: typeof Reason.TenancyUnverified; readonly field: string; readonly message: string };

/**
 * The latest write of an object's main resource, from its `managedFields` (entries of a
 * subresource such as status are left out: they never change the spec); undefined when none
 * records a time.
 */
export function lastSpecWrite(managedFields: readonly ManagedFieldsTime[] | undefined): Date | undefined {
  let latest: number | undefined;
  for (const entry of managedFields ?? []) {
    if (entry.subresource !== undefined && entry.subresource !== "") continue;
    if (entry.time === undefined) continue;
    const time = new Date(entry.time).getTime();
    if (Number.isNaN(time)) continue;
    latest = latest === undefined ? time : Math.max(latest, time);
  }
  return latest === undefined ? undefined : new Date(latest);
}

/** The fields of a Playbook the kube-soar-playbook-jobs policy vouches for: its Job and action steps. */
export function playbookPrivilegedFields(spec: PlaybookSpec): string[] {
  return spec.steps.flatMap((step, index) => [
    ...(step.job === undefined ? [] : [`spec.steps[${index}].job`]),
    ...(step.action === undefined ? [] : [`spec.steps[${index}].action`]),
  ]);
}

/** The fields of a Connector the kube-soar-connector-secrets policy vouches for: each Secret it names. */
export function connectorPrivilegedFields(spec: ConnectorSpec): string[] {
  return [
    ...(spec.auth === undefined ? [] : ["spec.auth.secretRef"]),
    ...(spec.urlSecretRef === undefined ? [] : ["spec.urlSecretRef"]),
    ...(spec.tls?.caSecretRef === undefined ? [] : ["spec.tls.caSecretRef"]),
    ...(spec.tls?.clientCertSecretRef === undefined ? [] : ["spec.tls.clientCertSecretRef"]),
    ...(spec.pagerduty === undefined ? [] : ["spec.pagerduty.routingKeySecretRef"]),
  ];
}

/** The fields of a ThreatFeed the kube-soar-threatfeed-sources policy vouches for: each ConfigMap and Secret it names. */
export function threatFeedPrivilegedFields(spec: ThreatFeedSpec): string[] {
  return [
    ...(spec.configMapRef === undefined ? [] : ["spec.configMapRef"]),
    ...(spec.secretRef === undefined ? [] : ["spec.secretRef"]),
    ...(spec.http?.caSecretRef === undefined ? [] : ["spec.http.caSecretRef"]),
    ...(spec.http?.authHeader === undefined ? [] : ["spec.http.authHeader.secretRef"]),
  ];
}

function unverified(field: string, message: string): TenancyVerdict {
  return { verified: false, reason: Reason.TenancyUnverified, field, message };
}

/**
 * Decides whether the operator may trust a tenant's Playbook or Connector with what only the
 * tenancy policy vouches for. Trusted: an object in the operator's own namespace (only cluster
 * administrators write there), and an object without privileged fields. Otherwise the policy's
 * binding must be in force and the object's last write must come at least {@link POLICY_SETTLE_MS}
 * after the binding took its current form, so the API server checked that write against its writer's
 * rights; every later write is checked again (the policies check the whole object, not a diff).
 */
export function verifyTenancy(subject: TenancySubject, operatorNamespace: string, binding: PolicyBindingState): TenancyVerdict {
  const [field] = subject.privilegedFields;
  if (field === undefined || subject.namespace === operatorNamespace) return { verified: true };
  if (binding.since === undefined) {
    return unverified(
      field,
      `the admission policy binding ${binding.policy} ${binding.absence ?? "is missing"}, so the API server did not check this object's writer may use it; install config/admission`,
    );
  }
  const checkedFrom = binding.since.getTime() + POLICY_SETTLE_MS;
  if (subject.lastWrite === undefined || subject.lastWrite.getTime() < checkedFrom) {
    const written = subject.lastWrite === undefined ? "at an unknown time" : `at ${subject.lastWrite.toISOString()}`;
    return unverified(
      field,
      `written ${written}, before the admission policy binding ${binding.policy} was in force (since ${binding.since.toISOString()}); re-apply it with a change (an annotation will do) so the API server checks its writer may use it`,
    );
  }
  return { verified: true };
}

/**
 * Whether the operator honours the `spec.approvals` of an Incident: in the operator's own
 * namespace always; elsewhere only when the kube-soar-incident-approvals binding is in force and
 * was when the Incident was created, so every decision recorded on it was checked to name
 * its writer, who may approve.
 */
export function verifyApprovals(incident: { readonly namespace: string; readonly createdAt: Date | undefined }, operatorNamespace: string, binding: PolicyBindingState): TenancyVerdict {
  if (incident.namespace === operatorNamespace) return { verified: true };
  if (binding.since === undefined) {
    return unverified(
      "spec.approvals",
      `approvals are not honoured: the admission policy binding ${binding.policy} ${binding.absence ?? "is missing"}, so the API server did not check who recorded them; install config/admission`,
    );
  }
  if (incident.createdAt === undefined || incident.createdAt.getTime() < binding.since.getTime() + POLICY_SETTLE_MS) {
    return unverified(
      "spec.approvals",
      `approvals are not honoured: the Incident predates the admission policy binding ${binding.policy} (in force since ${binding.since.toISOString()}), so its approvals may not have been checked`,
    );
  }
  return { verified: true };
}
