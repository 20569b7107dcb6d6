import { DiscardPolicy, JetStreamApiCodes, JetStreamApiError, type JetStreamManager, type StreamConfig, type StreamInfo } from "@nats-io/jetstream";

/** Size limits of a JetStream stream and what it does when full; 0 means no limit. */
export interface StreamLimits {
  maxBytes: number;
  maxMsgs: number;
  /** `new` refuses publishes to a full stream; `old` drops its oldest messages to make room. */
  discard: "old" | "new";
}

/** A stream or consumer does not fit the configuration; the message names the option. */
export class JetStreamSetupError extends Error {
  override readonly name = "JetStreamSetupError";
}

/** Whether `error` is the JetStream API's answer with `code`. */
export function isJetStreamApiError(error: unknown, code: number): boolean {
  return error instanceof JetStreamApiError && error.code === code;
}

/** The stream configuration fields that carry `limits` (JetStream spells "no limit" -1). */
export function limitsConfig(limits: StreamLimits): Pick<StreamConfig, "max_bytes" | "max_msgs" | "discard"> {
  const limit = (value: number): number => (value > 0 ? value : -1);
  return { max_bytes: limit(limits.maxBytes), max_msgs: limit(limits.maxMsgs), discard: limits.discard === "new" ? DiscardPolicy.New : DiscardPolicy.Old };
}

/** The stream named `name`, or undefined when the server has none of that name. */
export async function streamInfo(jsm: JetStreamManager, name: string): Promise<StreamInfo | undefined> {
  try {
    return await jsm.streams.info(name);
  } catch (error: unknown) {
    if (isJetStreamApiError(error, JetStreamApiCodes.StreamNotFound)) return undefined;
    throw error;
  }
}
