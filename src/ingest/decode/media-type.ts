const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const MEDIA_TYPE = new RegExp(`^[ \\t]*(${TOKEN})/(${TOKEN})[ \\t]*(?:;(.*))?$`);
const CHARSET_PARAMETER = /^[ \t]*charset[ \t]*=[ \t]*"?([^";]*)"?[ \t]*$/i;
const UTF8_CHARSETS: readonly string[] = ["utf-8", "utf8", "us-ascii"];

/** A parsed `Content-Type` / `datacontenttype` value. */
export interface MediaType {
  /** `type/subtype`, lower-cased. */
  readonly essence: string;
  /** The `charset` parameter, lower-cased, when present. */
  readonly charset?: string;
}

/** Parses a media type (RFC 9110 section 8.3.1); undefined when `type/subtype` is malformed. */
export function parseMediaType(value: string): MediaType | undefined {
  const match = MEDIA_TYPE.exec(value);
  if (match === null) return undefined;
  const essence = `${match[1] ?? ""}/${match[2] ?? ""}`.toLowerCase();
  for (const parameter of (match[3] ?? "").split(";")) {
    const charset = CHARSET_PARAMETER.exec(parameter)?.[1];
    if (charset !== undefined) return { essence, charset: charset.trim().toLowerCase() };
  }
  return { essence };
}

/** How intake reads event data of a given media type. */
export type DataFormat = "json" | "text" | "unsupported";

/**
 * JSON for `application/json`, `text/json` and any `+json` suffix; text for other `text/*`;
 * unsupported for everything else and for a charset other than UTF-8 (or its ASCII subset).
 */
export function dataFormatOf(mediaType: MediaType): DataFormat {
  if (mediaType.charset !== undefined && !UTF8_CHARSETS.includes(mediaType.charset)) return "unsupported";
  const { essence } = mediaType;
  if (essence === "application/json" || essence === "text/json" || essence.endsWith("+json")) return "json";
  if (essence.startsWith("text/")) return "text";
  return "unsupported";
}

/** The CloudEvents content mode a `Content-Type` selects. */
export type ContentMode = "structured" | "batch" | "other-event-format" | "none";

/** Structured (`application/cloudevents+json`), batch (`application/cloudevents-batch+json`), another CloudEvents format, or none. */
export function contentModeOf(mediaType: MediaType | undefined): ContentMode {
  if (mediaType === undefined) return "none";
  if (mediaType.essence === "application/cloudevents+json") return "structured";
  if (mediaType.essence === "application/cloudevents-batch+json") return "batch";
  if (mediaType.essence.startsWith("application/cloudevents")) return "other-event-format";
  return "none";
}
