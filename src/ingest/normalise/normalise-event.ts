import type { NormalisedAlert, NormaliseOptions } from "./normalised-alert.ts";
import { ALERTMANAGER_EVENT_TYPE } from "../decode/alertmanager-alert.ts";
import { normaliseAlertmanagerEvent } from "./alertmanager-normaliser.ts";
import type { CloudEventEnvelope } from "../decode/cloudevent-envelope.ts";
import { normaliseGenericEvent } from "./cloudevent-normaliser.ts";
import { FALCO_EVENT_TYPE } from "../decode/falco-event.ts";
import { normaliseFalcoEvent } from "./falco-normaliser.ts";
import type { Result } from "../rejection.ts";

/**
 * Picks the normaliser by event type, whatever the transport: `falco.rule.output.v1` (raw
 * Falco wrapped by intake, or Falcosidekick's CloudEvents) is read as a Falco alert,
 * `io.prometheus.alertmanager.alert.v1` as an Alertmanager alert, anything else generically.
 * An event claiming a Falco or Alertmanager type must carry valid data of that kind.
 */
export function normaliseEvent(event: CloudEventEnvelope, options: NormaliseOptions): Result<NormalisedAlert> {
  switch (event.type) {
    case FALCO_EVENT_TYPE:
      return normaliseFalcoEvent(event, options);
    case ALERTMANAGER_EVENT_TYPE:
      return normaliseAlertmanagerEvent(event, options);
    default:
      return normaliseGenericEvent(event, options);
  }
}
