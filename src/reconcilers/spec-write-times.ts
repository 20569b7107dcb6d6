import { lastSpecWrite, type ManagedFieldsTime } from "../policy/index.ts";
import type { KubeObject } from "../runtime/kube-object.ts";

// Keyed by the cached object itself: an entry lives exactly as long as the cache holds that
// version of the object, and no field is added to what the API server sent.
const specWrites = new WeakMap<object, Date>();

function managedFieldsTimes(entries: readonly unknown[] | undefined): ManagedFieldsTime[] {
  return (entries ?? []).flatMap((entry) => {
    if (typeof entry !== "object" || entry === null) return [];
    const { time, subresource } = entry as Record<string, unknown>;
    return [{ ...(typeof time === "string" ? { time } : {}), ...(typeof subresource === "string" ? { subresource } : {}) }];
  });
}

/**
 * Remembers when `object`'s main resource (not its status) was last written, from its
 * `managedFields`, for {@link specWriteOf}; an informer's `inspect`, called before the cache
 * drops the `managedFields`.
 */
export function rememberSpecWrite(object: KubeObject): void {
  const time = lastSpecWrite(managedFieldsTimes(object.metadata?.managedFields));
  if (time !== undefined) specWrites.set(object, time);
}

/** The last spec write of a cached object seen by {@link rememberSpecWrite}; undefined when unknown. */
export function specWriteOf(object: object): Date | undefined {
  return specWrites.get(object);
}
