import { describe, expect, it } from "vitest";
import type { SuppressedAlert } from "../../api/v1alpha1/types.generated.ts";
import { MAX_SUPPRESSION_SAMPLES } from "../../api/v1alpha1/schema/alert-suppression.ts";
import { TallyBook } from "./tally-book.ts";

function sample(second: number): SuppressedAlert {
  return { time: `2026-03-01T12:00:${String(second).padStart(2, "0")}.000Z`, type: "t", source: "//s", title: `alert ${String(second)}`, severity: "low" };
}

describe("TallyBook", () => {
  it("counts every alert and keeps the latest samples, bounded", () => {
    const book = new TallyBook();
    for (let second = 0; second < 30; second++) book.record("ns/sup", "uid-1", sample(second));
    const tally = book.take().get("ns/sup");
    expect(tally?.count).toBe(30);
    expect(tally?.lastMatchedTime).toBe(sample(29).time);
    expect(tally?.samples).toHaveLength(MAX_SUPPRESSION_SAMPLES);
    expect(tally?.samples[0]).toEqual(sample(20));
    expect(book.size).toBe(0);
  });

  it("merges a tally given back with what was counted since", () => {
    const book = new TallyBook();
    book.record("ns/sup", "uid-1", sample(1));
    const taken = book.take();
    book.record("ns/sup", "uid-1", sample(2));
    book.restore("ns/sup", taken.get("ns/sup") ?? { uid: "uid-1", count: 0, lastMatchedTime: "", samples: [] });
    expect(book.take().get("ns/sup")).toEqual({ uid: "uid-1", count: 2, lastMatchedTime: sample(2).time, samples: [sample(1), sample(2)] });
  });

  it("starts over for a suppression replaced by another object of the same name, and forgets a deleted one", () => {
    const book = new TallyBook();
    book.record("ns/sup", "uid-1", sample(1));
    book.record("ns/sup", "uid-2", sample(2));
    const taken = book.take();
    expect(taken.get("ns/sup")).toMatchObject({ uid: "uid-2", count: 1 });
    book.record("ns/sup", "uid-3", sample(3));
    book.restore("ns/sup", { uid: "uid-2", count: 1, lastMatchedTime: sample(2).time, samples: [sample(2)] });
    expect(book.take().get("ns/sup")).toMatchObject({ uid: "uid-3", count: 1 });
    book.record("ns/gone", "uid-4", sample(4));
    book.forget("ns/gone");
    expect(book.size).toBe(0);
  });
});
