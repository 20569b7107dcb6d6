/**
 * The closed set of reasons an incoming message is refused. Each value is a stable, bounded
 * string: usable as a metric label value and as the suffix of a dead-letter subject.
 */
export const RejectReason = {
  /** The body (or a JSON part of it) is not well-formed JSON, or is empty where JSON is required. */
  InvalidJson: "invalid-json",
  /** A required CloudEvents attribute (specversion, id, source, type) is absent. */
  MissingAttribute: "missing-attribute",
  /** An attribute or header is present but has the wrong type, syntax, name or characters. */
  InvalidAttribute: "invalid-attribute",
  /** `specversion` names a CloudEvents version other than 1.0. */
  UnsupportedSpecversion: "unsupported-specversion",
  /** The content type (of the message or of the event data) is not one intake accepts. */
  UnsupportedContentType: "unsupported-content-type",
  /** The message, a header block, an attribute or a batch exceeds its configured size. */
  TooLarge: "too-large",
  /** JSON nesting exceeds the configured depth. */
  TooDeep: "too-deep",
  /** Bytes are not valid UTF-8 (after percent-decoding, for header values) or base64 is malformed. */
  InvalidEncoding: "invalid-encoding",
  /** The JSON carries a key used for prototype pollution (`__proto__`, `constructor.prototype`). */
  ForbiddenKey: "forbidden-key",
  /** The message is none of the formats the transport accepts. */
  UnknownFormat: "unknown-format",
  /** An Alertmanager webhook body, or the data of an Alertmanager alert event, is invalid. */
  InvalidAlertmanager: "invalid-alertmanager",
  /** A Falco alert, raw or carried as CloudEvent data, is invalid. */
  InvalidFalco: "invalid-falco",
} as const;

/** One of the closed set of rejection reasons. */
export type RejectReason = (typeof RejectReason)[keyof typeof RejectReason];

/** A refused input: never thrown, always returned. */
export interface Rejection {
  readonly ok: false;
  readonly reason: RejectReason;
  /** The attribute name, header name or JSON path (`data.output_fields["k8s.pod.name"]`) at fault. */
  readonly field: string;
  /** A sentence for humans that names the field and says what is wrong with it. */
  readonly message: string;
}

/** An accepted input, carrying the decoded value. */
export interface Accepted<T> {
  readonly ok: true;
  readonly value: T;
}

/** The outcome of decoding or validating hostile input. */
export type Result<T> = Accepted<T> | Rejection;

/** Builds a rejection. The message must name `field`; callers write it as a full sentence. */
export function reject(reason: RejectReason, field: string, message: string): Rejection {
  return { ok: false, reason, field, message };
}

/** Wraps an accepted value. */
export function accept<T>(value: T): Accepted<T> {
  return { ok: true, value };
}

