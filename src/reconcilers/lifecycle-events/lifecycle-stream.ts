import { RetentionPolicy, StorageType, type JetStreamManager, type StreamInfo } from "@nats-io/jetstream";
import { nanos } from "@nats-io/transport-node";
import { JetStreamSetupError, limitsConfig, streamInfo, type StreamLimits } from "../../runtime/jetstream-streams.ts";
import { uncoveredSubjects } from "../../runtime/nats-subjects.ts";

/** The capture stream of lifecycle events and how it is set up. */
export interface LifecycleStreamSettings {
  /** Subject prefix of the events; the stream covers `<prefix>.>`. */
  readonly prefix: string;
  readonly stream: string;
  /** `create` creates or updates the stream; `verify` only checks that it covers the subjects. */
  readonly streamMode: "create" | "verify";
  /** How long an event id is remembered, so an event published again is stored once. */
  readonly duplicateWindowMs: number;
  readonly maxAgeMs: number;
  readonly limits: StreamLimits;
}

/**
 * Makes sure a stream keeps the lifecycle events (`<prefix>.>`). In `create` mode a missing
 * stream is created (file storage, limits retention: events stay until `maxAgeMs` or the
 * limits, whoever reads them; the duplicate window, never longer than the max age, drops an
 * event published again with the same id) and an existing one gets the subjects, max age and
 * limits; in `verify` mode a missing stream or an uncovered subject is a
 * {@link JetStreamSetupError} and the stream is left as it is.
 */
export async function ensureLifecycleStream(jsm: JetStreamManager, settings: LifecycleStreamSettings): Promise<StreamInfo> {
  const subjects = [`${settings.prefix}.>`];
  const existing = await streamInfo(jsm, settings.stream);
  if (settings.streamMode === "verify") {
    if (existing === undefined) {
      throw new JetStreamSetupError(`incidentEvents.stream: stream ${JSON.stringify(settings.stream)} does not exist (stream mode verify)`);
    }
    const uncovered = uncoveredSubjects(existing.config.subjects, subjects);
    if (uncovered.length > 0) {
      throw new JetStreamSetupError(`incidentEvents.prefix: stream ${JSON.stringify(settings.stream)} does not cover ${uncovered.join(", ")} (stream mode verify)`);
    }
    return existing;
  }
  const mutable = { max_age: nanos(settings.maxAgeMs), duplicate_window: nanos(Math.min(settings.duplicateWindowMs, settings.maxAgeMs)), ...limitsConfig(settings.limits) };
  if (existing === undefined) {
    try {
      return await jsm.streams.add({ name: settings.stream, subjects, retention: RetentionPolicy.Limits, storage: StorageType.File, ...mutable });
    } catch (error: unknown) {
      // Another replica may have created it in the meantime: update it below.
      const raced = await streamInfo(jsm, settings.stream);
      if (raced === undefined) throw error;
      return jsm.streams.update(settings.stream, { subjects: [...new Set([...raced.config.subjects, ...subjects])], ...mutable });
    }
  }
  return jsm.streams.update(settings.stream, { subjects: [...new Set([...existing.config.subjects, ...subjects])], ...mutable });
}
