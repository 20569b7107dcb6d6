import { describe, expect, it } from "vitest";
import { createExpressionCompiler } from "../expr/index.ts";
import { FIXED_NOW } from "../testing/fixed-now.ts";
import { aSuppression } from "../testing/objects.ts";
import { compileSuppression } from "./compile-suppression.ts";
import { suppressionState } from "./suppression-state.ts";

const expressions = createExpressionCompiler();
const HOUR = 3_600_000;
const MONTH = 720 * HOUR;
const now = FIXED_NOW.getTime();

describe("suppressionState", () => {
  it("is active until expiresAt, and says until when", () => {
    const state = suppressionState(compileSuppression(aSuppression(), expressions), now, MONTH);
    expect(state).toEqual({ active: true, reason: "Active", message: "silences matching alerts until 2026-03-01T13:00:00.000Z", expiresAtMs: now + HOUR });
  });

  it("is Expired from the instant expiresAt is reached", () => {
    const compiled = compileSuppression(aSuppression(), expressions);
    expect(suppressionState(compiled, now + HOUR - 1, MONTH).active).toBe(true);
    const expired = suppressionState(compiled, now + HOUR, MONTH);
    expect(expired).toMatchObject({ active: false, reason: "Expired" });
    expect(expired.message).toContain("spec.expiresAt: expired at 2026-03-01T13:00:00.000Z");
  });

  it("is ExpiryTooFar when expiresAt lies further after creation than the maximum, measured from creation", () => {
    const compiled = compileSuppression(aSuppression(), expressions);
    // Created an hour before now, expiring an hour after: two hours long.
    expect(suppressionState(compiled, now, 2 * HOUR).active).toBe(true);
    const tooFar = suppressionState(compiled, now, 2 * HOUR - 1);
    expect(tooFar).toMatchObject({ active: false, reason: "ExpiryTooFar" });
    expect(tooFar.message).toContain("--suppression-max-duration");
  });

  it("measures an object without a creation time from now", () => {
    const suppression = aSuppression();
    const metadata = { ...suppression.metadata };
    delete metadata.creationTimestamp;
    const compiled = compileSuppression({ ...suppression, metadata }, expressions);
    expect(suppressionState(compiled, now, HOUR).active).toBe(true);
    expect(suppressionState(compiled, now, HOUR - 1).reason).toBe("ExpiryTooFar");
  });

  it("is not active with the first problem of its spec, naming the field", () => {
    const compiled = compileSuppression(aSuppression({ spec: { match: "event.(" } }), expressions);
    const invalid = suppressionState(compiled, now, MONTH);
    expect(invalid).toMatchObject({ active: false, reason: "InvalidExpression" });
    expect(invalid.message).toMatch(/^spec\.match: /);
  });
});
