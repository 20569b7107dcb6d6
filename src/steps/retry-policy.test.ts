import { describe, expect, it } from "vitest";
import { MAX_RETRY_DELAY_MS, mayRetry, retryDelayMs } from "./retry-policy.ts";

describe("retryDelayMs", () => {
  it.each([
    { backoffMs: 10_000, attempt: 1, expected: 10_000 },
    { backoffMs: 10_000, attempt: 2, expected: 20_000 },
    { backoffMs: 10_000, attempt: 4, expected: 80_000 },
    { backoffMs: 10_000, attempt: 20, expected: MAX_RETRY_DELAY_MS },
    { backoffMs: 1_000, attempt: 500, expected: MAX_RETRY_DELAY_MS },
  ])("backoff $backoffMs ms after attempt $attempt: $expected ms", ({ backoffMs, attempt, expected }) => {
    expect(retryDelayMs(backoffMs, attempt)).toBe(expected);
  });
});

describe("mayRetry", () => {
  it.each([
    { attempts: 1, limit: 0, expected: false },
    { attempts: 1, limit: 1, expected: true },
    { attempts: 2, limit: 1, expected: false },
    { attempts: 3, limit: 3, expected: true },
  ])("$attempts attempt(s) with limit $limit: $expected", ({ attempts, limit, expected }) => {
    expect(mayRetry(attempts, limit)).toBe(expected);
  });
});
