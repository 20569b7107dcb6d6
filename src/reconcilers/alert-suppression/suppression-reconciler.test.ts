import { describe, expect, it } from "vitest";
import type { AlertSuppression, AlertSuppressionStatus } from "../../api/v1alpha1/types.generated.ts";
import { createExpressionCompiler } from "../../expr/index.ts";
import { FIXED_NOW } from "../../testing/fixed-now.ts";
import { aSuppression } from "../../testing/objects.ts";
import { silentLogger } from "../../testing/silent-logger.ts";
import type { RecordedEvent } from "../event-recorder.ts";
import { SuppressionReconciler } from "./suppression-reconciler.ts";

const HOUR = 3_600_000;
const context = { reconcileID: "r1", logger: silentLogger, signal: new AbortController().signal };

function reconcilerFor(suppression: AlertSuppression | undefined, now: Date = FIXED_NOW, maxDurationMs = 720 * HOUR) {
  const written: AlertSuppressionStatus[] = [];
  const events: RecordedEvent[] = [];
  const reconciler = new SuppressionReconciler({
    suppression: () => suppression,
    expressions: createExpressionCompiler(),
    maxDurationMs,
    writeStatus: (object) => {
      written.push(object.status as AlertSuppressionStatus);
      return Promise.resolve({ ...object, metadata: { ...object.metadata, resourceVersion: "next" } });
    },
    events: { record: (_subject, event) => { events.push(event); }, drain: () => Promise.resolve() },
    clock: { now: () => now },
  });
  return { reconciler, written, events };
}

describe("SuppressionReconciler", () => {
  it("reports an active suppression Ready and looks again the instant it expires", async () => {
    const { reconciler, written, events } = reconcilerFor(aSuppression({ status: { matchedCount: 7 } }));
    expect(await reconciler.reconcile("ns/sup", context)).toEqual({ requeueAfter: HOUR + 1 });
    expect(written).toMatchObject([{ matchedCount: 7, observedGeneration: 1, conditions: [{ type: "Ready", status: "True", reason: "Active" }] }]);
    expect(events).toMatchObject([{ type: "Normal", reason: "Active" }]);
  });

  it("reports an expired suppression not Ready, with a Warning, and does not look again", async () => {
    const { reconciler, written, events } = reconcilerFor(aSuppression(), new Date(FIXED_NOW.getTime() + HOUR));
    expect(await reconciler.reconcile("ns/sup", context)).toEqual({});
    expect(written[0]?.conditions?.[0]).toMatchObject({ status: "False", reason: "Expired" });
    expect(events).toMatchObject([{ type: "Warning", reason: "Expired" }]);
  });

  it.each([
    ["a match that does not compile", aSuppression({ spec: { match: "event.(" } }), 720 * HOUR, "InvalidExpression", /^spec\.match: /],
    ["an expiresAt further after creation than the maximum", aSuppression(), HOUR, "ExpiryTooFar", /^spec\.expiresAt: .*--suppression-max-duration/],
  ])("reports %s not Ready, naming the field", async (_, suppression, maxDurationMs, reason, message) => {
    const { reconciler, written } = reconcilerFor(suppression, FIXED_NOW, maxDurationMs);
    expect(await reconciler.reconcile("ns/sup", context)).toEqual({});
    expect(written[0]?.conditions?.[0]).toMatchObject({ status: "False", reason });
    expect(written[0]?.conditions?.[0]?.message).toMatch(message);
  });

  it("writes nothing when the status already says so, and nothing for a suppression that is gone", async () => {
    const first = reconcilerFor(aSuppression());
    await first.reconciler.reconcile("ns/sup", context);
    const settled = aSuppression({ status: first.written[0] ?? {} });
    const again = reconcilerFor(settled);
    expect(await again.reconciler.reconcile("ns/sup", context)).toEqual({ requeueAfter: HOUR + 1 });
    expect(again.written).toEqual([]);
    const gone = reconcilerFor(undefined);
    expect(await gone.reconciler.reconcile("ns/sup", context)).toEqual({});
    expect(gone.written).toEqual([]);
  });
});
