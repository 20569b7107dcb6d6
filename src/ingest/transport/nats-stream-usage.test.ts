import type { StreamInfo } from "@nats-io/jetstream";
import { pino } from "pino";
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { createIntakeMetrics } from "../intake-metrics.ts";
import { StreamUsageMonitor, usageRatio } from "./nats-stream-usage.ts";

function info(bytes: number, messages: number, maxBytes: number, maxMsgs: number): StreamInfo {
  return { state: { bytes, messages }, config: { max_bytes: maxBytes, max_msgs: maxMsgs } } as unknown as StreamInfo;
}

describe("usageRatio", () => {
  it("is the larger share of the limits that are set", () => {
    expect(usageRatio(info(500, 10, 1_000, 100))).toBe(0.5);
    expect(usageRatio(info(100, 90, 1_000, 100))).toBe(0.9);
    expect(usageRatio(info(100, 90, 1_000, -1))).toBe(0.1);
    expect(usageRatio(info(100, 90, -1, -1))).toBeUndefined();
  });
});

describe("StreamUsageMonitor", () => {
  it("sets the gauges and warns once per crossing of the threshold", async () => {
    const lines: { level: number; msg: string }[] = [];
    const logger = pino({ level: "info" }, { write: (line: string) => lines.push(JSON.parse(line) as { level: number; msg: string }) });
    const metrics = createIntakeMetrics(new Registry());
    const monitor = new StreamUsageMonitor({ metrics, logger, streams: ["EVENTS"] });
    const states = [info(100, 1, 1_000, 100), info(850, 2, 1_000, 100), info(900, 3, 1_000, 100), info(100, 1, 1_000, 100), info(800, 1, 1_000, 100)];
    const jsm = { streams: { info: () => Promise.resolve(states.shift()) } } as never;
    const nearlyFull = (): number => lines.filter((line) => line.msg === "jetstream stream is nearly full").length;

    await monitor.sample(jsm);
    expect(nearlyFull()).toBe(0);
    expect((await metrics.streamBytes.get()).values).toEqual([{ labels: { stream: "EVENTS" }, value: 100 }]);
    await monitor.sample(jsm);
    await monitor.sample(jsm);
    expect(nearlyFull()).toBe(1);
    expect((await metrics.streamMaxBytes.get()).values[0]?.value).toBe(1_000);
    await monitor.sample(jsm);
    expect(lines.some((line) => line.msg === "jetstream stream usage back below the warning threshold")).toBe(true);
    await monitor.sample(jsm);
    expect(nearlyFull()).toBe(2);
  });

  it("reports a stream without a byte limit once", async () => {
    const lines: string[] = [];
    const logger = pino({ level: "info" }, { write: (line: string) => lines.push(line) });
    const monitor = new StreamUsageMonitor({ metrics: createIntakeMetrics(new Registry()), logger, streams: ["DL"] });
    const jsm = { streams: { info: () => Promise.resolve(info(10, 1, -1, -1)) } } as never;
    await monitor.sample(jsm);
    await monitor.sample(jsm);
    expect(lines.filter((line) => line.includes("has no byte limit"))).toHaveLength(1);
  });
});
