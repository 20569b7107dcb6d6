import { CONNECTOR_AUTH_TYPES, CONNECTOR_METHODS, CONNECTOR_TYPES, Kind, Plural } from "../constants.ts";
import type { Schema } from "./builders.ts";
import { boolean, enumeration, integer, list, map, object, string } from "./builders.ts";
import { conditions, duration, observedGeneration, secretKeyRef, secretRef } from "./common.ts";
import type { KindSchema } from "./kind.ts";

function auth(): Schema {
  return object(
    "How calls authenticate, with a credential read from a Secret at call time.",
    {
      type: enumeration(
        "bearer sends Authorization: Bearer <secret>; basic sends Authorization: Basic with a secret of the form user:password; header sends the secret in the named header; hmac signs the body with the secret (HMAC-SHA256, hex) in the named header.",
        CONNECTOR_AUTH_TYPES,
        { typeName: "ConnectorAuthType", typeDescription: "How a Connector authenticates." },
      ),
      secretRef: secretKeyRef("The Secret key holding the credential."),
      header: string("Header that carries the credential or signature; required for header and hmac.", {
        minLength: 1,
        maxLength: 256,
        pattern: "^[A-Za-z0-9-]+$",
      }),
    },
    {
      required: ["type", "secretRef"],
      typeName: "ConnectorAuth",
      rules: [
        {
          rule: "!(self.type in ['header', 'hmac']) || has(self.header)",
          message: "header is required for auth types header and hmac",
          fieldPath: ".header",
          reason: "FieldValueRequired",
        },
      ],
    },
  );
}

function tls(): Schema {
  return object(
    "TLS settings of the calls.",
    {
      caSecretRef: secretKeyRef("Secret key holding PEM CA certificates to trust instead of the system roots."),
      clientCertSecretRef: secretRef("A kubernetes.io/tls Secret whose tls.crt and tls.key are the client certificate."),
      serverName: string("Server name to verify and send as SNI, when it differs from the URL's host.", {
        minLength: 1,
        maxLength: 253,
      }),
    },
    { typeName: "ConnectorTLS" },
  );
}

function retries(): Schema {
  return object(
    "How often a failed call is retried (network errors, 429 and 5xx responses).",
    {
      limit: integer("Retries after the first call.", { minimum: 0, maximum: 10, format: "int32", default: 0 }),
      backoff: duration("Wait before the first retry; it doubles after each further failure.", "1s"),
    },
    { typeName: "ConnectorRetries" },
  );
}

function connectorSpec(): Schema {
  return object(
    "Where and how to call the integration.",
    {
      type: enumeration(
        "http and webhook post the rendered body to url; slack posts a Slack-compatible message; pagerduty sends PagerDuty Events v2.",
        CONNECTOR_TYPES,
        { typeName: "ConnectorType", typeDescription: "Kinds of outbound integration." },
      ),
      url: string(
        "Endpoint of the integration; required unless urlSecretRef is set or type is pagerduty. Must be https unless allowInsecureHTTP is set. Its host must be or resolve to addresses the operator's destination policy allows: by default no loopback, link-local or cloud metadata address, no address of the API server or the operator, and, outside the operator's namespace, no private address. Redirects are not followed.",
        { minLength: 1, maxLength: 2048, pattern: String.raw`^https?://[^\s/?#]+([/?#]\S*)?$` },
      ),
      urlSecretRef: secretKeyRef(
        "Secret key holding the endpoint, for URLs that embed a credential such as Slack incoming webhooks.",
      ),
      allowInsecureHTTP: boolean("Allow a plain http:// url; only for endpoints inside the cluster."),
      method: enumeration("HTTP method of the calls.", CONNECTOR_METHODS, {
        default: "POST",
        typeName: "ConnectorMethod",
        typeDescription: "HTTP methods a Connector may use.",
      }),
      headers: map("Extra request headers; never put credentials here, use auth.", string("Value of the header.", { maxLength: 1024 }), {
        maxProperties: 32,
        rules: [
          {
            rule: "self.all(k, k.matches('^[A-Za-z0-9-]+$') && k.size() <= 256)",
            message: "header names must consist of letters, digits and '-' (at most 256 characters)",
          },
        ],
      }),
      timeout: duration("Longest time one call may take.", "10s"),
      successCodes: list(
        "Response status codes that count as success; absent means any 2xx.",
        integer("An HTTP status code.", { minimum: 100, maximum: 599, format: "int32" }),
        { maxItems: 16 },
      ),
      retries: retries(),
      auth: auth(),
      tls: tls(),
      pagerduty: object(
        "PagerDuty Events v2 settings; required for type pagerduty.",
        { routingKeySecretRef: secretKeyRef("Secret key holding the integration's routing key.") },
        { required: ["routingKeySecretRef"], typeName: "PagerDutyOptions" },
      ),
    },
    {
      required: ["type"],
      typeName: "ConnectorSpec",
      rules: [
        {
          rule: "self.type == 'pagerduty' || has(self.url) || has(self.urlSecretRef)",
          messageExpression: "'url or urlSecretRef is required for type ' + self.type",
          message: "url or urlSecretRef is required for this type",
          fieldPath: ".url",
          reason: "FieldValueRequired",
        },
        {
          rule: "!(has(self.url) && has(self.urlSecretRef))",
          message: "url and urlSecretRef are mutually exclusive",
          fieldPath: ".urlSecretRef",
          reason: "FieldValueForbidden",
        },
        {
          rule: "!has(self.url) || self.url.startsWith('https://') || (has(self.allowInsecureHTTP) && self.allowInsecureHTTP)",
          message: "url must use https unless allowInsecureHTTP is true",
          fieldPath: ".url",
        },
        {
          rule: "(self.type == 'pagerduty') == has(self.pagerduty)",
          message: "pagerduty settings are required for type pagerduty and only allowed for it",
          fieldPath: ".pagerduty",
        },
      ],
    },
  );
}

function connectorStatus(): Schema {
  return object(
    "What the controller observed about the connector.",
    { conditions: conditions(), observedGeneration: observedGeneration() },
    { typeName: "ConnectorStatus" },
  );
}

/** The Connector kind: a named outbound integration. */
export const connectorKind: KindSchema = {
  kind: Kind.Connector,
  plural: Plural.Connector,
  singular: "connector",
  shortNames: ["conn"],
  categories: ["soar"],
  description:
    "A Connector is a named outbound integration (HTTP, webhook, Slack-compatible, PagerDuty Events v2) that notify and connector steps call. Credentials stay in Secrets.",
  spec: connectorSpec(),
  status: connectorStatus(),
  printerColumns: [
    { name: "Type", type: "string", jsonPath: ".spec.type", description: "Kind of integration." },
    {
      name: "Ready",
      type: "string",
      jsonPath: '.status.conditions[?(@.type=="Ready")].status',
      description: "Whether the connector's Secrets resolve.",
    },
    { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp", description: "Time since creation." },
  ],
};
