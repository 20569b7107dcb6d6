import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type ConsumerInfo,
  type JetStreamManager,
  type StreamInfo,
} from "@nats-io/jetstream";
import { nanos } from "@nats-io/transport-node";
import type { NatsOptions } from "../../config/options.ts";
import { isJetStreamApiError, JetStreamSetupError, limitsConfig, streamInfo } from "../../runtime/jetstream-streams.ts";
import { uncoveredSubjects } from "../../runtime/nats-subjects.ts";

/** Stream settings that {@link ensureStream} needs. */
export type StreamSettings = Pick<NatsOptions, "stream" | "subjects" | "streamMode" | "duplicateWindowMs" | "streamLimits">;

/** Dead-letter stream settings that {@link ensureDeadLetterStream} needs. */
export type DeadLetterStreamSettings = Pick<NatsOptions, "deadLetterStream" | "deadLetterPrefix" | "deadLetterMaxAgeMs" | "streamMode" | "duplicateWindowMs" | "deadLetterLimits">;

/** Consumer settings that {@link ensureConsumer} needs. */
export type ConsumerSettings = Pick<NatsOptions, "stream" | "durable" | "maxDeliver" | "ackWaitMs"> & {
  /** Deliveries one consumer may have unacknowledged across all replicas. */
  maxAckPending: number;
};

/**
 * Makes sure the alert stream exists and covers the configured subjects. In `create` mode a
 * missing stream is created (file storage, work-queue retention: a message leaves the stream once
 * acknowledged) and an existing one gets the configured subjects, duplicate window and limits;
 * in `verify` mode nothing is changed and a missing stream or an uncovered subject is a
 * {@link JetStreamSetupError}, while its limits are left to its owner (they are reported by the
 * stream usage metrics, not required).
 */
export async function ensureStream(jsm: JetStreamManager, settings: StreamSettings): Promise<StreamInfo> {
  if (settings.subjects.length === 0) throw new JetStreamSetupError("nats.subjects: at least one subject is required");
  const existing = await streamInfo(jsm, settings.stream);
  const duplicateWindow = nanos(settings.duplicateWindowMs);
  if (settings.streamMode === "verify") {
    if (existing === undefined) {
      throw new JetStreamSetupError(`nats.stream: stream ${JSON.stringify(settings.stream)} does not exist (stream mode verify)`);
    }
    const missing = uncoveredSubjects(existing.config.subjects, settings.subjects);
    if (missing.length > 0) {
      throw new JetStreamSetupError(
        `nats.subjects: stream ${JSON.stringify(settings.stream)} does not cover ${missing.join(", ")} (stream mode verify)`,
      );
    }
    return existing;
  }
  if (existing === undefined) {
    try {
      return await jsm.streams.add({
        name: settings.stream,
        subjects: settings.subjects,
        retention: RetentionPolicy.Workqueue,
        storage: StorageType.File,
        duplicate_window: duplicateWindow,
        ...limitsConfig(settings.streamLimits),
      });
    } catch (error: unknown) {
      // Another replica may have created it in the meantime: fall through to the update.
      const raced = await streamInfo(jsm, settings.stream);
      if (raced === undefined) throw error;
    }
  }
  return jsm.streams.update(settings.stream, { subjects: settings.subjects, duplicate_window: duplicateWindow, ...limitsConfig(settings.streamLimits) });
}

/**
 * Makes sure a stream keeps the dead letters (`<deadLetterPrefix>.>`), so an alert given up is
 * stored durably before its delivery is terminated. In `create` mode a missing stream is created
 * (file storage, limits retention: entries stay until `deadLetterMaxAgeMs`, with the duplicate
 * window so a retried dead-letter publish is stored once, and the configured limits) and an
 * existing one is updated to cover the subjects with the max age and limits; in `verify` mode a
 * missing stream or an uncovered subject is a {@link JetStreamSetupError} and its limits are
 * left as they are.
 */
