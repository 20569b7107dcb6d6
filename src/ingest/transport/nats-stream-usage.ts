import type { JetStreamManager, StreamInfo } from "@nats-io/jetstream";
import type { Logger } from "pino";
import type { IntakeMetrics } from "../intake-metrics.ts";

/** The share of a stream's byte or message limit above which intake warns. */
export const STREAM_USAGE_WARN_RATIO = 0.8;

/**
 * The used share of a stream's limits: the larger of bytes over `max_bytes` and messages over
 * `max_msgs`, ignoring a limit that is not set (≤ 0); undefined when neither is set.
 */
export function usageRatio(info: Pick<StreamInfo, "state" | "config">): number | undefined {
  const shares: number[] = [];
  if (info.config.max_bytes > 0) shares.push(info.state.bytes / info.config.max_bytes);
  if (info.config.max_msgs > 0) shares.push(info.state.messages / info.config.max_msgs);
  return shares.length === 0 ? undefined : Math.max(...shares);
}

/**
 * Samples intake's streams: sets the usage gauges of {@link IntakeMetrics} and logs a warning
 * when a stream's usage rises to {@link STREAM_USAGE_WARN_RATIO} of a limit (once per crossing:
 * again only after it fell back below), and once when a stream has no byte limit (a stream in
 * verify mode keeps its owner's limits; intake reports them rather than requiring any).
 */
export class StreamUsageMonitor {
  readonly #metrics: IntakeMetrics;
  readonly #logger: Logger;
  readonly #streams: readonly string[];
  readonly #above = new Set<string>();
  readonly #reportedUnbounded = new Set<string>();

  constructor(options: { metrics: IntakeMetrics; logger: Logger; streams: readonly string[] }) {
    this.#metrics = options.metrics;
    this.#logger = options.logger;
    this.#streams = [...new Set(options.streams)];
  }

  /** Reads every stream's info once and updates gauges and warnings; rejects when NATS cannot answer. */
  async sample(jsm: JetStreamManager): Promise<void> {
    for (const stream of this.#streams) this.#record(stream, await jsm.streams.info(stream));
  }

  #record(stream: string, info: StreamInfo): void {
    const { state, config } = info;
    this.#metrics.streamBytes.set({ stream }, state.bytes);
    this.#metrics.streamMessages.set({ stream }, state.messages);
    this.#metrics.streamMaxBytes.set({ stream }, config.max_bytes > 0 ? config.max_bytes : -1);
    this.#metrics.streamMaxMessages.set({ stream }, config.max_msgs > 0 ? config.max_msgs : -1);
    if (config.max_bytes <= 0 && !this.#reportedUnbounded.has(stream)) {
      this.#reportedUnbounded.add(stream);
      this.#logger.warn({ stream }, "jetstream stream has no byte limit; it can fill the NATS disk");
    }
    const ratio = usageRatio(info);
    const above = ratio !== undefined && ratio >= STREAM_USAGE_WARN_RATIO;
    if (above === this.#above.has(stream)) return;
    const usage = { stream, bytes: state.bytes, messages: state.messages, maxBytes: config.max_bytes, maxMessages: config.max_msgs, discard: config.discard };
    if (above) {
      this.#above.add(stream);
      this.#logger.warn({ ...usage, percent: Math.round(ratio * 100) }, "jetstream stream is nearly full");
    } else {
      this.#above.delete(stream);
      this.#logger.info(usage, "jetstream stream usage back below the warning threshold");
    }
  }
}
