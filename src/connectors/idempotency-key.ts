/**
 * The `Idempotency-Key` of a connector call: the Incident (by UID, so a re-created Incident of
 * the same name gets new keys), the Playbook, the step and the attempt. Retries inside one call
 * share it; a new attempt of the step gets a new one.
 */
export function connectorIdempotencyKey(parts: { incidentUid: string; playbook: string; step: string; attempt: number }): string {
  return `${parts.incidentUid}/${parts.playbook}/${parts.step}/${parts.attempt}`;
}
