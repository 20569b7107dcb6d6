import { boundText } from "../../api/v1alpha1/bounds.ts";
import type { ConnectorIncident } from "../connector-contract.ts";
import type { BodyContext, ConnectorTypeDefinition, PreparedBody } from "../connector-type.ts";
import { connectorFailure, type ConnectorFailure } from "../connector-failure.ts";
import { secretFailure } from "../credentials.ts";
import { parsedBody, payloadParams, unknownParams } from "../payload-body.ts";
import { selectedJsonOutputs } from "../response-outputs.ts";

/** The Events API v2 endpoint used when the Connector gives no URL. */
export const PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue";

const severities = ["critical", "error", "warning", "info"] as const;
type PagerDutySeverity = (typeof severities)[number];

/** PagerDuty's severity for an Incident severity: critical, high → error, medium → warning, else info. */
export function pagerDutySeverity(severity: string | undefined): PagerDutySeverity {
  switch (severity) {
    case "critical":
      return "critical";
    case "high":
      return "error";
    case "medium":
      return "warning";
    default:
      return "info";
  }
}

/** The dedup key of an Incident: trigger and resolve of one Incident address the same alert. */
export function pagerDutyDedupKey(incident: ConnectorIncident): string {
  return boundText(`${incident.namespace}/${incident.name}`, 255);
}

function isSeverity(value: string): value is PagerDutySeverity {
  return (severities as readonly string[]).includes(value);
}

async function prepare(context: BodyContext): Promise<PreparedBody | ConnectorFailure> {
  const { payload, incident, spec } = context;
  const invalidParams = unknownParams("pagerduty", payload, ["action", "summary", "source", "severity"]);
  if (invalidParams !== undefined) return invalidParams;
  const params = payloadParams(payload);
  const action = params["action"] ?? "trigger";
  if (action !== "trigger" && action !== "resolve") return connectorFailure("InvalidRequest", "connector.params.action: must be trigger or resolve");
  const severity = params["severity"] ?? pagerDutySeverity(incident.severity);
  if (!isSeverity(severity)) return connectorFailure("InvalidRequest", `connector.params.severity: must be one of ${severities.join(", ")}`);
  const ref = spec.pagerduty?.routingKeySecretRef;
  if (ref === undefined) return connectorFailure("InvalidSpec", "spec.pagerduty.routingKeySecretRef: required for a pagerduty Connector");
  const routingKey = await context.secrets.key(ref);
  if (!routingKey.ok) return secretFailure("spec.pagerduty.routingKeySecretRef", routingKey);
  const key = routingKey.value.reveal().trim();
  context.redactor.add(key);
  const base = { routing_key: key, event_action: action, dedup_key: pagerDutyDedupKey(incident) };
  if (action === "resolve") return { ok: true, body: JSON.stringify(base), defaultUrl: PAGERDUTY_EVENTS_URL };
  let details: unknown;
  if (payload.kind === "body" && payload.body !== undefined) {
    const parsed = parsedBody(payload.body);
    if (!parsed.ok) return parsed;
    details = parsed.value;
  }
  const summary = params["summary"] ?? (payload.kind === "message" ? payload.message : (incident.title ?? `${incident.namespace}/${incident.name}`));
  const event = {
    ...base,
    payload: {
      summary: boundText(summary, 1024),
      source: boundText(params["source"] ?? `kube-soar/${incident.namespace}`, 255),
      severity,
      ...(details === undefined ? {} : { custom_details: details }),
    },
  };
  return { ok: true, body: JSON.stringify(event), defaultUrl: PAGERDUTY_EVENTS_URL };
}

/**
 * `pagerduty`: PagerDuty Events API v2. Params: `action` (`trigger`, the default, or
 * `resolve`), `summary` (default: the notify message or the Incident title), `source`,
 * `severity` (default from the Incident's). The dedup key is the Incident (`namespace/name`),
 * so a resolve closes the alert its trigger opened. A connector step's body becomes
 * `custom_details`. Outputs: `status`, `dedupKey`, `result`, `message`.
 */
export const pagerDutyConnector: ConnectorTypeDefinition = {
  checkSpec(spec) {
    if (spec.pagerduty === undefined) return "spec.pagerduty.routingKeySecretRef: required for a pagerduty Connector";
    if (spec.method !== undefined && spec.method !== "POST") return "spec.method: a pagerduty Connector posts: use POST";
    return undefined;
  },
  prepareBody: prepare,
  outputs: (response) => selectedJsonOutputs(response, { dedupKey: "dedup_key", result: "status", message: "message" }),
};
