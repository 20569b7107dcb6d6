import { randomBytes } from "node:crypto";
import type { CoreV1Event, KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";
import type { Clock } from "../runtime/clock.ts";
import { boundText, MAX_MESSAGE_LENGTH } from "../api/v1alpha1/bounds.ts";
import type { Plain } from "../runtime/plain-object.ts";
import { jsonClientFor } from "../runtime/kube-api-client.ts";

/** The object an Event is about. */
export interface EventSubject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string | undefined;
}

/** One Event: reason is the condition or timeline reason. */
export interface RecordedEvent {
  readonly type: "Normal" | "Warning";
  readonly reason: string;
  readonly message: string;
}

/** Records Kubernetes Events; never throws and never blocks a reconcile. */
export interface EventRecorder {
  /** Queues the Event and returns at once; it is written in the background. */
  record(subject: EventSubject, event: RecordedEvent): void;
  /** Resolves once every Event queued so far is written or dropped. */
  drain(): Promise<void>;
}

/** Name of the component in `source.component` / `reportingComponent`. */
export const REPORTING_COMPONENT = "kube-soar";

/** Events waiting to be written beyond which new ones are dropped (and logged): the API is not keeping up. */
export const MAX_PENDING_EVENTS = 1000;

/** Event writes in flight at once. */
export const EVENT_WRITE_CONCURRENCY = 4;

/** Options of {@link createQueuedEventRecorder}. */
export interface QueuedEventRecorderOptions<T> {
  /** Builds the Event object at record time (so timestamps are those of the recording). */
  build: (subject: EventSubject, event: RecordedEvent) => T;
  /** Writes one Event; a rejection is logged and the Event dropped. */
  send: (body: T) => Promise<void>;
  logger: Logger;
  maxPending?: number;
  concurrency?: number;
}

/**
 * An {@link EventRecorder} that writes Events from a bounded queue with a few writes in
 * flight, so a reconcile never waits on them. When the queue is full the Event is dropped and
 * logged at warn level: Events are informative, status is the record.
 */
export function createQueuedEventRecorder<T>(options: QueuedEventRecorderOptions<T>): EventRecorder {
  const maxPending = options.maxPending ?? MAX_PENDING_EVENTS;
  const concurrency = options.concurrency ?? EVENT_WRITE_CONCURRENCY;
  const pending: { body: T; reason: string; object: string }[] = [];
  const idleWaiters: (() => void)[] = [];
  let inFlight = 0;

  function settleIfIdle(): void {
    if (inFlight > 0 || pending.length > 0) return;
    for (const resolve of idleWaiters.splice(0)) resolve();
  }

  function pump(): void {
    while (inFlight < concurrency) {
      const next = pending.shift();
      if (next === undefined) break;
      inFlight++;
      options.send(next.body).then(
        () => undefined,
        (error: unknown) => { options.logger.warn({ err: error, reason: next.reason, object: next.object }, "event could not be recorded"); },
      ).finally(() => {
        inFlight--;
        pump();
        settleIfIdle();
      });
    }
  }

  return {
    record(subject, event) {
      const object = `${subject.namespace}/${subject.name}`;
      if (pending.length >= maxPending) {
        options.logger.warn({ reason: event.reason, object, pending: pending.length }, "event dropped: too many events waiting to be written");
        return;
      }
      pending.push({ body: options.build(subject, event), reason: event.reason, object });
      pump();
    },
    drain() {
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        settleIfIdle();
      });
    },
  };
}

/**
 * An {@link EventRecorder} writing core/v1 Events, shown by `kubectl describe` and
 * `kubectl events`: involvedObject is the subject, reason and type as given, the message
 * bounded, `reportingInstance` the operator's identity; queued as {@link createQueuedEventRecorder}.
 */
export function createEventRecorder(options: { kubeConfig: KubeConfig; clock: Clock; logger: Logger; instance: string }): EventRecorder {
  const client = jsonClientFor(options.kubeConfig);
  return createQueuedEventRecorder({
    logger: options.logger,
    build: (subject, event): Plain<CoreV1Event> => {
      const now = options.clock.now();
      const suffix = `${now.getTime().toString(16)}${randomBytes(4).toString("hex")}`;
      return {
        apiVersion: "v1",
        kind: "Event",
        metadata: { name: `${subject.name.slice(0, 200)}.${suffix}`, namespace: subject.namespace },
        involvedObject: {
          apiVersion: subject.apiVersion,
          kind: subject.kind,
          name: subject.name,
          namespace: subject.namespace,
          ...(subject.uid === undefined ? {} : { uid: subject.uid }),
        },
        type: event.type,
        reason: event.reason,
        message: boundText(event.message, MAX_MESSAGE_LENGTH),
        count: 1,
        firstTimestamp: now,
        lastTimestamp: now,
        source: { component: REPORTING_COMPONENT },
        reportingComponent: REPORTING_COMPONENT,
        reportingInstance: options.instance,
      };
    },
    send: async (body) => {
      await client.request("POST", `/api/v1/namespaces/${encodeURIComponent(body.metadata.namespace ?? "")}/events`, body);
    },
  });
}
