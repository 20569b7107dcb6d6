import type { KubeConfig } from "@kubernetes/client-node";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { OperatorOptions } from "../config/options.ts";
import { createExpressionCompiler } from "../expr/index.ts";
import { PlaybookCompiler } from "../playbook/index.ts";
import { systemRuntimeClock, type RuntimeClock } from "../runtime/clock.ts";
import { KubeHttpClient } from "../runtime/kube-http.ts";
import type { AlertIntakeOptions } from "./alert-intake.ts";
import { resolveDecodeLimits } from "./decode/decode-limits.ts";
import { startHttpReceiver, type HttpReceiver } from "./transport/http-receiver.ts";
import { receiverRoutes } from "./transport/http-routes.ts";
import { IncidentWriter } from "./write/incident-writer.ts";
import { CreationBudget } from "./write/creation-budget.ts";
import { KubeJsonClient } from "../runtime/kube-json-client.ts";
import { KubeIncidentStore } from "./write/incident-writer-store.ts";
import { createIntakeMetrics, INFLIGHT_BYTES_METRIC, INFLIGHT_METRIC } from "./intake-metrics.ts";
import { EventLoopTurns } from "../runtime/event-loop-turns.ts";
import { onCollect } from "../runtime/metric-registration.ts";
import { createDeliveryHandler } from "./intake-pipeline.ts";
import { redactionPolicyFor } from "./normalise/intake-redaction-policy.ts";
import { PlaybookMatcher } from "./match/matcher.ts";
import { AlertSuppressions } from "./suppress/alert-suppressions.ts";
import { KubeSuppressionStatusStore } from "./suppress/suppression-status-store.ts";
import { connectNats, type NatsLink } from "../runtime/nats-connection.ts";
import { JetStreamSource } from "./transport/nats-consumer.ts";
import { HTTP_SUBJECT_PREFIX, JetStreamEventPublisher, NatsUnavailableError, type EventPublisher } from "./transport/nats-publisher.ts";
import { uncoveredSubjects } from "../runtime/nats-subjects.ts";

/** The running intake: NATS consumer, HTTP receiver, Playbook matcher and AlertSuppressions. */
export interface IntakeHandle {
  /** True when Playbooks and AlertSuppressions are synced and the JetStream consumer is attached (and the receiver listens, when enabled). */
  ready(): boolean;
  /** The receiver's bound address; undefined when it is disabled. */
  receiverAddress(): AddressInfo | undefined;
  /** Stops taking alerts, lets those in flight finish (bounded), then closes everything; idempotent. */
  stop(): Promise<void>;
}

/** What {@link startIntake} needs; everything is injected. */
export interface StartIntakeOptions {
  options: Pick<OperatorOptions, "namespace" | "nats" | "receiver" | "intake" | "watchNamespaces" | "suppressionMaxDurationMs">;
  kubeConfig: KubeConfig;
  logger: Logger;
  registry: Registry;
  clock?: RuntimeClock;
  /** Stops intake when it aborts (same as calling `stop()`). */
  signal?: AbortSignal;
  /** The Playbook compile cache shared with the reconcilers; a private one when absent. */
  playbookCompiler?: PlaybookCompiler;
  /** Client name shown by the NATS server. */
  connectionName?: string;
  /** How often silenced alerts are added to their suppressions' status; `SUPPRESSION_FLUSH_INTERVAL_MS` when absent. */
  suppressionFlushIntervalMs?: number;
}

/** A configuration intake cannot run with; the message names the option. */
export class IntakeSettingsError extends Error {
  override readonly name = "IntakeSettingsError";
}

/** The decode options of alerts, from the operator's options. */
export function alertOptionsFor(options: Pick<OperatorOptions, "receiver" | "intake">): AlertIntakeOptions {
  return {
    // HTTP events are re-encoded as structured JSON on NATS, somewhat larger than the body was.
    limits: resolveDecodeLimits({
      maxBytes: 2 * options.receiver.maxBodyBytes,
      maxDepth: options.receiver.maxJsonDepth,
    }),
    defaultSeverity: "medium",
    redaction: redactionPolicyFor(options.intake),
    maxDataBytes: options.intake.maxEventBytes,
  };
}

class DeferredPublisher implements EventPublisher {
  #target: EventPublisher | undefined;

  attach(target: EventPublisher): void {
    this.#target = target;
  }

  available(): boolean {
    return this.#target?.available() ?? false;
  }

