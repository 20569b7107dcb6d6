import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.ts";

function capture(): { stream: PassThrough; lines: () => Record<string, unknown>[] } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk.toString("utf8")));
  return {
    stream,
    lines: () => chunks.join("").trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe("createLogger", () => {
  it("writes JSON with a constant message, fields as keys and credentials redacted", () => {
    const out = capture();
    const logger = createLogger({ level: "info", destination: out.stream });
    logger.info({ incident: "ns/inc-1", token: "s3cr3t", connector: { headers: { authorization: "Bearer abc" } } }, "incident created");
    logger.debug({ incident: "ns/inc-1" }, "hidden below the level");
    const [line, ...rest] = out.lines();
    expect(rest).toEqual([]);
    expect(line).toMatchObject({ level: "info", msg: "incident created", incident: "ns/inc-1", token: "[REDACTED]", service: "kube-soar" });
    expect(JSON.stringify(line)).not.toContain("s3cr3t");
    expect(JSON.stringify(line)).not.toContain("Bearer abc");
  });
});
