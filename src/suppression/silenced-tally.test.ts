import { describe, expect, it } from "vitest";
import type { SuppressedAlert } from "../api/v1alpha1/types.generated.ts";
import { MAX_SUPPRESSION_SAMPLES } from "../api/v1alpha1/schema/alert-suppression.ts";
import { mergeTallies, statusWithTally } from "./silenced-tally.ts";

function sample(second: number): SuppressedAlert {
  return { time: `2026-03-01T12:00:${String(second).padStart(2, "0")}.000Z`, type: "t", source: "//s", title: `alert ${String(second)}`, severity: "low" };
}

describe("statusWithTally", () => {
  it("adds the count to matchedCount, keeps the later time and the latest samples, and leaves conditions alone", () => {
    const conditions = [{ type: "Ready", status: "True" as const, reason: "Active", message: "", lastTransitionTime: "2026-03-01T11:00:00Z" }];
    const status = statusWithTally(
      { conditions, matchedCount: 40, lastMatchedTime: sample(5).time, samples: [sample(1), sample(5)] },
      { count: 3, lastMatchedTime: sample(9).time, samples: [sample(7), sample(8), sample(9)] },
    );
    expect(status).toEqual({ conditions, matchedCount: 43, lastMatchedTime: sample(9).time, samples: [sample(1), sample(5), sample(7), sample(8), sample(9)] });
  });

  it("starts from an empty status", () => {
    expect(statusWithTally(undefined, { count: 1, lastMatchedTime: sample(1).time, samples: [sample(1)] })).toEqual({ matchedCount: 1, lastMatchedTime: sample(1).time, samples: [sample(1)] });
  });

  it(`keeps at most ${String(MAX_SUPPRESSION_SAMPLES)} samples, the latest, oldest first, whichever replica saw them`, () => {
    const mine = Array.from({ length: 8 }, (_, index) => sample(index * 2));
    const theirs = Array.from({ length: 8 }, (_, index) => sample(index * 2 + 1));
    const status = statusWithTally({ samples: theirs, matchedCount: 8 }, { count: 8, lastMatchedTime: sample(14).time, samples: mine });
    expect(status.samples?.map((entry) => entry.title)).toEqual(Array.from({ length: MAX_SUPPRESSION_SAMPLES }, (_, index) => `alert ${String(index + 6)}`));
    expect(status.matchedCount).toBe(16);
  });
});

describe("mergeTallies", () => {
  it("keeps the later time whichever order the tallies come in", () => {
    const early = { count: 1, lastMatchedTime: sample(9).time, samples: [sample(9)] };
    const late = { count: 2, lastMatchedTime: sample(3).time, samples: [sample(3)] };
    expect(mergeTallies(early, late)).toEqual({ count: 3, lastMatchedTime: sample(9).time, samples: [sample(3), sample(9)] });
  });
});
