/**
 * The `Idempotency-Key` of a connector call: the Incident (by UID, so a re-created Incident of
 * the same name gets new keys), the Playbook, the step and the attempt. Retries inside one call
 * share it; a new attempt of the step gets a new one.
 */
export function connectorIdempotencyKey(parts: { incidentUid: string; playbook: string; step: string; attempt: number }): string {
  return `${parts.incidentUid}/${parts.playbook}/${parts.step}/${parts.attempt}`;
}

/**
 * The `Idempotency-Key` of an escalation level's call: the Incident (by UID) and the level, so
 * each level of an Incident has one key whichever Playbook's escalation fires it. It has three
 * segments where a step's key has four (Playbook names hold no `/`), so the two never collide.
 */
export function escalationIdempotencyKey(parts: { incidentUid: string; level: number }): string {
  return `${parts.incidentUid}/escalation/${parts.level}`;
}
