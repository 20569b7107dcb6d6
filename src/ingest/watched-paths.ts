import { GROUP, VERSION } from "../api/v1alpha1/constants.ts";

/**
 * The collection paths of a kube-soar resource (`plural`) to watch: one cluster-wide path when
 * `watchNamespaces` is empty, otherwise one per namespace.
 */
export function watchedPaths(plural: string, watchNamespaces: readonly string[]): string[] {
  const base = `/apis/${GROUP}/${VERSION}`;
  if (watchNamespaces.length === 0) return [`${base}/${plural}`];
  return [...new Set(watchNamespaces)].map((namespace) => `${base}/namespaces/${encodeURIComponent(namespace)}/${plural}`);
}
