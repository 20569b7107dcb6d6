import type { V1Job, V1ServiceAccount } from "@kubernetes/client-node";
import { GROUP, Label, Plural, VERSION } from "../api/v1alpha1/constants.ts";
import type { AlertSuppression, Connector, Incident, Playbook } from "../api/v1alpha1/types.generated.ts";
import type { InformerFactory } from "../runtime/informer-factory.ts";
import type { PartialObjectMetadata } from "../runtime/kube-object.ts";
import type { SharedInformer } from "../runtime/informer.ts";
import type { KubeObject, KubeObjectMeta } from "../runtime/kube-object.ts";
import type { ObservedBinding } from "../policy/index.ts";
import { rememberSpecWrite } from "./spec-write-times.ts";
import { watchCollection, type WatchedCollection } from "./watched-collection.ts";

/** Incidents in the watched namespaces. */
export function watchIncidents(factory: InformerFactory, namespaces: readonly string[]): WatchedCollection<Incident> {
  return watchCollection<Incident>(factory, { resource: Plural.Incident, group: GROUP, version: VERSION, plural: Plural.Incident }, namespaces);
}

/** Playbooks in the watched namespaces, each with its last spec write remembered (`specWriteOf`). */
export function watchPlaybooks(factory: InformerFactory, namespaces: readonly string[]): WatchedCollection<Playbook> {
  return watchCollection<Playbook>(
    factory,
    { resource: Plural.Playbook, group: GROUP, version: VERSION, plural: Plural.Playbook, inspect: rememberSpecWrite },
    namespaces,
  );
}

/** Connectors in the watched namespaces, each with its last spec write remembered (`specWriteOf`). */
export function watchConnectors(factory: InformerFactory, namespaces: readonly string[]): WatchedCollection<Connector> {
  return watchCollection<Connector>(
    factory,
    { resource: Plural.Connector, group: GROUP, version: VERSION, plural: Plural.Connector, inspect: rememberSpecWrite },
    namespaces,
  );
}

/** AlertSuppressions in the watched namespaces. */
export function watchAlertSuppressions(factory: InformerFactory, namespaces: readonly string[]): WatchedCollection<AlertSuppression> {
  return watchCollection<AlertSuppression>(factory, { resource: Plural.AlertSuppression, group: GROUP, version: VERSION, plural: Plural.AlertSuppression }, namespaces);
}

/** A ValidatingAdmissionPolicyBinding, as far as the tenancy check reads it. */
export interface PolicyBinding extends KubeObject {
  metadata: KubeObjectMeta & { creationTimestamp?: string | Date };
  spec?: Omit<ObservedBinding, "since">;
}

/**
 * The cluster's ValidatingAdmissionPolicyBindings (cluster-scoped, keyed by name), each with
 * its last spec write remembered (`specWriteOf`).
 */
export function watchPolicyBindings(factory: InformerFactory): SharedInformer<PolicyBinding> {
  return factory.informerFor<PolicyBinding>({
    path: "/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings",
    resource: "validatingadmissionpolicybindings",
    inspect: rememberSpecWrite,
  });
}

/** Jobs created for Incidents (those carrying the incident label) in the watched namespaces. */
export function watchStepJobs(factory: InformerFactory, namespaces: readonly string[]): WatchedCollection<V1Job> {
  return watchCollection<V1Job>(
    factory,
    { resource: "jobs", group: "batch", version: "v1", plural: "jobs", labelSelector: Label.Incident },
    namespaces,
  );
}

/** ServiceAccounts in the watched namespaces. */
export function watchServiceAccounts(factory: InformerFactory, namespaces: readonly string[]): WatchedCollection<V1ServiceAccount> {
  return watchCollection<V1ServiceAccount>(factory, { resource: "serviceaccounts", group: "", version: "v1", plural: "serviceaccounts" }, namespaces);
}

/**
 * The metadata of Secrets in the watched namespaces: enough to notice that a Secret appeared,
 * changed or went away, never its values (read a Secret by name when it is needed).
 */
export function watchSecretMetadata(factory: InformerFactory, namespaces: readonly string[]): WatchedCollection<PartialObjectMetadata> {
  return watchCollection<PartialObjectMetadata>(
    factory,
    { resource: "secrets", group: "", version: "v1", plural: "secrets", metadataOnly: true },
    namespaces,
  );
}
