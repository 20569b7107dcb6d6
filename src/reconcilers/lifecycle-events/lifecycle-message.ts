import { CloudEvent, HTTP } from "cloudevents";
import type { LifecycleEvent } from "./pending-events.ts";

/** The leading part of every lifecycle event type; the rest names the subject's last two tokens. */
const TYPE_PREFIX = "io.kube-soar.";

/** A lifecycle event as a NATS message in CloudEvents binary content mode. */
export interface LifecycleMessage {
  readonly subject: string;
  /** `ce-specversion`, `ce-id`, `ce-source`, `ce-type`, `ce-subject`, `ce-time` and `content-type`. */
  readonly headers: Readonly<Record<string, string>>;
  /** The event data as JSON. */
  readonly data: Uint8Array;
}

/**
 * A token of a NATS subject naming a Kubernetes object: a name's `.` (which would split the
 * token) becomes `_`, a character no Kubernetes name has, so the name can be read back.
 */
export function subjectTokenOfName(name: string): string {
  return name.replaceAll(".", "_");
}

/**
 * The subject of a lifecycle event: `<prefix>.<namespace>.<name>.incident.<verb>` or
 * `<prefix>.<namespace>.<name>.step.finished`, the Incident's name with `.` written `_`. The
 * namespace comes first so NATS permissions can give a team `<prefix>.<namespace>.>`; every
 * subject has the same number of tokens, so `*` selects by position.
 */
export function lifecycleSubject(prefix: string, event: Pick<LifecycleEvent, "type" | "data">): string {
  const { namespace, name } = event.data.incident;
  return `${prefix}.${namespace}.${subjectTokenOfName(name)}.${event.type.slice(TYPE_PREFIX.length)}`;
}

/**
 * The NATS message of `event`: the CloudEvent (specversion 1.0, `source`, `subject`
 * `<namespace>/<name>`, `datacontenttype` application/json) validated by the CloudEvents SDK
 * and serialised by its binary mode, whose `ce-*` and `content-type` headers are the ones the
 * NATS protocol binding names.
 */
export function lifecycleMessage(prefix: string, source: string, event: LifecycleEvent): LifecycleMessage {
  const { namespace, name } = event.data.incident;
  const cloudEvent = new CloudEvent({
    specversion: "1.0",
    id: event.id,
    source,
    type: event.type,
    subject: `${namespace}/${name}`,
    time: event.time,
    datacontenttype: "application/json",
    data: event.data,
  });
  const { headers, body } = HTTP.binary(cloudEvent);
  const text = typeof body === "string" ? body : JSON.stringify(event.data);
  const entries = Object.entries(headers).filter((entry): entry is [string, string] => typeof entry[1] === "string");
  return { subject: lifecycleSubject(prefix, event), headers: Object.fromEntries(entries), data: new TextEncoder().encode(text) };
}
