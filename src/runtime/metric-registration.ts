import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** Name, help and label names of a metric. */
export interface MetricSpec<L extends string> {
  name: string;
  help: string;
  labelNames: readonly L[];
}

/** A histogram's spec plus its bucket upper bounds. */
export interface HistogramSpec<L extends string> extends MetricSpec<L> {
  buckets: readonly number[];
}

type CollectHook = () => void;

const collectHooks = new WeakMap<Registry, Map<string, Set<CollectHook>>>();

function hooksFor(registry: Registry, name: string): Set<CollectHook> {
  let byName = collectHooks.get(registry);
  if (byName === undefined) {
    byName = new Map();
    collectHooks.set(registry, byName);
  }
  let hooks = byName.get(name);
  if (hooks === undefined) {
    hooks = new Set();
    byName.set(name, hooks);
  }
  return hooks;
}

function mismatch(name: string, expected: string): Error {
  return new Error(`metric ${name} is already registered in this registry as a different type than ${expected}`);
}

/**
 * The counter `spec.name` on `registry`, created on first use; every caller gets the same
 * instance, so several queues or controllers can share a metric and tell themselves apart by
 * label. Throws when the name is taken by another metric type.
 */
export function counterOn<L extends string>(registry: Registry, spec: MetricSpec<L>): Counter<L> {
  const existing = registry.getSingleMetric(spec.name);
  if (existing === undefined) {
    return new Counter({ name: spec.name, help: spec.help, labelNames: spec.labelNames, registers: [registry] });
  }
  if (!(existing instanceof Counter)) throw mismatch(spec.name, "counter");
  return existing;
}

/** Like {@link counterOn}, for a histogram with the given buckets. */
export function histogramOn<L extends string>(registry: Registry, spec: HistogramSpec<L>): Histogram<L> {
  const existing = registry.getSingleMetric(spec.name);
  if (existing === undefined) {
    return new Histogram({
      name: spec.name,
      help: spec.help,
      labelNames: spec.labelNames,
      buckets: [...spec.buckets],
      registers: [registry],
    });
  }
  if (!(existing instanceof Histogram)) throw mismatch(spec.name, "histogram");
  return existing;
}

/**
 * Like {@link counterOn}, for a gauge. Gauges made here run, at every scrape, the hooks added
 * with {@link onCollect}, so values that change continuously (age of the oldest work item) are
 * computed when read rather than on a timer.
 */
export function gaugeOn<L extends string>(registry: Registry, spec: MetricSpec<L>): Gauge<L> {
  const existing = registry.getSingleMetric(spec.name);
  if (existing === undefined) {
    const hooks = hooksFor(registry, spec.name);
    return new Gauge({
      name: spec.name,
      help: spec.help,
      labelNames: spec.labelNames,
      registers: [registry],
      collect: () => {
        for (const hook of hooks) hook();
      },
    });
  }
  if (!(existing instanceof Gauge)) throw mismatch(spec.name, "gauge");
  return existing;
}

/**
 * Runs `hook` whenever the gauge `name` made by {@link gaugeOn} on `registry` is collected,
 * until the returned function is called.
 */
export function onCollect(registry: Registry, name: string, hook: () => void): () => void {
  const hooks = hooksFor(registry, name);
  hooks.add(hook);
  return () => {
    hooks.delete(hook);
  };
}

