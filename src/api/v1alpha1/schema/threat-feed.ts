import { MAX_MESSAGE_LENGTH } from "../bounds.ts";
import { Kind, Plural, THREAT_FEED_FORMATS, THREAT_INDICATOR_TYPES } from "../constants.ts";
import type { Schema } from "./builders.ts";
import { boolean, enumeration, integer, intOrString, list, object, string, timestamp } from "./builders.ts";
import { conditions, duration, DURATION_PATTERN, objectName, observedGeneration, secretKeyRef, severity } from "./common.ts";
import type { KindSchema } from "./kind.ts";

/** Most indicators listed inline in a ThreatFeed; longer lists belong in a ConfigMap, a Secret or a URL. */
export const MAX_INLINE_INDICATORS = 1000;

/** Most labels a feed, or one inline indicator, states. */
export const MAX_FEED_LABELS = 16;

/** Longest label of a feed or of an inline indicator. */
export const MAX_FEED_LABEL_LENGTH = 64;

/** Longest value of an inline indicator (URLs are the longest). */
export const MAX_INLINE_VALUE_LENGTH = 2048;

/** The size cap of a feed's URL when `spec.http.maxBytes` is absent: 16 MiB. */
export const DEFAULT_FEED_MAX_BYTES = 16 * 1024 * 1024;

/** The largest `spec.http.maxBytes` accepted: 256 MiB. */
export const MAX_FEED_MAX_BYTES = 256 * 1024 * 1024;

/** The shortest `spec.http.refreshInterval` accepted. */
export const MIN_REFRESH_INTERVAL = "1m";

/** `spec.http.refreshInterval` when absent. */
export const DEFAULT_REFRESH_INTERVAL = "1h";

/** `spec.http.timeout` when absent. */
export const DEFAULT_FEED_TIMEOUT = "30s";

/** The longest `spec.http.timeout` accepted. */
export const MAX_FEED_TIMEOUT = "5m";

/** The most indicators one feed may hold, and `spec.maxIndicators` when absent. */
export const MAX_FEED_INDICATORS = 2_000_000;

/** `spec.defaultConfidence` when absent. */
export const DEFAULT_FEED_CONFIDENCE = 50;

/** Most rejected lines a ThreatFeed's status lists one by one. */
export const MAX_STATUS_REJECTED_LINES = 5;

// A label is any text without control characters (RE2 syntax, as the API server checks patterns).
const LABEL_PATTERN = String.raw`^[^\p{Cc}]+$`;

function labels(description: string): Schema {
  return list(description, string("A label, such as malware:emotet or tlp:amber.", { minLength: 1, maxLength: MAX_FEED_LABEL_LENGTH, pattern: LABEL_PATTERN }), {
    maxItems: MAX_FEED_LABELS,
  });
}

function indicatorType(description: string): Schema {
  return enumeration(description, THREAT_INDICATOR_TYPES, {
    typeName: "ThreatIndicatorType",
    typeDescription: "A kind of indicator: ipv4 and ipv6 (an address or a CIDR range), domain, url, sha256, sha1, md5.",
  });
}

function inlineIndicator(): Schema {
  return object(
    "One indicator of compromise.",
    {
      value: string(
        "The indicator: an IPv4 or IPv6 address or CIDR range, a domain, a URL (with its scheme), or a SHA-256, SHA-1 or MD5 hash in hex. It is stored canonically (shortest address form, lower-case domain, normalised URL without fragment, lower-case hash).",
        { minLength: 1, maxLength: MAX_INLINE_VALUE_LENGTH },
      ),
      type: indicatorType("The kind of indicator; inferred from the value's form when absent."),
      confidence: integer("How sure the feed is, 0 to 100; the feed's defaultConfidence when absent.", { minimum: 0, maximum: 100, format: "int32" }),
      labels: labels("Labels of this indicator, reported after the feed's own."),
      validUntil: timestamp("The time from which the indicator no longer matches; absent, it matches until the feed drops it (or expireAfter passes)."),
    },
    { required: ["value"], typeName: "InlineIndicator" },
  );
}

