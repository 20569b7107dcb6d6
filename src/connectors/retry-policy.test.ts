import { describe, expect, it } from "vitest";
import { backoffDelay, isRetryableStatus, isSuccessStatus, MAX_BACKOFF_MS } from "./retry-policy.ts";

describe("retry policy", () => {
  it.each([
    [200, undefined, true, false],
    [204, [], true, false],
    [302, undefined, false, false],
    [202, [202], true, false],
    [200, [202], false, false],
    [400, undefined, false, false],
    [408, undefined, false, true],
    [429, undefined, false, true],
    [500, undefined, false, true],
    [501, undefined, false, false],
    [503, undefined, false, true],
  ])("HTTP %d with successCodes %j", (status, codes, success, retryable) => {
    expect(isSuccessStatus(status, codes)).toBe(success);
    expect(isRetryableStatus(status)).toBe(retryable);
  });

  it.each([
    [1000, 1, 1000],
    [1000, 2, 2000],
    [1000, 4, 8000],
    [1000, 20, MAX_BACKOFF_MS],
  ])("backoff from %dms before retry %d is %dms", (initial, retry, expected) => {
    expect(backoffDelay(initial, retry)).toBe(expected);
  });
});
