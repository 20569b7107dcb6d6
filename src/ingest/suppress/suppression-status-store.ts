import { GROUP, Plural, VERSION } from "../../api/v1alpha1/constants.ts";
import type { AlertSuppression } from "../../api/v1alpha1/types.generated.ts";
import { isNotFound } from "../../runtime/errors.ts";
import type { KubeJsonClient } from "../../runtime/kube-json-client.ts";

/** The two API calls that add intake's counts to a suppression's status. Errors are client-node `ApiException`s. */
export interface SuppressionStatusStore {
  /** The suppression, or undefined when it does not exist. */
  get(namespace: string, name: string): Promise<AlertSuppression | undefined>;
  /** Replaces the status subresource; rejects with 409 when `metadata.resourceVersion` is stale. */
  replaceStatus(suppression: AlertSuppression): Promise<AlertSuppression>;
}

function objectPath(namespace: string, name: string): string {
  return `/apis/${GROUP}/${VERSION}/namespaces/${encodeURIComponent(namespace)}/${Plural.AlertSuppression}/${encodeURIComponent(name)}`;
}

/** {@link SuppressionStatusStore} on the API server. */
export class KubeSuppressionStatusStore implements SuppressionStatusStore {
  readonly #client: KubeJsonClient;

  constructor(client: KubeJsonClient) {
    this.#client = client;
  }

  async get(namespace: string, name: string): Promise<AlertSuppression | undefined> {
    try {
      return (await this.#client.request("GET", objectPath(namespace, name))) as AlertSuppression;
    } catch (error: unknown) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async replaceStatus(suppression: AlertSuppression): Promise<AlertSuppression> {
    return (await this.#client.request("PUT", `${objectPath(suppression.metadata.namespace ?? "", suppression.metadata.name ?? "")}/status`, suppression)) as AlertSuppression;
  }
}
