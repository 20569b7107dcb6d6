import type { SuppressedAlert } from "../../api/v1alpha1/types.generated.ts";
import { latestSamples, mergeTallies, type SilencedTally } from "../../suppression/index.ts";

/** A tally of one suppression, bound to the object (uid) that silenced the alerts. */
export interface OwnedTally extends SilencedTally {
  readonly uid: string | undefined;
}

/**
 * Alerts this replica silenced, per suppression key, since they were last taken for a status
 * write: a count, the latest time and the latest samples (bounded), so memory stays bounded
 * however many alerts a suppression silences. A tally taken and not written is given back and
 * merged with what was counted meanwhile; one for an object that was replaced (another uid)
 * starts over.
 */
export class TallyBook {
  readonly #tallies = new Map<string, OwnedTally>();

  /** Keys with a tally not yet taken. */
  get size(): number {
    return this.#tallies.size;
  }

  /** Counts one silenced alert for the suppression `key` (of object `uid`). */
  record(key: string, uid: string | undefined, sample: SuppressedAlert): void {
    const current = this.#tallies.get(key);
    if (current === undefined || current.uid !== uid) {
      this.#tallies.set(key, { uid, count: 1, lastMatchedTime: sample.time, samples: [sample] });
      return;
    }
    this.#tallies.set(key, { uid, count: current.count + 1, lastMatchedTime: sample.time, samples: latestSamples([...current.samples, sample]) });
  }

  /** Every tally, removed from the book. */
  take(): Map<string, OwnedTally> {
    const taken = new Map(this.#tallies);
    this.#tallies.clear();
    return taken;
  }

  /** Gives back a tally that was taken and not written, merged before what was counted since. */
  restore(key: string, tally: OwnedTally): void {
    const current = this.#tallies.get(key);
    if (current === undefined) this.#tallies.set(key, tally);
    else if (current.uid === tally.uid) this.#tallies.set(key, { uid: tally.uid, ...mergeTallies(tally, current) });
  }

  /** Forgets the tally of a suppression that is gone. */
  forget(key: string): void {
    this.#tallies.delete(key);
  }
}
