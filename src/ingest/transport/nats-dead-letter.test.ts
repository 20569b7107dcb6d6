import { headers as natsHeaders } from "@nats-io/transport-node";
import { describe, expect, it } from "vitest";
import { DeadLetterHeader, deadLetterMessage, type DeadLetterSource } from "./nats-dead-letter.ts";
import { messageBytes } from "./nats-payload-fit.ts";

const why = { reason: "invalid-json", field: "body", message: "body: not JSON" };

function source(size: number, headerBytes = 0): DeadLetterSource {
  const headers = natsHeaders();
  headers.set("Content-Type", "application/json");
  if (headerBytes > 0) headers.set("X-Big", "h".repeat(headerBytes));
  return { subject: "soar.events.x", headers, data: new Uint8Array(size).fill(0x61), deliveryCount: 1 };
}

describe("deadLetterMessage", () => {
  it("keeps a message that fits as it is, with the reason headers and no marker", () => {
    const fitted = deadLetterMessage(source(100), why, 1024 * 1024);
    expect(fitted.data.length).toBe(100);
    expect(fitted.headers.get(DeadLetterHeader.Reason)).toBe("invalid-json");
    expect(fitted.headers.get("Content-Type")).toBe("application/json");
    expect(fitted.headers.has(DeadLetterHeader.Truncated)).toBe(false);
  });

  it("cuts a payload that does not fit to exactly max_payload, marked with the original size", () => {
    const max = 1024 * 1024;
    const fitted = deadLetterMessage(source(max), why, max);
    expect(messageBytes(fitted.data, fitted.headers)).toBe(max);
    expect(fitted.data.length).toBeLessThan(max);
    expect(fitted.headers.get(DeadLetterHeader.Truncated)).toBe("true");
    expect(fitted.headers.get(DeadLetterHeader.OriginalSize)).toBe(String(max));
    expect(fitted.headers.get(DeadLetterHeader.Reason)).toBe("invalid-json");
    expect(fitted.headers.get(DeadLetterHeader.Message)).toBe("body: not JSON");
    expect(fitted.headers.get("Content-Type")).toBe("application/json");
  });

  it("fits at every size around the limit", () => {
    const max = 4096;
    for (const size of [max - 600, max - 400, max - 1, max, max + 1, 10 * max]) {
      const fitted = deadLetterMessage(source(size), why, max);
      expect(messageBytes(fitted.data, fitted.headers)).toBeLessThanOrEqual(max);
      const truncated = fitted.headers.get(DeadLetterHeader.Truncated) === "true";
      expect(truncated).toBe(messageBytes(source(size).data, deadLetterMessage(source(size), why, Infinity).headers) > max);
      expect(fitted.data.length).toBe(truncated ? max - messageBytes(new Uint8Array(0), fitted.headers) : size);
    }
  });

  it("leaves out original headers that alone exceed the limit, keeping the reason headers", () => {
    const max = 8192;
    const fitted = deadLetterMessage(source(1000, 10_000), why, max);
    expect(messageBytes(fitted.data, fitted.headers)).toBeLessThanOrEqual(max);
    expect(fitted.headers.get(DeadLetterHeader.HeadersDropped)).toBe("true");
    expect(fitted.headers.has("X-Big")).toBe(false);
    expect(fitted.headers.get(DeadLetterHeader.Reason)).toBe("invalid-json");
    expect(fitted.headers.get(DeadLetterHeader.OriginalSize)).toBe("1000");
    expect(fitted.data.length).toBe(1000);
  });
});