function configMapKeyRef(): Schema {
  return object(
    "The ConfigMap key holding the feed's text, in the feed's namespace. The ConfigMap is watched: an edit reloads the feed.",
    {
      name: objectName("Name of the ConfigMap, in the namespace of the ThreatFeed."),
      key: string("Key within the ConfigMap's data.", { minLength: 1, maxLength: 253, pattern: "^[-._a-zA-Z0-9]+$" }),
    },
    { required: ["name", "key"], typeName: "ConfigMapKeyRef" },
  );
}

function csvColumn(description: string): Schema {
  return intOrString(`${description} A name of the header row (needs header: true) or a position counted from 0.`);
}

function csvFormat(): Schema {
  return object(
    "How a CSV feed is read: RFC 4180 records (a quoted cell may hold the delimiter, doubled quotes and line breaks); cells are trimmed and an empty optional cell means not given. Required for type csv, only allowed for it.",
    {
      valueColumn: csvColumn("The column holding the indicator."),
      typeColumn: csvColumn(
        "The column naming each indicator's type (ip, ipv4, ipv6, domain, hostname, fqdn, url, uri, sha256, sha1, md5 or hash, in any case); absent or empty, the type is inferred from the value.",
      ),
      confidenceColumn: csvColumn("The column of each indicator's confidence, an integer from 0 to 100."),
      labelsColumn: csvColumn("The column of each indicator's labels, separated by ; or |."),
      expiresColumn: csvColumn("The column of an RFC 3339 time from which the indicator no longer matches."),
      header: boolean("Whether the first record names the columns; it is never read as an indicator.", { default: false }),
      delimiter: string("The one character separating cells.", { minLength: 1, maxLength: 1, default: "," }),
    },
    { required: ["valueColumn"], typeName: "ThreatFeedCsv" },
  );
}

function format(): Schema {
  return object(
    "How the text of a configMapRef, secretRef or http source is written. Absent, the text is a list.",
    {
      type: enumeration(
        "list: one indicator per line, blank lines and lines starting with # skipped. csv: comma-separated values as csv describes. stix2: a STIX 2.1 bundle of indicator objects whose pattern_type is stix and whose pattern compares ipv4-addr:value, ipv6-addr:value, domain-name:value, url:value or file:hashes.'SHA-256'|'SHA-1'|'MD5' with = (joined by OR); valid_from, valid_until, confidence and labels are honoured, revoked indicators skipped, and other patterns counted in status.unsupportedPatterns and skipped.",
        THREAT_FEED_FORMATS,
        { default: "list", typeName: "ThreatFeedFormatType", typeDescription: "How the text of a ThreatFeed's source is written." },
      ),
      indicatorType: indicatorType("For a list: the type of every line; inferred from each line's form when absent."),
      csv: csvFormat(),
    },
    {
      typeName: "ThreatFeedFormat",
      rules: [
        { rule: "(self.type == 'csv') == has(self.csv)", message: "csv settings are required for type csv and only allowed for it", fieldPath: ".csv" },
        { rule: "!has(self.indicatorType) || self.type == 'list'", message: "indicatorType applies to type list only", fieldPath: ".indicatorType" },
      ],
    },
  );
}

function authHeader(): Schema {
  return object(
    "A request header whose value is read from a Secret at each fetch (for example Authorization with the value Bearer <token>). The value is never logged or written to status.",
    {
      name: string("Name of the header.", { minLength: 1, maxLength: 256, pattern: "^[A-Za-z0-9-]+$" }),
      secretRef: secretKeyRef("The Secret key holding the header's whole value; trailing line breaks are removed."),
    },
    { required: ["name", "secretRef"], typeName: "ThreatFeedAuthHeader" },
  );
}

