import { ApiException } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { AlertSuppression } from "../../api/v1alpha1/types.generated.ts";
import { aSuppression } from "../../testing/objects.ts";
import type { SuppressionStatusStore } from "./suppression-status-store.ts";
import { TALLY_WRITE_ATTEMPTS, writeTally } from "./tally-writer.ts";

const tally = { uid: "sup-uid", count: 3, lastMatchedTime: "2026-03-01T12:00:03.000Z", samples: [] };

function apiError(code: number): ApiException<string> {
  return new ApiException(code, "refused", JSON.stringify({ kind: "Status", code }), {});
}

/** A store holding one suppression whose status other writers change `conflicts` times before a write gets through. */
function storeWith(stored: AlertSuppression | undefined, conflicts = 0): SuppressionStatusStore & { writes: AlertSuppression[]; reads: number } {
  let remaining = conflicts;
  const store = {
    writes: [] as AlertSuppression[],
    reads: 0,
    get: () => {
      store.reads++;
      return Promise.resolve(stored);
    },
    replaceStatus: (suppression: AlertSuppression) => {
      if (remaining > 0) {
        remaining--;
        return Promise.reject(apiError(409));
      }
      store.writes.push(suppression);
      return Promise.resolve(suppression);
    },
  };
  return store;
}

describe("writeTally", () => {
  it("adds the tally to the status it read", async () => {
    const store = storeWith(aSuppression({ status: { matchedCount: 10 } }));
    expect(await writeTally(store, "ns", "sup", tally)).toBe("written");
    expect(store.writes[0]?.status).toMatchObject({ matchedCount: 13, lastMatchedTime: tally.lastMatchedTime });
  });

  it("reads again after a conflict, and gives up after its attempts", async () => {
    const store = storeWith(aSuppression(), 2);
    expect(await writeTally(store, "ns", "sup", tally)).toBe("written");
    expect(store.reads).toBe(3);
    expect(await writeTally(storeWith(aSuppression(), TALLY_WRITE_ATTEMPTS), "ns", "sup", tally)).toBe("conflict");
  });

  it("drops the counts of a suppression that is gone or was replaced by another object", async () => {
    expect(await writeTally(storeWith(undefined), "ns", "sup", tally)).toBe("gone");
    expect(await writeTally(storeWith(aSuppression({ metadata: { uid: "other" } })), "ns", "sup", tally)).toBe("gone");
  });

  it("rejects on other errors, so that the caller keeps the tally", async () => {
    const store: SuppressionStatusStore = { get: () => Promise.resolve(aSuppression()), replaceStatus: () => Promise.reject(apiError(503)) };
    await expect(writeTally(store, "ns", "sup", tally)).rejects.toThrow();
  });
});