  publish(kind: string, events: Parameters<EventPublisher["publish"]>[1]): ReturnType<EventPublisher["publish"]> {
    if (this.#target === undefined) return Promise.reject(new NatsUnavailableError("NATS is not connected yet"));
    return this.#target.publish(kind, events);
  }
}

/**
 * Starts intake: the Playbook and AlertSuppression informers (matching starts once both have
 * synced, so no alert opens an Incident a suppression silences), the HTTP receiver
 * (when enabled; answers 503 until NATS is connected), and in the background the NATS connection,
 * stream and consumer setup and the consumer itself, which keeps reconnecting forever. Rejects
 * when a setting is unusable or the receiver cannot listen.
 */
export async function startIntake(input: StartIntakeOptions): Promise<IntakeHandle> {
  const { options, kubeConfig, registry } = input;
  const logger = input.logger.child({ component: "intake" });
  const clock = input.clock ?? systemRuntimeClock;
  if (options.receiver.enabled) {
    const missing = uncoveredSubjects(options.nats.subjects, [`${HTTP_SUBJECT_PREFIX}.*`]);
    if (missing.length > 0) {
      throw new IntakeSettingsError(`nats.subjects: must cover ${HTTP_SUBJECT_PREFIX}.* where the HTTP receiver stores events`);
    }
  }
  const metrics = createIntakeMetrics(registry);
  const alerts = alertOptionsFor(options);
  const abort = new AbortController();
  const compiler = input.playbookCompiler ?? new PlaybookCompiler(createExpressionCompiler());
  const matcher = new PlaybookMatcher({ client: new KubeHttpClient(kubeConfig), compiler, clock, logger, operatorNamespace: options.namespace, watchNamespaces: options.watchNamespaces });
  const suppressionClient = new KubeJsonClient(kubeConfig, { maxSockets: 4, timeoutMs: 10_000 });
  const suppressions = new AlertSuppressions({
    client: new KubeHttpClient(kubeConfig),
    store: new KubeSuppressionStatusStore(suppressionClient),
    expressions: compiler.expressions,
    clock,
    logger,
    metrics,
    operatorNamespace: options.namespace,
    watchNamespaces: options.watchNamespaces,
    maxDurationMs: options.suppressionMaxDurationMs,
    ...(input.suppressionFlushIntervalMs === undefined ? {} : { flushIntervalMs: input.suppressionFlushIntervalMs }),
  });
  const writeClient = new KubeJsonClient(kubeConfig, { maxSockets: options.nats.concurrency });
  const writer = new IncidentWriter({
    store: new KubeIncidentStore(writeClient),
    clock,
    logger,
    metrics,
    foldIntervalMs: options.intake.foldIntervalMs,
    concurrency: options.nats.concurrency,
    budget: new CreationBudget(options.intake.creation, options.intake.dedupWindowMs, clock),
  });
  const turns = new EventLoopTurns();
  const handle = createDeliveryHandler({ intake: options.intake, alerts, matcher, silencer: suppressions, writer, metrics, logger, clock, turns });
  const publisher = new DeferredPublisher();
  let receiver: HttpReceiver | undefined;
  if (options.receiver.enabled) {
    receiver = await startHttpReceiver({ receiver: options.receiver, routes: receiverRoutes(alerts.limits), publisher, logger, metrics, turns });
  }
  matcher.start(abort.signal);
  suppressions.start(abort.signal);
  let link: NatsLink | undefined;
  let source: JetStreamSource | undefined;
  const background = (async () => {
    try {
      link = await connectNats(options.nats, logger, { name: input.connectionName ?? "kube-soar-intake", signal: abort.signal });
    } catch (error: unknown) {
      if (!abort.signal.aborted) logger.error({ err: error }, "nats connection failed; intake is not running");
      return;
    }
    publisher.attach(new JetStreamEventPublisher(link));
    if (!(await matcher.waitForSync(abort.signal)) || !(await suppressions.waitForSync(abort.signal))) return;
    logger.info({ playbooks: matcher.size, suppressions: suppressions.size }, "playbooks and suppressions synced; consuming alerts");
    source = new JetStreamSource({ link, nats: options.nats, handle, logger, metrics });
    source.start();
  })();
  const collectInflight = (): void => {
    const nats = source?.inflight() ?? { count: 0, bytes: 0 };
    const http = receiver?.inflight() ?? { count: 0, bytes: 0 };
    metrics.inflight.set({ transport: "nats" }, nats.count);
    metrics.inflight.set({ transport: "http" }, http.count);
    metrics.inflightBytes.set({ transport: "nats" }, nats.bytes);
    metrics.inflightBytes.set({ transport: "http" }, http.bytes);
  };
  const unhooks = [onCollect(registry, INFLIGHT_METRIC, collectInflight), onCollect(registry, INFLIGHT_BYTES_METRIC, collectInflight)];
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      logger.info("intake stopping");
      for (const unhook of unhooks) unhook();
      abort.abort();
      await receiver?.close();
      await background;
      await source?.stop();
      await link?.close();
      await matcher.stopped();
      // After the consumer stopped: the last alerts' counts are in the tally it writes on stopping.
      await suppressions.stopped();
      writeClient.close();
      suppressionClient.close();
      logger.info("intake stopped");
    })();
    return stopping;
  };
  input.signal?.addEventListener("abort", () => void stop(), { once: true });
  return {
    ready: () => matcher.hasSynced() && suppressions.hasSynced() && (source?.ready() ?? false),
    receiverAddress: () => receiver?.address(),
    stop,
  };
}
