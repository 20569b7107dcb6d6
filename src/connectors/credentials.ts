import type { ConnectorSpec } from "../api/v1alpha1/types.generated.ts";
import { connectorFailure, type ConnectorFailure } from "./connector-failure.ts";
import type { Redactor } from "./redactor.ts";
import type { SecretLookupFailure, SecretResolver } from "./secret-resolver.ts";

/** Credentials of a call, resolved from Secrets: fixed headers and an optional signing key. */
export interface ResolvedAuth {
  readonly headers: Readonly<Record<string, string>>;
  /** HMAC-SHA256 key and the header its signature goes in. */
  readonly signing?: { readonly key: Buffer; readonly header: string };
}

/** Maps a Secret lookup failure to a call failure naming the spec field. */
export function secretFailure(field: string, failure: SecretLookupFailure): ConnectorFailure {
  const message = `${field}: ${failure.message}`;
  switch (failure.problem) {
    case "SecretUnavailable":
      return connectorFailure("SecretUnavailable", message);
    case "SecretForbidden":
      return connectorFailure("SecretForbidden", message);
    case "SecretNotFound":
    case "SecretKeyNotFound":
      // Retryable: the Secret may be created after the Connector.
      return connectorFailure("SecretNotFound", message, { retryable: true });
  }
}

/** A text credential: trailing line breaks (as `kubectl create secret --from-file` leaves) removed. */
export function credentialText(value: string): string {
  return value.replace(/[\r\n]+$/, "");
}

// eslint-disable-next-line no-control-regex -- a credential with control characters would corrupt the header
const controlCharacter = /[\u0000-\u001f\u007f]/;

/**
 * Resolves `spec.auth` into headers (bearer, basic, custom header) or a signing key (hmac),
 * registering every credential and its encoded forms with the redactor.
 */
export async function resolveAuth(spec: ConnectorSpec, secrets: SecretResolver, redactor: Redactor): Promise<ResolvedAuth | ConnectorFailure> {
  const auth = spec.auth;
  if (auth === undefined) return { headers: {} };
  const lookup = await secrets.key(auth.secretRef);
  if (!lookup.ok) return secretFailure("spec.auth.secretRef", lookup);
  const text = credentialText(lookup.value.reveal());
  redactor.add(text);
  if (auth.type !== "hmac" && controlCharacter.test(text)) {
    return connectorFailure("InvalidSpec", `spec.auth.secretRef: the credential in Secret ${auth.secretRef.name} key ${auth.secretRef.key} contains control characters`);
  }
  switch (auth.type) {
    case "bearer":
      redactor.add(`Bearer ${text}`);
      return { headers: { Authorization: `Bearer ${text}` } };
    case "basic": {
      const colon = text.indexOf(":");
      if (colon <= 0) return connectorFailure("InvalidSpec", `spec.auth.secretRef: a basic credential must have the form user:password (Secret ${auth.secretRef.name} key ${auth.secretRef.key})`);
      const encoded = Buffer.from(text, "utf8").toString("base64");
      redactor.add(text.slice(colon + 1), encoded);
      return { headers: { Authorization: `Basic ${encoded}` } };
    }
    case "header":
      return { headers: { [auth.header ?? "Authorization"]: text } };
    case "hmac":
      return { headers: {}, signing: { key: Buffer.from(text, "utf8"), header: auth.header ?? "X-Kube-Soar-Signature" } };
  }
}
