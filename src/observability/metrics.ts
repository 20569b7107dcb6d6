import { collectDefaultMetrics, Registry } from "prom-client";

/**
 * The operator's one metrics registry: process and Node.js runtime metrics plus whatever the
 * components register on it. Components receive the registry; none uses prom-client's global.
 */
export function createMetricsRegistry(options: { defaultMetrics: boolean }): Registry {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  return registry;
}
