import { createHash } from "node:crypto";
import type { CloudEventEnvelope } from "../decode/cloudevent-envelope.ts";
import { FALCO_EVENT_SOURCE, FALCO_EVENT_TYPE, falcoAlertUuid } from "../decode/falco-event.ts";

/** What identifies one event: a CloudEvents `source` and `id`. */
export interface EventIdentity {
  readonly source: string;
  readonly id: string;
}

/**
 * The identity of an event: its own `source` and `id`, except for a Falco alert (type
 * `falco.rule.output.v1`) whose data carries Falcosidekick's `uuid`: that uuid under source
 * `https://falco.org`, whatever envelope carried it. Falcosidekick's CloudEvents output sends a
 * random `ce-id` while its NATS and webhook outputs carry only the uuid; keyed this way, one
 * alert sent through several outputs is one event.
 */
export function eventIdentity(event: Pick<CloudEventEnvelope, "source" | "id" | "type" | "data">): EventIdentity {
  const uuid = event.type === FALCO_EVENT_TYPE ? falcoAlertUuid(event.data) : undefined;
  return uuid === undefined ? { source: event.source, id: event.id } : { source: FALCO_EVENT_SOURCE, id: uuid };
}

/**
 * The identity of one event ({@link eventIdentity}'s `source` + `id`), as 32 hex characters.
 * The same value is the JetStream message id of an event published by the HTTP receiver and the
 * entry an Incident's `status.recentEvents` keeps to recognise a redelivery. The two parts are
 * length-prefixed so that no pair of (source, id) collides with another by concatenation.
 */
export function eventHash(source: string, id: string): string {
  return createHash("sha256")
    .update(`${String(source.length)}:${source}`, "utf8")
    .update(`${String(id.length)}:${id}`, "utf8")
    .digest("hex")
    .slice(0, 32);
}
