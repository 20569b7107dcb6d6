import { GROUP, Plural, VERSION } from "../../api/v1alpha1/constants.ts";
import type { Incident } from "../../api/v1alpha1/types.generated.ts";
import { isNotFound } from "../../runtime/errors.ts";
import type { KubeJsonClient } from "../../runtime/kube-json-client.ts";

/** The three API calls the Incident writer makes. Errors are client-node `ApiException`s. */
export interface IncidentStore {
  /** Creates the Incident; rejects with 409 when the name is taken. Status is ignored by the API server. */
  create(incident: Incident): Promise<Incident>;
  /** The Incident, or undefined when it does not exist. */
  get(namespace: string, name: string): Promise<Incident | undefined>;
  /** Replaces the status subresource; rejects with 409 when `metadata.resourceVersion` is stale. */
  replaceStatus(incident: Incident): Promise<Incident>;
}

function required(value: string | undefined, field: string): string {
  if (value === undefined || value === "") throw new TypeError(`${field}: required`);
  return value;
}

function collection(namespace: string): string {
  return `/apis/${GROUP}/${VERSION}/namespaces/${encodeURIComponent(namespace)}/${Plural.Incident}`;
}

/** {@link IncidentStore} on the API server, over the writer's kept-alive connections. */
export class KubeIncidentStore implements IncidentStore {
  readonly #client: KubeJsonClient;

  constructor(client: KubeJsonClient) {
    this.#client = client;
  }

  async create(incident: Incident): Promise<Incident> {
    const namespace = required(incident.metadata.namespace, "metadata.namespace");
    return (await this.#client.request("POST", collection(namespace), incident)) as Incident;
  }

  async get(namespace: string, name: string): Promise<Incident | undefined> {
    try {
      return (await this.#client.request("GET", `${collection(namespace)}/${encodeURIComponent(name)}`)) as Incident;
    } catch (error: unknown) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async replaceStatus(incident: Incident): Promise<Incident> {
    const namespace = required(incident.metadata.namespace, "metadata.namespace");
    const name = required(incident.metadata.name, "metadata.name");
    return (await this.#client.request("PUT", `${collection(namespace)}/${encodeURIComponent(name)}/status`, incident)) as Incident;
  }
}
