import { parseDuration } from "../../api/duration.ts";
import { DEFAULT_FEED_CONFIDENCE } from "../../api/v1alpha1/schema/threat-feed.ts";
import type { ThreatFeed, ThreatFeedCsv, ThreatFeedSpec } from "../../api/v1alpha1/types.generated.ts";
import type { CsvFormat, FeedFormat, FeedSettings } from "../../intel/index.ts";
import { objectKey } from "../../runtime/object-key.ts";

/**
 * The settings every indicator of `feed` is loaded with: its key and namespace, severity, labels,
 * default confidence, subdomain matching, `expireAfter` and indicator cap, the schema's defaults
 * applied. `expireAfter` is trusted to be a duration (the schema checks it); one that does not
 * parse is left out rather than guessed.
 */
export function feedSettingsOf(feed: ThreatFeed): FeedSettings {
  const { spec } = feed;
  const expireAfterMs = spec.expireAfter === undefined ? undefined : parseDuration(spec.expireAfter);
  return {
    key: objectKey(feed),
    namespace: feed.metadata.namespace ?? "",
    labels: spec.labels ?? [],
    defaultConfidence: spec.defaultConfidence ?? DEFAULT_FEED_CONFIDENCE,
    includeSubdomains: spec.includeSubdomains ?? false,
    ...(spec.severity === undefined ? {} : { severity: spec.severity }),
    ...(expireAfterMs === undefined ? {} : { expireAfterMs }),
    ...(spec.maxIndicators === undefined ? {} : { maxIndicators: spec.maxIndicators }),
  };
}

function csvFormatOf(csv: ThreatFeedCsv): CsvFormat {
  return {
    kind: "csv",
    valueColumn: csv.valueColumn,
    header: csv.header ?? false,
    ...(csv.typeColumn === undefined ? {} : { typeColumn: csv.typeColumn }),
    ...(csv.confidenceColumn === undefined ? {} : { confidenceColumn: csv.confidenceColumn }),
    ...(csv.labelsColumn === undefined ? {} : { labelsColumn: csv.labelsColumn }),
    ...(csv.expiresColumn === undefined ? {} : { expiresColumn: csv.expiresColumn }),
    ...(csv.delimiter === undefined ? {} : { delimiter: csv.delimiter }),
  };
}

/**
 * How the text of a feed's ConfigMap, Secret or URL is read: `spec.format`, a list when absent;
 * undefined for `type: csv` without its `csv` settings (the schema refuses it).
 */
export function feedFormatOf(spec: ThreatFeedSpec): FeedFormat | undefined {
  const format = spec.format;
  switch (format?.type ?? "list") {
    case "list":
      return { kind: "list", ...(format?.indicatorType === undefined ? {} : { type: format.indicatorType }) };
    case "stix2":
      return { kind: "stix2" };
    case "csv":
      return format?.csv === undefined ? undefined : csvFormatOf(format.csv);
  }
}
