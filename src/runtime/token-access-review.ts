import type { KubeJsonClient } from "./kube-json-client.ts";

/** Whether a bearer token may make a request: its user may, the token is not valid, or its user may not. */
export type TokenAccessDecision = "allowed" | "unauthenticated" | "forbidden";

/** A request for a path outside the API's resources (`/metrics`, `/healthz`), as RBAC's nonResourceURLs name it. */
export interface NonResourceRequest {
  path: string;
  verb: string;
}

interface TokenReviewStatus {
  authenticated?: boolean;
  user?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
}

/**
 * Asks the API server who holds `token` (a TokenReview, authentication.k8s.io/v1) and, when it
 * is valid, whether that user (with its uid, groups and extra) may make `request` (a
 * SubjectAccessReview, authorization.k8s.io/v1), as kube-apiserver itself would decide. Rejects
 * when either review cannot be made (no answer, or the caller may not create reviews): an
 * unanswered question is never a decision.
 */
export async function reviewTokenAccess(client: KubeJsonClient, token: string, request: NonResourceRequest): Promise<TokenAccessDecision> {
  const tokenReview = (await client.request("POST", "/apis/authentication.k8s.io/v1/tokenreviews", {
    apiVersion: "authentication.k8s.io/v1",
    kind: "TokenReview",
    spec: { token },
  })) as { status?: TokenReviewStatus };
  const user = tokenReview.status?.user;
  if (tokenReview.status?.authenticated !== true || user?.username === undefined) return "unauthenticated";
  const accessReview = (await client.request("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", {
    apiVersion: "authorization.k8s.io/v1",
    kind: "SubjectAccessReview",
    spec: {
      user: user.username,
      ...(user.uid === undefined ? {} : { uid: user.uid }),
      groups: user.groups ?? [],
      ...(user.extra === undefined ? {} : { extra: user.extra }),
      nonResourceAttributes: { path: request.path, verb: request.verb },
    },
  })) as { status?: { allowed?: boolean } };
  return accessReview.status?.allowed === true ? "allowed" : "forbidden";
}
