import { createHash } from "node:crypto";

/**
 * The identity of one event as CloudEvents defines it (`source` + `id`), as 32 hex characters.
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
