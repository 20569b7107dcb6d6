import type { CoreV1Api } from "@kubernetes/client-node";
import { Reason } from "../api/v1alpha1/reasons.ts";
import type { ConnectorSpec } from "../api/v1alpha1/types.generated.ts";
import { classifyApiError, TransientError } from "../runtime/errors.ts";
import { specProblem } from "./spec-check.ts";
import { TLS_SECRET_TYPE } from "./tls-material.ts";

/** A Secret the Connector needs, with the keys (and type) it needs in it. */
export interface SecretRequirement {
  /** The spec field that references it, for messages. */
  readonly field: string;
  readonly secret: string;
  readonly keys: readonly string[];
  readonly type?: string;
}

/** Every Secret a Connector references, one entry per reference. */
export function connectorSecretRequirements(spec: ConnectorSpec): SecretRequirement[] {
  const requirements: SecretRequirement[] = [];
  if (spec.urlSecretRef !== undefined) requirements.push({ field: "spec.urlSecretRef", secret: spec.urlSecretRef.name, keys: [spec.urlSecretRef.key] });
  if (spec.auth !== undefined) requirements.push({ field: "spec.auth.secretRef", secret: spec.auth.secretRef.name, keys: [spec.auth.secretRef.key] });
  if (spec.tls?.caSecretRef !== undefined) requirements.push({ field: "spec.tls.caSecretRef", secret: spec.tls.caSecretRef.name, keys: [spec.tls.caSecretRef.key] });
  if (spec.tls?.clientCertSecretRef !== undefined) {
    requirements.push({ field: "spec.tls.clientCertSecretRef", secret: spec.tls.clientCertSecretRef.name, keys: ["tls.crt", "tls.key"], type: TLS_SECRET_TYPE });
  }
  if (spec.pagerduty !== undefined) {
    const ref = spec.pagerduty.routingKeySecretRef;
    requirements.push({ field: "spec.pagerduty.routingKeySecretRef", secret: ref.name, keys: [ref.key] });
  }
  return requirements;
}

/** What the controller saw of one Secret: absent, unreadable, or its type and key names. */
export type ObservedSecret =
  | { readonly state: "missing" }
  | { readonly state: "forbidden" }
  | { readonly state: "present"; readonly type: string; readonly keys: readonly string[] };

/** The verdict behind the Connector's Ready condition. */
export interface ConnectorReadiness {
  readonly ready: boolean;
  readonly reason: Reason;
  readonly message: string;
}

/**
 * Whether a Connector is usable: its spec passes the call-time checks and every referenced
 * Secret exists, has the right type and the referenced keys. Pure; the first problem wins,
 * named by field, Secret and key (never a value).
 */
export function connectorReadiness(spec: ConnectorSpec, observed: ReadonlyMap<string, ObservedSecret>): ConnectorReadiness {
  const problem = specProblem(spec);
  if (problem !== undefined) return { ready: false, reason: Reason.InvalidSpec, message: problem };
  for (const requirement of connectorSecretRequirements(spec)) {
    const secret = observed.get(requirement.secret) ?? { state: "missing" };
    if (secret.state === "missing") {
      return { ready: false, reason: Reason.SecretNotFound, message: `${requirement.field}: Secret ${requirement.secret} does not exist` };
    }
    if (secret.state === "forbidden") {
      return { ready: false, reason: Reason.SecretForbidden, message: `${requirement.field}: reading Secret ${requirement.secret} is forbidden; grant the operator's ServiceAccount the rules of the ClusterRole kube-soar-manager (config/rbac)` };
    }
    if (requirement.type !== undefined && secret.type !== requirement.type) {
      return { ready: false, reason: Reason.InvalidSpec, message: `${requirement.field}: Secret ${requirement.secret} has type ${secret.type}, not ${requirement.type}` };
    }
    const missing = requirement.keys.filter((key) => !secret.keys.includes(key));
    if (missing.length > 0) {
      return { ready: false, reason: Reason.SecretNotFound, message: `${requirement.field}: Secret ${requirement.secret} has no key ${missing.join(", ")}` };
    }
  }
  return { ready: true, reason: Reason.Succeeded, message: "the Connector's spec is valid and its Secrets resolve" };
}

/**
 * Reads the Secrets a Connector references (names and key names only; values are not kept).
 * 404 and 403 are observations; other API failures throw a TransientError so the controller
 * retries instead of flipping Ready.
 */
export async function observeConnectorSecrets(core: CoreV1Api, namespace: string, spec: ConnectorSpec): Promise<Map<string, ObservedSecret>> {
  const observed = new Map<string, ObservedSecret>();
  for (const name of new Set(connectorSecretRequirements(spec).map((requirement) => requirement.secret))) {
    try {
      const secret = await core.readNamespacedSecret({ name, namespace });
      observed.set(name, { state: "present", type: secret.type ?? "Opaque", keys: Object.keys({ ...secret.data, ...secret.stringData }) });
    } catch (error: unknown) {
      const kind = classifyApiError(error);
      if (kind === "not-found") observed.set(name, { state: "missing" });
      else if (kind === "forbidden") observed.set(name, { state: "forbidden" });
      else throw new TransientError(Reason.SecretUnavailable, `reading Secret ${namespace}/${name} failed`, { cause: error });
    }
  }
  return observed;
}

/**
 * What the Connector controller calls per reconcile: reads the referenced Secrets and judges
 * the Connector. Throws TransientError only when the API server is unavailable.
 */
export async function evaluateConnectorReady(core: CoreV1Api, namespace: string, spec: ConnectorSpec): Promise<ConnectorReadiness> {
  return connectorReadiness(spec, await observeConnectorSecrets(core, namespace, spec));
}
