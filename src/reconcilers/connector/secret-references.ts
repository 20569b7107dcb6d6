import type { Connector } from "../../api/v1alpha1/types.generated.ts";
import { connectorSecretRequirements } from "../../connectors/index.ts";
import { objectKey } from "../../runtime/object-key.ts";

/**
 * Keys (`namespace/name`) of the Connectors among `connectors` that reference Secret `secret` of
 * `namespace`, by any of their Secret references (URL, auth, TLS, PagerDuty routing key). A
 * Connector of another namespace never matches: references are namespace-local.
 */
export function connectorsReferencingSecret(connectors: readonly Connector[], namespace: string, secret: string): string[] {
  return connectors
    .filter((connector) => (connector.metadata.namespace ?? "") === namespace)
    .filter((connector) => connectorSecretRequirements(connector.spec).some((requirement) => requirement.secret === secret))
    .map((connector) => objectKey(connector));
}
