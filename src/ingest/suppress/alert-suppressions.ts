import type { Logger } from "pino";
import { Plural } from "../../api/v1alpha1/constants.ts";
import type { AlertSuppression } from "../../api/v1alpha1/types.generated.ts";
import type { ExpressionCompiler } from "../../expr/index.ts";
import { sleep, type RuntimeClock } from "../../runtime/clock.ts";
import { InformerFactory } from "../../runtime/informer-factory.ts";
import type { SharedInformer } from "../../runtime/informer.ts";
import type { KubeHttpClient } from "../../runtime/kube-http.ts";
import type { Alert } from "../alert.ts";
import type { IntakeMetrics } from "../intake-metrics.ts";
import { watchedPaths } from "../watched-paths.ts";
import { silencedSample } from "./silenced-sample.ts";
import { SuppressionIndex, type SilenceInput, type Silencing } from "./suppression-index.ts";
import type { SuppressionStatusStore } from "./suppression-status-store.ts";
import { TallyBook } from "./tally-book.ts";
import { writeTally } from "./tally-writer.ts";

/** How often a replica adds what it silenced to the suppressions' status. */
export const SUPPRESSION_FLUSH_INTERVAL_MS = 5_000;

/** Options of {@link AlertSuppressions}. */
export interface AlertSuppressionsOptions {
  readonly client: KubeHttpClient;
  readonly store: SuppressionStatusStore;
  /** The CEL compiler of Playbooks: `match` is compiled like a trigger's `when`. */
  readonly expressions: ExpressionCompiler;
  readonly clock: RuntimeClock;
  readonly logger: Logger;
  readonly metrics: Pick<IntakeMetrics, "suppressed">;
  /** The operator's namespace: its suppressions silence any alert. */
  readonly operatorNamespace: string;
  /** Namespaces whose suppressions are watched; empty watches all. */
  readonly watchNamespaces: readonly string[];
  /** Longest a suppression may last from its creation (`--suppression-max-duration`). */
  readonly maxDurationMs: number;
  /** Defaults to {@link SUPPRESSION_FLUSH_INTERVAL_MS}. */
  readonly flushIntervalMs?: number;
}

function keyOf(suppression: AlertSuppression): string {
  return `${suppression.metadata.namespace ?? ""}/${suppression.metadata.name ?? ""}`;
}

/**
 * Intake's AlertSuppressions in one replica: an informer cache of every watched namespace
 * feeding a {@link SuppressionIndex}, the tally of what this replica silenced, and a loop adding
 * that tally to each suppression's status every flush interval (and once more when it stops).
 * The metric counts each silenced alert at once; status catches up at the next write.
 */
export class AlertSuppressions {
  readonly #options: AlertSuppressionsOptions;
  readonly #factory: InformerFactory;
  readonly #informers: SharedInformer<AlertSuppression>[];
  readonly #index: SuppressionIndex;
  readonly #book = new TallyBook();
  readonly #stopFlushing = new AbortController();
  #flushing: Promise<void> | undefined;

  constructor(options: AlertSuppressionsOptions) {
    this.#options = options;
    this.#index = new SuppressionIndex({ expressions: options.expressions, operatorNamespace: options.operatorNamespace, maxDurationMs: options.maxDurationMs, clock: options.clock });
    this.#factory = new InformerFactory({ client: options.client, clock: options.clock, logger: options.logger });
    this.#informers = watchedPaths(Plural.AlertSuppression, options.watchNamespaces).map((path) =>
      this.#factory.informerFor<AlertSuppression>({ path, resource: Plural.AlertSuppression }),
    );
    for (const informer of this.#informers) {
      informer.addEventHandler({
        onAdd: (suppression) => {
          this.#index.upsert(suppression);
        },
        onUpdate: (_previous, suppression) => {
          this.#index.upsert(suppression);
        },
        onDelete: (suppression) => {
          const key = keyOf(suppression);
          this.#index.remove(key);
          this.#book.forget(key);
          options.metrics.suppressed.remove({ suppression: key });
        },
      });
    }
  }

  /**
   * Starts the informers, which run until `signal` aborts, and the status-write loop, which runs
   * until {@link stopped} is called (after the alerts in flight have been recorded).
   */
  start(signal: AbortSignal): void {
    this.#factory.start(signal);
    const interval = this.#options.flushIntervalMs ?? SUPPRESSION_FLUSH_INTERVAL_MS;
    const stopping = this.#stopFlushing.signal;
    this.#flushing = (async () => {
      while (await sleep(this.#options.clock, interval, stopping)) await this.flush();
    })();
  }

  /** True once every informer has listed its suppressions. */
  hasSynced(): boolean {
    return this.#informers.every((informer) => informer.hasSynced());
  }

  /** Resolves `true` once synced, `false` when `signal` aborts first. */
  waitForSync(signal: AbortSignal): Promise<boolean> {
    return this.#factory.waitForSync(signal);
  }

  /**
   * Resolves when the informers have stopped (after `start`'s signal aborted), the write loop has
   * ended and what was still counted has been written once more.
   */
  async stopped(): Promise<void> {
    await this.#factory.stopped();
    this.#stopFlushing.abort();
    await this.#flushing;
    await this.flush();
  }

  /** Suppressions held. */
  get size(): number {
    return this.#index.size;
  }

  /** Which of an alert's Incidents are silenced (see {@link SuppressionIndex.silenceSteps}). */
  silenceSteps(input: SilenceInput): Generator<void, Silencing, void> {
    return this.#index.silenceSteps(input);
  }

  /** Counts an alert silenced by `silencing` for each suppression that silenced it: metric now, status at the next write. */
  record(alert: Alert, silencing: Silencing): void {
    if (silencing.by.length === 0) return;
    const sample = silencedSample(alert, this.#options.clock.now());
    for (const key of silencing.by) {
      this.#book.record(key, this.#index.uidOf(key), sample);
      this.#options.metrics.suppressed.inc({ suppression: key });
    }
  }

  /**
   * Adds this replica's tallies to the suppressions' status. A tally that cannot be written now
   * (the API server unavailable, conflicts beyond the retries) is kept for the next write; one
   * whose suppression is gone is dropped. Never rejects.
   */
  async flush(): Promise<void> {
    const taken = this.#book.take();
    await Promise.all(
      [...taken].map(async ([key, tally]) => {
        const slash = key.indexOf("/");
        try {
          const result = await writeTally(this.#options.store, key.slice(0, slash), key.slice(slash + 1), tally);
          if (result === "conflict") this.#book.restore(key, tally);
          else if (result === "written") this.#options.logger.debug({ suppression: key, count: tally.count }, "suppression counts written");
        } catch (error: unknown) {
          this.#book.restore(key, tally);
          this.#options.logger.warn({ err: error, suppression: key, count: tally.count }, "suppression counts not written; kept for the next write");
        }
      }),
    );
  }
}
