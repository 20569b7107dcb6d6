/** The only CloudEvents specification version intake accepts. */
export const CLOUDEVENTS_SPEC_VERSION = "1.0";

/**
 * A validated CloudEvents 1.0 event, independent of the transport and content mode it came
 * in: required attributes are non-empty strings free of control characters, `time` is
 * RFC 3339, extension names are lower-case alphanumerics, and `data` is a parsed JSON value
 * (or a string for text content types), already checked for size, depth and forbidden keys.
 */
export interface CloudEventEnvelope {
  readonly specversion: typeof CLOUDEVENTS_SPEC_VERSION;
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly subject?: string;
  readonly time?: string;
  readonly datacontenttype?: string;
  readonly dataschema?: string;
  /** Extension attributes, values rendered as strings (booleans as `true`/`false`, integers in decimal). */
  readonly extensions: Readonly<Record<string, string>>;
  /** The event data; absent when the event carries none. */
  readonly data?: unknown;
}

/** Names of the CloudEvents 1.0 context attributes other than extensions. */
export const CONTEXT_ATTRIBUTE_NAMES: readonly string[] = Object.freeze([
  "specversion",
  "id",
  "source",
  "type",
  "subject",
  "time",
  "datacontenttype",
  "dataschema",
]);

/** Names that can never be extension attributes: the context attributes and the data members. */
export const RESERVED_ATTRIBUTE_NAMES: readonly string[] = Object.freeze([...CONTEXT_ATTRIBUTE_NAMES, "data", "data_base64"]);
