/**
 * The part of any Kubernetes object the runtime relies on, as plain data. client-node's model
 * classes and the project's generated API types both satisfy it, and so do parsed JSON objects.
 */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: KubeObjectMeta;
}

/** The metadata fields the runtime and typical index functions read. */
export interface KubeObjectMeta {
  name?: string;
  namespace?: string;
  resourceVersion?: string;
  labels?: Record<string, string>;
  managedFields?: readonly unknown[];
}

/**
 * An object as a metadata-only list or watch delivers it (meta.k8s.io/v1
 * `PartialObjectMetadata`): its metadata, and no spec, status or data.
 */
export interface PartialObjectMetadata extends KubeObject {
  metadata: KubeObjectMeta;
}
