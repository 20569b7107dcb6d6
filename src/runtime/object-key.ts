import type { KubeObject } from "./kube-object.ts";

/** A namespaced (`namespace/name`) or cluster-scoped (`name`) object reference. */
export interface ObjectRef {
  /** Empty for cluster-scoped objects. */
  namespace: string;
  name: string;
}

/**
 * The queue key of an object: `namespace/name`, or `name` when it has no namespace. Throws a
 * TypeError when the object has no `metadata.name`.
 */
export function objectKey(object: KubeObject): string {
  const name = object.metadata?.name;
  if (name === undefined || name === "") throw new TypeError("metadata.name: required to build an object key");
  const namespace = object.metadata?.namespace ?? "";
  return namespace === "" ? name : `${namespace}/${name}`;
}

/**
 * Splits a key built by {@link objectKey}. Throws a TypeError naming the key when it has more
 * than one slash or an empty part.
 */
export function splitObjectKey(key: string): ObjectRef {
  const parts = key.split("/");
  if (parts.length === 1 && parts[0] !== "") return { namespace: "", name: key };
  const [namespace, name] = parts;
  if (parts.length === 2 && namespace !== undefined && namespace !== "" && name !== undefined && name !== "") {
    return { namespace, name };
  }
  throw new TypeError(`key ${JSON.stringify(key)}: expected "namespace/name" or "name"`);
}
