import type { ConnectorType } from "../api/v1alpha1/types.generated.ts";
import type { ConnectorTypeDefinition } from "./connector-type.ts";
import { httpConnector } from "./http/http-connector.ts";
import { pagerDutyConnector } from "./pagerduty/pagerduty-connector.ts";
import { slackConnector } from "./slack/slack-connector.ts";
import { webhookConnector } from "./webhook/webhook-connector.ts";

/** Every connector type, by the name used in `spec.type`. */
export const connectorTypes: Readonly<Record<ConnectorType, ConnectorTypeDefinition>> = {
  http: httpConnector,
  slack: slackConnector,
  pagerduty: pagerDutyConnector,
  webhook: webhookConnector,
};
