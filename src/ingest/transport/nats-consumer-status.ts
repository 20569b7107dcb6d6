import type { ConsumerMessages } from "@nats-io/jetstream";
import type { Logger } from "pino";

/**
 * Logs the notifications of a consumer's message stream until it ends, and closes the stream
 * when its consumer or stream is missing or deleted, resolving "missing" then, so the consuming
 * loop sets them up afresh (recreates them in create mode, waits for them in verify mode);
 * "ended" when the stream ended otherwise.
 */
export async function watchConsumerStatus(messages: ConsumerMessages, logger: Logger): Promise<"missing" | "ended"> {
  for await (const status of messages.status()) {
    switch (status.type) {
      case "heartbeats_missed":
        logger.warn({ count: status.count }, "jetstream heartbeats missed");
        break;
      case "consumer_not_found":
      case "stream_not_found":
        logger.warn({ notification: status.type }, "jetstream consumer or stream missing");
        // Recreate them (create mode) or wait for them (verify mode) through a fresh setup.
        await messages.close();
        return "missing";
      case "consumer_deleted":
        logger.warn({ code: status.code }, "jetstream consumer deleted");
        await messages.close();
        return "missing";
      case "exceeded_limits":
        logger.warn({ code: status.code, description: status.description }, "jetstream pull exceeded limits");
        break;
      case "no_responders":
        logger.warn({ code: status.code }, "jetstream not responding");
        break;
      default:
        break;
    }
  }
  return "ended";
}