function httpSource(): Schema {
  return object(
    "Fetch the feed from an HTTPS URL, again every refreshInterval. Requests are conditional (If-None-Match with the last ETag, If-Modified-Since with the last Last-Modified): a 304 answer keeps the indicators and counts as a refresh. Redirects are not followed. A failed fetch keeps the previous indicators and is retried with backoff (10s doubling, at most refreshInterval). Every replica of the operator fetches the feed itself.",
    {
      url: string(
        "The https:// URL of the feed, without credentials (use authHeader). Its host must be or resolve to addresses the operator's destination policy allows, the same policy as Connectors': by default no loopback, link-local or cloud metadata address, no address of the API server or the operator, and, outside the operator's namespace, no private address.",
        {
          minLength: 1,
          maxLength: 2048,
          pattern: String.raw`^[A-Za-z][A-Za-z0-9+.-]*://[^\s/?#@]+([/?#]\S*)?$`,
          rules: [{ rule: "self.startsWith('https://')", message: "must be an https:// URL" }],
        },
      ),
      caSecretRef: secretKeyRef("Secret key holding PEM CA certificates to trust instead of the system roots."),
      serverName: string("Server name to verify and send as SNI, when it differs from the URL's host.", { minLength: 1, maxLength: 253 }),
      authHeader: authHeader(),
      refreshInterval: string(`How often the feed is fetched again, at least ${MIN_REFRESH_INTERVAL}; each replica adds up to 10% of jitter.`, {
        maxLength: 32,
        pattern: DURATION_PATTERN,
        default: DEFAULT_REFRESH_INTERVAL,
        rules: [{ rule: `duration(self) >= duration('${MIN_REFRESH_INTERVAL}')`, message: `must be at least ${MIN_REFRESH_INTERVAL}` }],
      }),
      timeout: string(`Longest time one fetch may take, from connecting to the end of the body; at most ${MAX_FEED_TIMEOUT}.`, {
        maxLength: 32,
        pattern: DURATION_PATTERN,
        default: DEFAULT_FEED_TIMEOUT,
        rules: [{ rule: `duration(self) > duration('0s') && duration(self) <= duration('${MAX_FEED_TIMEOUT}')`, message: `must be more than 0s and at most ${MAX_FEED_TIMEOUT}` }],
      }),
      maxBytes: integer(
        `The largest body accepted, in bytes after decompression (gzip is asked for and decoded). A larger body is refused while it is read: Ready turns False with reason TooLarge and the previous indicators stay in use. At most ${MAX_FEED_MAX_BYTES} (256 MiB); ${DEFAULT_FEED_MAX_BYTES} (16 MiB) when absent.`,
        { minimum: 1024, maximum: MAX_FEED_MAX_BYTES, default: DEFAULT_FEED_MAX_BYTES },
      ),
    },
    { required: ["url"], typeName: "ThreatFeedHTTP" },
  );
}

function threatFeedSpec(): Schema {
  return object(
    "Where the feed's indicators come from and what a match means. Exactly one source is set: inline, configMapRef, secretRef or http. A feed in the operator's namespace applies to every alert; a feed in another namespace only to Incidents of its own namespace.",
    {
      description: string("What the feed holds and where it comes from, for people.", { maxLength: 1024 }),
      inline: list(
        `Indicators listed in the ThreatFeed itself, at most ${MAX_INLINE_INDICATORS}.`,
        inlineIndicator(),
        { minItems: 1, maxItems: MAX_INLINE_INDICATORS },
      ),
      configMapRef: configMapKeyRef(),
      secretRef: secretKeyRef(
        "The Secret key holding the feed's text, for feeds whose content is licensed or confidential. The Secret is watched: an edit reloads the feed. Rejected lines of a Secret's text are reported by line number only.",
      ),
      http: httpSource(),
      format: format(),
      severity: severity("The severity an Incident is raised to when one of its observables matches this feed; absent, a match does not change the severity."),
      defaultConfidence: integer("The confidence, 0 to 100, of an indicator that states none.", {
        minimum: 0,
        maximum: 100,
        format: "int32",
        default: DEFAULT_FEED_CONFIDENCE,
      }),
      labels: labels("Labels of every indicator of the feed, reported before an indicator's own."),
      includeSubdomains: boolean("Whether a domain indicator also matches its subdomains (evil.example matches a.b.evil.example).", { default: false }),
      expireAfter: duration(
        "How long after a load an indicator the feed listed keeps matching; a feed that stops refreshing then stops matching. Absent, only an indicator's own expiry (validUntil, an expiry column, STIX valid_until) ends its matches.",
      ),
      maxIndicators: integer(`The most indicators the feed holds; further ones are rejected and counted. At most ${MAX_FEED_INDICATORS}, which is also the default.`, {
        minimum: 1,
        maximum: MAX_FEED_INDICATORS,
        format: "int32",
      }),
    },
    {
      typeName: "ThreatFeedSpec",
      rules: [
        {
          rule: "[has(self.inline), has(self.configMapRef), has(self.secretRef), has(self.http)].filter(set, set).size() == 1",
          message: "exactly one of inline, configMapRef, secretRef and http must be set",
        },
        {
          rule: "!has(self.inline) || !has(self.format)",
          message: "format describes the text of configMapRef, secretRef or http; inline indicators have none",
          fieldPath: ".format",
          reason: "FieldValueForbidden",
        },
        {
          rule: "has(self.expireAfter) ? duration(self.expireAfter) > duration('0s') : true",
          message: "expireAfter must be longer than 0s",
          fieldPath: ".expireAfter",
        },
      ],
    },
  );
}

