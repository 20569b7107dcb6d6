import type { ConnectorSpec } from "../api/v1alpha1/types.generated.ts";
import type { TlsMaterial } from "./agent-pool.ts";
import { connectorFailure, type ConnectorFailure } from "./connector-failure.ts";
import { secretFailure } from "./credentials.ts";
import type { Redactor } from "./redactor.ts";
import type { SecretResolver } from "./secret-resolver.ts";

/** The type of a Secret holding a certificate and its key. */
export const TLS_SECRET_TYPE = "kubernetes.io/tls";

/**
 * Reads `spec.tls`: the CA bundle from its Secret key, and the client certificate from a
 * `kubernetes.io/tls` Secret (`tls.crt`, `tls.key`). The private key is registered with the
 * redactor.
 */
export async function resolveTls(spec: ConnectorSpec, secrets: SecretResolver, redactor: Redactor): Promise<TlsMaterial | ConnectorFailure> {
  const tls = spec.tls;
  if (tls === undefined) return {};
  let ca: Buffer | undefined;
  if (tls.caSecretRef !== undefined) {
    const lookup = await secrets.key(tls.caSecretRef);
    if (!lookup.ok) return secretFailure("spec.tls.caSecretRef", lookup);
    ca = lookup.value.bytes();
  }
  let client: { cert: Buffer; key: Buffer } | undefined;
  if (tls.clientCertSecretRef !== undefined) {
    const name = tls.clientCertSecretRef.name;
    const lookup = await secrets.secret(name);
    if (!lookup.ok) return secretFailure("spec.tls.clientCertSecretRef", lookup);
    if (lookup.type !== TLS_SECRET_TYPE) return connectorFailure("InvalidSpec", `spec.tls.clientCertSecretRef: Secret ${name} has type ${lookup.type}, not ${TLS_SECRET_TYPE}`);
    const cert = lookup.data.get("tls.crt");
    const key = lookup.data.get("tls.key");
    if (cert === undefined || key === undefined) return connectorFailure("SecretNotFound", `spec.tls.clientCertSecretRef: Secret ${name} lacks tls.crt or tls.key`);
    redactor.add(key.reveal().trim());
    client = { cert: cert.bytes(), key: key.bytes() };
  }
  return {
    ...(ca === undefined ? {} : { ca }),
    ...(client ?? {}),
    ...(tls.serverName === undefined ? {} : { serverName: tls.serverName }),
  };
}
