import { describe, expect, it } from "vitest";
import { FIRST_RETRY_MS, MAX_SOURCE_RETRY_MS, nextAttemptDelay } from "./feed-schedule.ts";

const hour = 3_600_000;

describe("nextAttemptDelay", () => {
  it.each([
    { name: "a fetched feed after a success waits its refresh interval", outcome: { refreshMs: hour, failures: 0, retryable: false }, random: 0, delay: hour },
    { name: "with up to 10% of jitter", outcome: { refreshMs: hour, failures: 0, retryable: false }, random: 0.5, delay: hour * 1.05 },
    { name: "a first retryable failure is retried after 10s", outcome: { refreshMs: hour, failures: 1, retryable: true }, random: 0, delay: FIRST_RETRY_MS },
    { name: "the wait doubles with each failure", outcome: { refreshMs: hour, failures: 4, retryable: true }, random: 0, delay: 8 * FIRST_RETRY_MS },
    { name: "but never beyond the refresh interval", outcome: { refreshMs: 60_000, failures: 9, retryable: true }, random: 0, delay: 60_000 },
    { name: "a failure that waiting will not fix waits for the refresh", outcome: { refreshMs: hour, failures: 3, retryable: false }, random: 0, delay: hour },
    { name: "a ConfigMap or Secret source loaded waits for a change", outcome: { refreshMs: undefined, failures: 0, retryable: false }, random: 0.3, delay: undefined },
    { name: "a ConfigMap or Secret source missing waits for a change", outcome: { refreshMs: undefined, failures: 2, retryable: false }, random: 0.3, delay: undefined },
    { name: "an unreadable ConfigMap or Secret is retried with backoff", outcome: { refreshMs: undefined, failures: 2, retryable: true }, random: 0, delay: 2 * FIRST_RETRY_MS },
    { name: "at most every 5 minutes", outcome: { refreshMs: undefined, failures: 40, retryable: true }, random: 0, delay: MAX_SOURCE_RETRY_MS },
  ])("$name", ({ outcome, random, delay }) => {
    expect(nextAttemptDelay(outcome, random)).toBe(delay);
  });
});
