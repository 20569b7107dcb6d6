import { describe, expect, it } from "vitest";
import { capturedLogger } from "../../testing/captured-logger.ts";
import { ManualClock } from "../../testing/manual-clock.ts";
import { REFUSAL_LOG_INTERVAL_MS, RefusalLog, type Refusal } from "./refusal-log.ts";

function capture(): { read: () => Record<string, unknown>[]; log: RefusalLog; clock: ManualClock } {
  const { logger, lines } = capturedLogger("info");
  const clock = new ManualClock();
  return { read: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>), log: new RefusalLog(logger, clock), clock };
}

const refusal = (reason: string): Refusal => ({ reason, status: 401, remoteAddress: "10.0.0.7", path: "/falco", message: "Authorization: the token is not accepted" });

describe("RefusalLog", () => {
  it("logs a refusal at warn with reason, remote address and path", () => {
    const { read, log } = capture();
    log.refused(refusal("token-not-accepted"));
    expect(read()).toEqual([
      expect.objectContaining({ level: 40, reason: "token-not-accepted", status: 401, remoteAddress: "10.0.0.7", path: "/falco", suppressed: 0, msg: "receiver refused a request" }),
    ]);
  });

  it("logs at most one line per reason per interval and counts the refusals it left out", () => {
    const { read, log, clock } = capture();
    for (let i = 0; i < 5; i++) log.refused(refusal("token-not-accepted"));
    log.refused(refusal("credentials-missing"));
    expect(read().map((line) => line["reason"])).toEqual(["token-not-accepted", "credentials-missing"]);
    clock.advance(REFUSAL_LOG_INTERVAL_MS - 1);
    log.refused(refusal("token-not-accepted"));
    expect(read()).toHaveLength(2);
    clock.advance(1);
    log.refused(refusal("token-not-accepted"));
    expect(read()).toHaveLength(3);
    expect(read()[2]).toMatchObject({ reason: "token-not-accepted", suppressed: 5 });
  });
});
