import { randomBytes } from "node:crypto";
import { CoreV1Api, type CoreV1Event, type KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";
import type { Clock } from "../observability/clock.ts";
import { bounded } from "../executors/bounded-text.ts";
import type { Plain } from "../executors/plain-object.ts";

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

/** Records Kubernetes Events; never throws and never blocks a reconcile on failure. */
export interface EventRecorder {
  record(subject: EventSubject, event: RecordedEvent): Promise<void>;
}

/** Name of the component in `source.component` / `reportingComponent`. */
export const REPORTING_COMPONENT = "kube-soar";

const maxMessageLength = 1024;

/**
 * An {@link EventRecorder} writing core/v1 Events, shown by `kubectl describe` and
 * `kubectl events`: involvedObject is the subject, reason and type as given, the message
 * bounded, `reportingInstance` the operator's identity. A failed write is logged at warn level
 * with constant text and dropped: Events are informative, status is the record.
 */
export function createEventRecorder(options: { kubeConfig: KubeConfig; clock: Clock; logger: Logger; instance: string }): EventRecorder {
  const core = options.kubeConfig.makeApiClient(CoreV1Api);
  return {
    async record(subject, event) {
      const now = options.clock.now();
      const suffix = `${now.getTime().toString(16)}${randomBytes(4).toString("hex")}`;
      const body: Plain<CoreV1Event> = {
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
        message: bounded(event.message, maxMessageLength),
        count: 1,
        firstTimestamp: now,
        lastTimestamp: now,
        source: { component: REPORTING_COMPONENT },
        reportingComponent: REPORTING_COMPONENT,
        reportingInstance: options.instance,
      };
      try {
        await core.createNamespacedEvent({ namespace: subject.namespace, body });
      } catch (error: unknown) {
        options.logger.warn({ err: error, reason: event.reason, object: `${subject.namespace}/${subject.name}` }, "event could not be recorded");
      }
    },
  };
}
