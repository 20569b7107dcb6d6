/**
 * Flood figures for the abuse benchmark: what a flood of distinct alerts does to Incident
 * creation under the creation budgets (docs/intake.md, "Creation budgets"). No side effect on
 * import; the caller starts the harness and intake (with the creation limits it wants to
 * measure, e.g. the flag defaults) and hands over how to send alerts and read intake's
 * `soar_intake_over_budget_total` (bench/abuse.ts runs it against an operator process).
 *
 *   const figures = await measureCreationFlood({ kubeConfig, namespace, overBudget, send, alerts: 1000, sources: 1 });
 *   console.log(formatFloodFigures(figures));
 */
import { CustomObjectsApi, type KubeConfig } from "@kubernetes/client-node";
import { GROUP, Plural, VERSION } from "../src/api/v1alpha1/constants.ts";
import { occurrenceStatus } from "../src/api/v1alpha1/incident-occurrences.ts";
import type { Incident } from "../src/api/v1alpha1/types.generated.ts";
import { BUDGET_LIMITS, type BudgetLimit } from "../src/ingest/write/creation-budget.ts";
import { floodFingerprint } from "../src/ingest/write/flood-request.ts";

/** What {@link measureCreationFlood} needs. */
export interface CreationFloodInput {
  kubeConfig: KubeConfig;
  /** Intake's default namespace (unmatched alerts and flood Incidents land there); Incidents already there are left out of the figures. */
  namespace: string;
  /** Reads intake's `soar_intake_over_budget_total` by limit. */
  overBudget: () => Promise<Record<BudgetLimit, number>>;
  /** Sends CloudEvents (structured JSON objects) to intake, e.g. one HTTP batch POST per call. */
  send: (events: readonly Record<string, unknown>[]) => Promise<void>;
  /** Distinct unmatched critical alerts to send. */
  alerts: number;
  /** Sources they are spread over, round robin (1: one source floods). */
  sources: number;
  /** Events per `send` call; default 100. */
  batch?: number;
  /** Give up waiting for every alert to be recorded after this long; default 120 s. */
  timeoutMs?: number;
}

/** What a flood did. */
export interface CreationFloodFigures {
  alerts: number;
  sources: number;
  /** From the first send until every alert is recorded (an Incident of its own or counted in a flood Incident). */
  seconds: number;
  /** Incidents opened for the alerts themselves. */
  incidentsOpened: number;
  /** Flood Incidents opened (of sources and of all sources). */
  floodIncidents: number;
  /** Alerts counted in flood Incidents. */
  foldedIntoFlood: number;
  /** `soar_intake_over_budget_total` by limit, as counted during the flood. */
  overBudget: Record<BudgetLimit, number>;
}

/**
 * `soar_intake_over_budget_total` by limit, read from the Prometheus text of an operator's
 * `/metrics`; a limit not yet counted is 0.
 */
export function overBudgetFromMetricsText(text: string): Record<BudgetLimit, number> {
  const counts = Object.fromEntries(BUDGET_LIMITS.map((limit) => [limit, 0])) as Record<BudgetLimit, number>;
  for (const match of text.matchAll(/^soar_intake_over_budget_total\{[^}]*limit="([^"]+)"[^}]*\} (\S+)$/gm)) {
    const limit = match[1] as BudgetLimit;
    if (limit in counts) counts[limit] += Number(match[2]);
  }
  return counts;
}

async function incidentsOf(kubeConfig: KubeConfig, namespace: string): Promise<Incident[]> {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  const list = (await api.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: Plural.Incident })) as { items: Incident[] };
  return list.items;
}

/**
 * Sends `alerts` distinct unmatched critical alerts spread over `sources` sources, waits until
 * every one is recorded, and returns what was opened and counted. Rejects after `timeoutMs`.
 */
export async function measureCreationFlood(input: CreationFloodInput): Promise<CreationFloodFigures> {
  const batch = input.batch ?? 100;
  const sources = Array.from({ length: input.sources }, (_, index) => `//flood-${String(index)}.bench.invalid`);
  const floods = new Set([floodFingerprint(undefined), ...sources.map((source) => floodFingerprint(source))]);
  const recorded = async (): Promise<{ opened: number; floodIncidents: number; folded: number }> => {
    const incidents = await incidentsOf(input.kubeConfig, input.namespace);
    const flood = incidents.filter((incident) => floods.has(incident.spec.fingerprint));
    return {
      opened: incidents.length - flood.length,
      floodIncidents: flood.length,
      folded: flood.reduce((sum, incident) => sum + (occurrenceStatus(incident).occurrences ?? 0), 0),
    };
  };
  const before = await input.overBudget();
  const baseline = await recorded();
  const run = Date.now().toString(36);
  const started = performance.now();
  for (let first = 0; first < input.alerts; first += batch) {
    const events = Array.from({ length: Math.min(batch, input.alerts - first) }, (_, offset) => {
      const index = first + offset;
      return { specversion: "1.0", id: `${run}-${String(index)}`, source: sources[index % sources.length], type: "com.example.flood", subject: `${run}-${String(index)}`, severity: "critical", data: {} };
    });
    await input.send(events);
  }
  const deadline = started + (input.timeoutMs ?? 120_000);
  for (;;) {
    const now = await recorded();
    const incidentsOpened = now.opened - baseline.opened;
    const foldedIntoFlood = now.folded - baseline.folded;
    if (incidentsOpened + foldedIntoFlood >= input.alerts) {
      const seconds = (performance.now() - started) / 1000;
      const after = await input.overBudget();
      const overBudget = Object.fromEntries(BUDGET_LIMITS.map((limit) => [limit, after[limit] - before[limit]])) as Record<BudgetLimit, number>;
      return { alerts: input.alerts, sources: input.sources, seconds, incidentsOpened, floodIncidents: now.floodIncidents - baseline.floodIncidents, foldedIntoFlood, overBudget };
    }
    if (performance.now() > deadline) throw new Error(`flood: ${String(incidentsOpened + foldedIntoFlood)} of ${String(input.alerts)} alerts recorded after ${String(input.timeoutMs ?? 120_000)} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** One line of figures, e.g. `flood: 1000 alerts from 1 source in 4.2 s: 45 Incidents, 1 flood Incident counting 955 (over budget: source 955)`. */
export function formatFloodFigures(figures: CreationFloodFigures): string {
  const over = BUDGET_LIMITS.filter((limit) => figures.overBudget[limit] > 0)
    .map((limit) => `${limit} ${String(figures.overBudget[limit])}`)
    .join(", ");
  return (
    `flood: ${String(figures.alerts)} alerts from ${String(figures.sources)} source${figures.sources === 1 ? "" : "s"} in ${figures.seconds.toFixed(1)} s: ` +
    `${String(figures.incidentsOpened)} Incidents, ${String(figures.floodIncidents)} flood Incident${figures.floodIncidents === 1 ? "" : "s"} counting ${String(figures.foldedIntoFlood)}` +
    ` (over budget: ${over === "" ? "none" : over})`
  );
}
