import type { Registry } from "prom-client";

/**
 * The value of metric `name` with exactly `labels` on `registry` after a collect, or
 * undefined when that series does not exist. Histograms answer with their `_count` series.
 */
export async function metricValue(registry: Registry, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) return undefined;
  const { values } = await metric.get();
  const wanted = Object.entries(labels);
  const matches = values.filter((value) => {
    const series = value as { labels: Record<string, string | number>; metricName?: string };
    if (series.metricName !== undefined && series.metricName !== name && series.metricName !== `${name}_count`) return false;
    return (
      Object.keys(series.labels).filter((label) => label !== "le").length === wanted.length &&
      wanted.every(([label, expected]) => String(series.labels[label]) === expected) &&
      !("le" in series.labels)
    );
  });
  return matches[0]?.value;
}
