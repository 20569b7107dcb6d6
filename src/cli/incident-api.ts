import { ApiException, type KubeConfig } from "@kubernetes/client-node";
import { GROUP, Kind, Plural, VERSION } from "../api/v1alpha1/constants.ts";
import type { Incident, IncidentList } from "../api/v1alpha1/types.generated.ts";
import { KubeJsonClient, PatchType } from "../runtime/kube-json-client.ts";
import { explainApiFailure, type RequestSubject } from "./api-failure.ts";

/** The user agent of the CLI's requests, and so the field manager its writes are recorded under. */
export const CLI_USER_AGENT = "kubectl-soar";

/** The RBAC that reading Incidents needs, said when it is missing. */
export const READ_INCIDENTS_RBAC = "reading Incidents needs get, list and watch on incidents.soar.kube-soar.io, which kube-soar aggregates into the view role";

/** One operation of a JSON patch (RFC 6902). */
export type JsonPatchOperation =
  | { readonly op: "test" | "add" | "replace"; readonly path: string; readonly value: unknown }
  | { readonly op: "remove"; readonly path: string };

/**
 * The Incident changed between the read a JSON patch was made from and the patch: a `test`
 * operation failed (the API server answers 422 without field causes, unlike a validation
 * failure) or the write conflicted (409). Read again and decide again.
 */
export class IncidentChanged extends Error {
  override readonly name = "IncidentChanged";
}

function isPatchNotApplicable(error: unknown): boolean {
  if (!(error instanceof ApiException)) return false;
  if (error.code === 409) return true;
  if (error.code !== 422) return false;
  const details: unknown = (error.body as { details?: unknown } | null | undefined)?.details;
  const causes: unknown = (details as { causes?: unknown } | undefined)?.causes;
  const named: unknown = (details as { name?: unknown } | undefined)?.name;
  return (!Array.isArray(causes) || causes.length === 0) && (named === undefined || named === "");
}

/** What an identity review says about the caller. */
interface SelfSubjectReview {
  status?: { userInfo?: { username?: string } };
}

/**
 * Reads and writes Incidents through the API server with the kubeconfig's identity, on the
 * operator's JSON client (one kept-alive connection pool, the same error classification), and
 * learns who that identity is. Every failure becomes a `CliFailure` that names the object and,
 * when forbidden, the RBAC the request needs.
 */
export class IncidentApi {
  readonly #client: KubeJsonClient;

  constructor(kubeConfig: KubeConfig) {
    this.#client = new KubeJsonClient(kubeConfig, { maxSockets: 4, userAgent: CLI_USER_AGENT });
  }

  /** The Incident `name` of `namespace`. */
  async get(namespace: string, name: string): Promise<Incident> {
    return (await this.#send({ verb: "get", namespace, name, rbac: READ_INCIDENTS_RBAC }, "GET", incidentPath(namespace, name))) as Incident;
  }

  /** The Incidents of `namespace` (every namespace when undefined) that `labelSelector` selects. */
  async list(namespace: string | undefined, labelSelector?: string): Promise<IncidentList> {
    const query = labelSelector === undefined ? "" : `?labelSelector=${encodeURIComponent(labelSelector)}`;
    return (await this.#send({ verb: "list", namespace, rbac: READ_INCIDENTS_RBAC }, "GET", `${collectionPath(namespace)}${query}`)) as IncidentList;
  }

  /**
   * Applies a JSON patch to Incident `name`; resolves with the Incident as stored. A failed
   * `test` or a conflict throws {@link IncidentChanged}; `rbac` says what the change needs.
   */
  async jsonPatch(namespace: string, name: string, operations: readonly JsonPatchOperation[], rbac: string): Promise<Incident> {
    try {
      return (await this.#client.request("PATCH", incidentPath(namespace, name), operations, PatchType.JsonPatch)) as Incident;
    } catch (error: unknown) {
      if (isPatchNotApplicable(error)) throw new IncidentChanged(`Incident ${JSON.stringify(name)} changed since it was read`, { cause: error });
      throw explainApiFailure(error, { verb: "patch", resource: Plural.Incident, kind: Kind.Incident, namespace, name, rbac });
    }
  }

  /**
   * The user name the API server knows the caller by (a SelfSubjectReview): the name an
   * impersonating caller (`--as`) takes, the ServiceAccount's `system:serviceaccount:...`.
   */
  async userName(): Promise<string> {
    const subject: RequestSubject = {
      verb: "create",
      resource: "selfsubjectreviews",
      kind: "SelfSubjectReview",
      rbac: "every authenticated user may create selfsubjectreviews (system:basic-user)",
    };
    const review = (await this.#send(subject, "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", {
      apiVersion: "authentication.k8s.io/v1",
      kind: "SelfSubjectReview",
    })) as SelfSubjectReview;
    const name = review.status?.userInfo?.username;
    if (name === undefined || name === "") throw new Error("the API server's SelfSubjectReview named no user");
    return name;
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.#client.close();
  }

  async #send(subject: Omit<RequestSubject, "resource" | "kind"> & Partial<RequestSubject>, method: "GET" | "POST", path: string, body?: unknown): Promise<unknown> {
    try {
      return await this.#client.request(method, path, body);
    } catch (error: unknown) {
      throw explainApiFailure(error, { resource: Plural.Incident, kind: Kind.Incident, ...subject });
    }
  }
}

function collectionPath(namespace: string | undefined): string {
  const base = `/apis/${GROUP}/${VERSION}`;
  return namespace === undefined ? `${base}/${Plural.Incident}` : `${base}/namespaces/${encodeURIComponent(namespace)}/${Plural.Incident}`;
}

function incidentPath(namespace: string, name: string): string {
  return `${collectionPath(namespace)}/${encodeURIComponent(name)}`;
}
