import { ApiException } from "@kubernetes/client-node";
import { classifyApiError } from "../runtime/errors.ts";
import { CliFailure } from "./cli-errors.ts";

/** What a request was about, to say it in an error. */
export interface RequestSubject {
  /** The Kubernetes verb, e.g. `get`, `list`, `patch`. */
  readonly verb: string;
  /** `incidents`, `selfsubjectreviews`. */
  readonly resource: string;
  /** The kind, as a person names the object: `Incident`. */
  readonly kind: string;
  readonly namespace?: string | undefined;
  readonly name?: string | undefined;
  /** The RBAC that grants the request, said when it is forbidden. */
  readonly rbac: string;
}

/** The `message` of the `Status` the API server answered with, if any. */
function statusMessage(error: ApiException<unknown>): string | undefined {
  const body: unknown = error.body;
  if (typeof body === "object" && body !== null && typeof (body as { message?: unknown }).message === "string") return (body as { message: string }).message;
  return undefined;
}

function where(subject: RequestSubject): string {
  return subject.namespace === undefined ? "" : ` in namespace ${JSON.stringify(subject.namespace)}`;
}

/**
 * A {@link CliFailure} saying in one line why an API request failed: not found (naming the
 * object, or the missing API), forbidden (the server's words and the RBAC needed),
 * unauthorized, the server's own message for a refused request, or that the API server could
 * not be reached. Anything else is returned unchanged.
 */
export function explainApiFailure(error: unknown, subject: RequestSubject): unknown {
  if (!(error instanceof ApiException)) {
    if (classifyApiError(error) === "transient") return new CliFailure(`cannot reach the API server: ${error instanceof Error ? error.message : String(error)}`);
    return error;
  }
  const message = statusMessage(error) ?? `HTTP ${String(error.code)}`;
  switch (error.code) {
    case 404:
      return new CliFailure(
        subject.name === undefined
          ? `the API server does not serve ${subject.resource} (is kube-soar's CRD installed?): ${message}`
          : `${subject.kind} ${JSON.stringify(subject.name)} not found${where(subject)}`,
      );
    case 403:
      return new CliFailure(`forbidden: ${message} (${subject.rbac})`);
    case 401:
      return new CliFailure(`unauthorized: the API server refused the kubeconfig's credentials: ${message}`);
    default:
      return new CliFailure(`${subject.verb} ${subject.resource}${subject.name === undefined ? "" : ` ${JSON.stringify(subject.name)}`}${where(subject)}: ${message}`);
  }
}
