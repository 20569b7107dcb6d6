import type { IncidentStatus } from "../../api/v1alpha1/types.generated.ts";
import type { SettledEscalation } from "./escalation-record.ts";

/**
 * Escalation calls this process made whose outcome no status write stored yet: the write that
 * followed the call lost a race (another writer, such as intake folding an occurrence, changed
 * the Incident during the call). A later pass records the remembered outcome instead of calling
 * it unknown. In memory on purpose, like the intent ledger: after a restart the outcome is
 * unknown, and the level is recorded Unknown and never sent again.
 */
export class UnrecordedEscalations {
  /** Incident key → intent id → the outcome of its call. */
  readonly #outcomes = new Map<string, Map<string, SettledEscalation>>();

  /** Remembers the outcome of the call of intent `id` of the Incident behind `key`. */
  remember(key: string, id: string, outcome: SettledEscalation): void {
    const outcomes = this.#outcomes.get(key) ?? new Map<string, SettledEscalation>();
    outcomes.set(id, outcome);
    this.#outcomes.set(key, outcomes);
  }

  /** The outcomes of the Incident behind `key` still to record, by intent id. */
  of(key: string): ReadonlyMap<string, SettledEscalation> {
    return this.#outcomes.get(key) ?? new Map();
  }

  /** Forgets the outcomes that `stored` (a status as written) records: settled, or gone. */
  recorded(key: string, stored: Pick<IncidentStatus, "escalations">): void {
    const outcomes = this.#outcomes.get(key);
    if (outcomes === undefined) return;
    const pending = new Set((stored.escalations ?? []).filter((escalation) => escalation.outcome === "Pending").map((escalation) => escalation.id));
    for (const id of outcomes.keys()) if (!pending.has(id)) outcomes.delete(id);
    if (outcomes.size === 0) this.#outcomes.delete(key);
  }

  /** Forgets an Incident that no longer exists. */
  forget(key: string): void {
    this.#outcomes.delete(key);
  }
}
