import type { V1Job, V1ServiceAccount } from "@kubernetes/client-node";
import { GROUP, Label, Plural, VERSION } from "../api/v1alpha1/constants.ts";
import type { Connector, Incident, Playbook } from "../api/v1alpha1/types.generated.ts";
import type { InformerFactory } from "../runtime/informer-factory.ts";
import type { PartialObjectMetadata } from "../runtime/kube-object.ts";
import { watchCollection, type WatchedCollection } from "./watched-collection.ts";

/** Incidents in the watched namespaces. */
export function watchIncidents(factory: InformerFactory, namespaces: readonly string[]): WatchedCollection<Incident> {
  return watchCollection<Incident>(factory, { resource: Plural.Incident, group: GROUP, version: VERSION, plural: Plural.Incident }, namespaces);
}

/** Playbooks in the watched namespaces. */
export function watchPlaybooks(factory: InformerFactory, namespaces: readonly string[]): WatchedCollection<Playbook> {
  return watchCollection<Playbook>(factory, { resource: Plural.Playbook, group: GROUP, version: VERSION, plural: Plural.Playbook }, namespaces);
}

/** Connectors in the watched namespaces. */
export function watchConnectors(factory: InformerFactory, namespaces: readonly string[]): WatchedCollection<Connector> {
  return watchCollection<Connector>(factory, { resource: Plural.Connector, group: GROUP, version: VERSION, plural: Plural.Connector }, namespaces);
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