function indicatorCounts(): Schema {
  return object(
    "How many distinct indicators the feed holds, in total and by type.",
    {
      total: integer("Every indicator held."),
      ...Object.fromEntries(THREAT_INDICATOR_TYPES.map((type) => [type, integer(`Indicators of type ${type}.`)])),
    },
    { typeName: "ThreatFeedIndicatorCounts" },
  );
}

function rejected(): Schema {
  return object(
    "Lines (or STIX objects) of the last load that could not be used, and the first few of them.",
    {
      count: integer("How many were rejected."),
      lines: list(
        `The first ${MAX_STATUS_REJECTED_LINES} rejected.`,
        object(
          "One rejected line.",
          {
            line: integer("The 1-based line of a list, the first line of a CSV record, or the 1-based position of a STIX object in the bundle's objects or of an indicator in spec.inline."),
            reason: string("What is wrong with it; for a feed whose text is a Secret's, a fixed text that never quotes the line.", { maxLength: MAX_MESSAGE_LENGTH }),
          },
          { required: ["line", "reason"], typeName: "ThreatFeedRejectedLine" },
        ),
        { maxItems: MAX_STATUS_REJECTED_LINES },
      ),
    },
    { required: ["count"], typeName: "ThreatFeedRejections" },
  );
}

function threatFeedStatus(): Schema {
  return object(
    "What the operator loaded. Ready is True (reason Loaded) when the last load or refresh succeeded; otherwise False with the reason (SourceNotFound, FetchFailed, ParseFailed, TooLarge, DestinationRefused, SecretNotFound, TenancyUnverified, InvalidSpec...) while the indicators of the last good load, described by the other fields, stay in use.",
    {
      conditions: conditions(),
      observedGeneration: observedGeneration(),
      indicators: indicatorCounts(),
      rejected: rejected(),
      unsupportedPatterns: integer("STIX patterns of the last load outside the supported comparisons, skipped."),
      expired: integer("Indicators of the last load whose own expiry had passed already, not held."),
      lastRefreshTime: timestamp("When the indicators in use were last loaded, or last confirmed unchanged by the feed's server (304)."),
    },
    { typeName: "ThreatFeedStatus" },
  );
}

/** The ThreatFeed kind: a source of indicators of compromise that alerts are matched against. */
export const threatFeedKind: KindSchema = {
  kind: Kind.ThreatFeed,
  plural: Plural.ThreatFeed,
  singular: "threatfeed",
  shortNames: ["tf"],
  categories: ["soar"],
  description:
    "A ThreatFeed is a source of indicators of compromise (addresses and CIDR ranges, domains, URLs, file hashes): listed inline, in a ConfigMap or Secret, or fetched from an HTTPS URL and refreshed, as a plain list, CSV or a STIX 2.1 bundle. Every replica of the operator holds the feed's indicators in memory; a feed that fails to load keeps its previous indicators.",
  spec: threatFeedSpec(),
  status: threatFeedStatus(),
  printerColumns: [
    {
      name: "Ready",
      type: "string",
      jsonPath: '.status.conditions[?(@.type=="Ready")].status',
      description: "Whether the last load or refresh succeeded.",
    },
    { name: "Indicators", type: "integer", jsonPath: ".status.indicators.total", description: "Indicators held." },
    { name: "Last-Refresh", type: "date", jsonPath: ".status.lastRefreshTime", description: "When the indicators were last loaded or confirmed." },
    { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp", description: "Time since creation." },
    {
      name: "Reason",
      type: "string",
      jsonPath: '.status.conditions[?(@.type=="Ready")].reason',
      description: "Why the feed is or is not Ready.",
      priority: 1,
    },
  ],
};
