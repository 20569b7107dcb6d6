import { Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../testing/manual-clock.ts";
import { REFUSAL_LOG_INTERVAL_MS, RefusalLog, type Refusal } from "./refusal-log.ts";

function capture(): { lines: Record<string, unknown>[]; log: RefusalLog; clock: ManualClock } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString("utf8")) as Record<string, unknown>);
      callback();
    },
  });
  const clock = new ManualClock();
  return { lines, log: new RefusalLog(pino({ level: "info" }, stream), clock), clock };
}

const refusal = (reason: string): Refusal => ({ reason, status: 401, remoteAddress: "10.0.0.7", path: "/falco", message: "Authorization: the token is not accepted" });

describe("RefusalLog", () => {
  it("logs a refusal at warn with reason, remote address and path", () => {
    const { lines, log } = capture();
    log.refused(refusal("token-not-accepted"));
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, reason: "token-not-accepted", status: 401, remoteAddress: "10.0.0.7", path: "/falco", suppressed: 0, msg: "receiver refused a request" }),
    ]);
  });

  it("logs at most one line per reason per interval and counts the refusals it left out", () => {
    const { lines, log, clock } = capture();
    for (let i = 0; i < 5; i++) log.refused(refusal("token-not-accepted"));
    log.refused(refusal("credentials-missing"));
    expect(lines.map((line) => line["reason"])).toEqual(["token-not-accepted", "credentials-missing"]);
    clock.advance(REFUSAL_LOG_INTERVAL_MS - 1);
    log.refused(refusal("token-not-accepted"));
    expect(lines).toHaveLength(2);
    clock.advance(1);
    log.refused(refusal("token-not-accepted"));
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatchObject({ reason: "token-not-accepted", suppressed: 5 });
  });
});