export async function ensureDeadLetterStream(jsm: JetStreamManager, settings: DeadLetterStreamSettings): Promise<StreamInfo> {
  const subjects = [`${settings.deadLetterPrefix}.>`];
  const existing = await streamInfo(jsm, settings.deadLetterStream);
  const uncovered = existing === undefined ? subjects : uncoveredSubjects(existing.config.subjects, subjects);
  if (settings.streamMode === "verify") {
    if (existing === undefined) {
      throw new JetStreamSetupError(`nats.deadLetterStream: stream ${JSON.stringify(settings.deadLetterStream)} does not exist (stream mode verify)`);
    }
    if (uncovered.length > 0) {
      throw new JetStreamSetupError(
        `nats.deadLetterPrefix: stream ${JSON.stringify(settings.deadLetterStream)} does not cover ${uncovered.join(", ")} (stream mode verify)`,
      );
    }
    return existing;
  }
  const maxAge = nanos(settings.deadLetterMaxAgeMs);
  const limits = limitsConfig(settings.deadLetterLimits);
  if (existing === undefined) {
    try {
      return await jsm.streams.add({
        name: settings.deadLetterStream,
        subjects,
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
        max_age: maxAge,
        duplicate_window: nanos(Math.min(settings.duplicateWindowMs, settings.deadLetterMaxAgeMs)),
        ...limits,
      });
    } catch (error: unknown) {
      const raced = await streamInfo(jsm, settings.deadLetterStream);
      if (raced === undefined) {
        throw new JetStreamSetupError(
          `nats.deadLetterStream: stream ${JSON.stringify(settings.deadLetterStream)} for ${subjects.join(", ")} could not be created: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
      return jsm.streams.update(settings.deadLetterStream, { subjects: [...new Set([...raced.config.subjects, ...subjects])], max_age: maxAge, ...limits });
    }
  }
  return jsm.streams.update(settings.deadLetterStream, { subjects: [...new Set([...existing.config.subjects, ...subjects])], max_age: maxAge, ...limits });
}

/** The durable pull consumer's configuration: explicit ack, bounded deliveries and ack wait. */
export function consumerConfig(settings: ConsumerSettings): Partial<ConsumerConfig> {
  // No server-side `backoff`: nats-server replaces ack_wait by backoff[0], which would redeliver a
  // slow but healthy delivery after the first backoff step. Redelivery delays after a failure are
  // applied by `nak(delay)` instead, so ack_wait keeps its meaning.
  return {
    durable_name: settings.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(settings.ackWaitMs),
    max_deliver: settings.maxDeliver,
    max_ack_pending: settings.maxAckPending,
  };
}

/**
 * Creates the durable pull consumer, or updates the mutable settings of an existing one, so that
 * every replica consumes the same durable (each delivery goes to exactly one replica).
 */
export async function ensureConsumer(jsm: JetStreamManager, settings: ConsumerSettings): Promise<ConsumerInfo> {
  if (settings.maxDeliver < 1) throw new JetStreamSetupError("nats.maxDeliver: must be at least 1");
  if (settings.ackWaitMs < 1_000) throw new JetStreamSetupError("nats.ackWaitMs: must be at least 1s");
  const config = consumerConfig(settings);
  try {
    await jsm.consumers.info(settings.stream, settings.durable);
  } catch (error: unknown) {
    if (!isJetStreamApiError(error, JetStreamApiCodes.ConsumerNotFound)) throw error;
    try {
      return await jsm.consumers.add(settings.stream, config);
    } catch (addError: unknown) {
      // Created concurrently by another replica: update it below.
      try {
        await jsm.consumers.info(settings.stream, settings.durable);
      } catch {
        throw addError;
      }
    }
  }
  return jsm.consumers.update(settings.stream, settings.durable, {
    ack_wait: nanos(settings.ackWaitMs),
    max_deliver: settings.maxDeliver,
    max_ack_pending: settings.maxAckPending,
    backoff: [],
  });
}
