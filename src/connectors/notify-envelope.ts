import type { ConnectorIncident } from "./connector-contract.ts";

/**
 * The JSON body a `notify` step sends to an http or webhook Connector: the message and the
 * Incident it is about. The message is data in a JSON string, whatever it contains.
 */
export function notifyEnvelope(message: string, incident: ConnectorIncident): string {
  return JSON.stringify({
    message,
    incident: {
      namespace: incident.namespace,
      name: incident.name,
      ...(incident.title === undefined ? {} : { title: incident.title }),
      ...(incident.severity === undefined ? {} : { severity: incident.severity }),
    },
  });
}
