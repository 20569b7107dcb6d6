import { createHash } from "node:crypto";
import { connectorIdempotencyKey } from "../connectors/index.ts";

/** Longest intent id the Incident status holds (the schema's bound). */
export const MAX_INTENT_ID_LENGTH = 128;

/**
 * The deterministic id of one attempt of an action, connector or notify step, recorded as the
 * step's intent before the side effect and sent as the connector call's `Idempotency-Key`:
 * Incident UID, Playbook, step and attempt. The same inputs always give the same id; an id that
 * would exceed {@link MAX_INTENT_ID_LENGTH} is shortened with a hash of the whole, so distinct
 * inputs still give distinct ids.
 */
export function sideEffectIntentId(parts: { incidentUid: string; playbook: string; step: string; attempt: number }): string {
  const key = connectorIdempotencyKey(parts);
  if (key.length <= MAX_INTENT_ID_LENGTH) return key;
  const digest = createHash("sha256").update(key).digest("hex").slice(0, 32);
  return `${parts.incidentUid}/${digest}/${parts.attempt}`.slice(0, MAX_INTENT_ID_LENGTH);
}
