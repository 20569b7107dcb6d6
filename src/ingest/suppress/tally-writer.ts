import { isConflict, isNotFound } from "../../runtime/errors.ts";
import { statusWithTally } from "../../suppression/index.ts";
import type { SuppressionStatusStore } from "./suppression-status-store.ts";
import type { OwnedTally } from "./tally-book.ts";

/** Reads-and-writes tried per tally when other writers keep changing the status in between. */
export const TALLY_WRITE_ATTEMPTS = 5;

/** What became of a tally. */
export type TallyWriteResult = "written" | "gone" | "conflict";

/**
 * Adds a tally to the status of the suppression `namespace/name`: reads it, writes its status
 * with the tally added (`statusWithTally`), guarded by the resourceVersion read, and reads again
 * after a conflict (another replica, or the controller, wrote in between), at most
 * {@link TALLY_WRITE_ATTEMPTS} times. `gone` when the suppression no longer exists or is another
 * object (uid) than the one that silenced the alerts: those counts belong to nothing. Other
 * errors reject; the caller keeps the tally for its next write.
 */
export async function writeTally(store: SuppressionStatusStore, namespace: string, name: string, tally: OwnedTally): Promise<TallyWriteResult> {
  for (let attempt = 0; attempt < TALLY_WRITE_ATTEMPTS; attempt++) {
    const current = await store.get(namespace, name);
    if (current === undefined || (tally.uid !== undefined && current.metadata.uid !== tally.uid)) return "gone";
    try {
      await store.replaceStatus({ ...current, status: statusWithTally(current.status, tally) });
      return "written";
    } catch (error: unknown) {
      if (isNotFound(error)) return "gone";
      if (!isConflict(error)) throw error;
    }
  }
  return "conflict";
}
