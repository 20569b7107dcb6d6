#!/usr/bin/env node
// The kube-soar operator process: intake in every replica, controllers in the elected leader.
import { CoordinationV1Api, KubeConfig } from "@kubernetes/client-node";
import { ConfigError } from "./config/flag-reader.ts";
import { usage } from "./config/flags.ts";
import { parseOperatorOptions } from "./config/parse.ts";
import type { OperatorOptions } from "./config/options.ts";
import { operatorDestinationPolicy } from "./connectors/index.ts";
import { createExpressionCompiler } from "./expr/index.ts";
import { IntelStore } from "./intel/index.ts";
import { startIntake, type IntakeHandle } from "./ingest/intake-start.ts";
import { createLogger, type Logger } from "./observability/logger.ts";
import { createMetricsRegistry } from "./observability/metrics.ts";
import { startMetricsServer, type MetricsAccess, type MetricsServer } from "./observability/metrics-server.ts";
import { startProbeServer, type ProbeServer } from "./observability/probe-server.ts";
import { PlaybookCompiler } from "./playbook/index.ts";
import type { DestinationPolicy } from "./policy/index.ts";
import { buildControllers, createFeedFetcher, lifecyclePublisherFor, ThreatFeedLoader, type FeedLoadStates, type LifecycleEventSink, type ManagedController } from "./reconcilers/index.ts";
import { systemRuntimeClock } from "./runtime/clock.ts";
import { InformerFactory } from "./runtime/informer-factory.ts";
import { KubeHttpClient } from "./runtime/kube-http.ts";
import { LeaderElector } from "./runtime/leader-election.ts";
import { leaseLock } from "./runtime/lease-lock.ts";
import type { Registry } from "prom-client";
import { closeApiClients, makeApiClient } from "./runtime/kube-api-client.ts";
import { CachedTokenAccess, METRICS_ACCESS_LIMITS } from "./runtime/cached-token-access.ts";
import { KubeJsonClient } from "./runtime/kube-json-client.ts";
import { reviewTokenAccess } from "./runtime/token-access-review.ts";
import { missingNodeOptions } from "./runtime/node-runtime-options.ts";

const exitCodeForBadConfiguration = 2;

function loadKubeConfig(options: OperatorOptions): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (options.kubeconfig === undefined) kubeConfig.loadFromDefault();
  else kubeConfig.loadFromFile(options.kubeconfig);
  return kubeConfig;
}

/** The controllers of one leadership term, with the caches they share. */
function runControllers(input: {
  options: OperatorOptions;
  kubeConfig: KubeConfig;
  compiler: PlaybookCompiler;
  destinations: DestinationPolicy;
  threatFeeds: FeedLoadStates;
  logger: Logger;
  registry: Registry;
  lifecycleEvents: LifecycleEventSink | undefined;
  signal: AbortSignal;
  onControllers: (controllers: readonly ManagedController[]) => void;
}): Promise<void> {
  const { options, kubeConfig, compiler, destinations, threatFeeds, logger, registry, lifecycleEvents, signal } = input;
  const clock = systemRuntimeClock;
  const informers = new InformerFactory({ client: new KubeHttpClient(kubeConfig), clock, logger });
  const identity = options.leaderElection.identity;
  const controllers = buildControllers({ kubeConfig, informers, logger, registry, clock, options, compiler, destinations, identity, lifecycleEvents, threatFeeds }).all;
  input.onControllers(controllers);
  informers.start(signal);
  return Promise.all(controllers.map((controller) => controller.start(signal)))
    .then(() => informers.stopped())
    .finally(() => { input.onControllers([]); });
}

/**
 * How scrapes of `/metrics` are checked: with `--metrics-auth kubernetes`, by TokenReview and
 * SubjectAccessReview over a client of their own (a storm of scrapes cannot take the connections
 * of the controllers' writes), answers cached; with `none`, not at all.
 */
function metricsAccessFor(options: OperatorOptions, kubeConfig: KubeConfig, logger: Logger): { access: MetricsAccess | undefined; close: () => void } {
  if (options.metrics.auth === "none") return { access: undefined, close: () => undefined };
  const client = new KubeJsonClient(kubeConfig, { maxSockets: METRICS_ACCESS_LIMITS.maxInFlight, timeoutMs: 10_000 });
  const cached = new CachedTokenAccess({
    review: (token) => reviewTokenAccess(client, token, { path: "/metrics", verb: "get" }),
    clock: systemRuntimeClock,
    limits: METRICS_ACCESS_LIMITS,
    logger,
  });
  return { access: { decide: (token) => cached.decide(token) }, close: () => { client.close(); } };
}

/** Leads whenever elected: after losing the lease, this replica campaigns again as a standby. */
async function campaignUntil(elector: LeaderElector, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) await elector.run(signal);
}

async function main(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  let options: OperatorOptions;
  try {
    options = parseOperatorOptions(argv, env);
  } catch (error: unknown) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`kube-soar: ${error.message}\nRun kube-soar --help for every flag.\n`);
    return exitCodeForBadConfiguration;
  }

  const logger = createLogger({ level: options.logLevel });
  const missing = missingNodeOptions(process.execArgv);
  if (missing.length > 0) logger.warn({ missing }, "node runs without the operator's options: memory may grow past what docs/performance.md states while a backlog drains");
  const registry = createMetricsRegistry({ defaultMetrics: true });
  const kubeConfig = loadKubeConfig(options);
  // Compiled Playbooks are shared by intake's matcher and the controllers: one compile per generation.
  const compiler = new PlaybookCompiler(createExpressionCompiler());
  const shutdown = new AbortController();
  let destinations: DestinationPolicy;
  try {
    const settings = { operatorNamespace: options.namespace, ...options.connectorDestinations };
    const built = await operatorDestinationPolicy(settings, { apiServerUrl: kubeConfig.getCurrentCluster()?.server, env });
    destinations = built.policy;
    const { protectedAddresses } = built;
    logger.info({ apiServer: protectedAddresses.apiServer, operator: protectedAddresses.operator }, "connector destination policy ready");
  } catch (error: unknown) {
    logger.fatal({ err: error }, "operator failed to start: the API server's addresses do not resolve");
    return 1;
  }

  // Lifecycle events have a NATS connection of their own, kept across leadership terms: intake's
  // closes when intake stops, which can be before the controllers' last reconcile has published.
  const lifecycleEvents = lifecyclePublisherFor(options, logger);

  // Every replica keeps its own index of the ThreatFeeds, loaded once per process (not per
  // leadership term): intake matches against it, the leader's controller reports it in status.
  const intel = new IntelStore(options.namespace);
  const feedInformers = new InformerFactory({ client: new KubeHttpClient(kubeConfig), clock: systemRuntimeClock, logger });
  const threatFeeds = new ThreatFeedLoader({
    kubeConfig,
    informers: feedInformers,
    store: intel,
    fetcher: createFeedFetcher({ destinations }),
    logger,
    registry,
    clock: systemRuntimeClock,
    options,
  });

  let controllers: readonly ManagedController[] = [];
  const elector = new LeaderElector({
    lock: leaseLock(makeApiClient(kubeConfig, CoordinationV1Api), options.leaderElection.leaseNamespace, options.leaderElection.leaseName),
    identity: options.leaderElection.identity,
    name: options.leaderElection.leaseName,
    timings: {
      leaseDurationMs: options.leaderElection.leaseDurationMs,
      renewDeadlineMs: options.leaderElection.renewDeadlineMs,
      retryPeriodMs: options.leaderElection.retryPeriodMs,
    },
    clock: systemRuntimeClock,
    logger,
    registry,
    onStartedLeading: (signal) =>
      runControllers({ options, kubeConfig, compiler, destinations, threatFeeds, logger, registry, lifecycleEvents, signal, onControllers: (running) => { controllers = running; } }),
    onStoppedLeading: () => { logger.info("leadership ended; controllers stopped"); },
  });

  let intake: IntakeHandle | undefined;
  let probes: ProbeServer | undefined;
  let metrics: MetricsServer | undefined;
  const metricsAccess = metricsAccessFor(options, kubeConfig, logger);
  try {
    // Listeners first, so that liveness answers (and metrics show) while intake connects.
    probes = await startProbeServer({
      host: options.probeHost,
      port: options.probePort,
      checks: [
        { name: "intake", ready: () => intake?.ready() ?? false },
        { name: "threat-feed-caches", ready: () => threatFeeds.hasSynced() },
        // A standby has no controllers; it is ready to take over once elected.
        { name: "controller-caches", ready: () => controllers.every((controller) => controller.hasSynced()) },
      ],
    });
    metrics = await startMetricsServer({
      host: options.metrics.host,
      port: options.metrics.port,
      registry,
      tls: options.metrics.tls,
      access: metricsAccess.access,
      logger,
    });
    intake = await startIntake({ options, kubeConfig, logger, registry, playbookCompiler: compiler, signal: shutdown.signal });
  } catch (error: unknown) {
    logger.fatal({ err: error }, "operator failed to start");
    shutdown.abort();
    await intake?.stop();
    await Promise.allSettled([probes?.close(), metrics?.close(), lifecycleEvents?.close()]);
    metricsAccess.close();
    return 1;
  }

  feedInformers.start(shutdown.signal);
  const feedsDone = threatFeeds.start(shutdown.signal).then(() => feedInformers.stopped());
  const controllersDone = options.leaderElection.enabled
    ? campaignUntil(elector, shutdown.signal)
    : runControllers({ options, kubeConfig, compiler, destinations, threatFeeds, logger, registry, lifecycleEvents, signal: shutdown.signal, onControllers: (running) => { controllers = running; } });

  logger.info({ probePort: probes.port, metricsPort: metrics.port, receiverPort: intake.receiverAddress()?.port, identity: options.leaderElection.identity }, "operator started");

  await new Promise<void>((resolve) => {
    for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => { resolve(); });
  });
  logger.info("operator stopping");
  shutdown.abort();
  await Promise.allSettled([controllersDone, feedsDone, intake.stop()]);
  await Promise.allSettled([probes.close(), metrics.close(), closeApiClients(kubeConfig), lifecycleEvents?.close()]);
  metricsAccess.close();
  logger.info("operator stopped");
  return 0;
}

process.on("unhandledRejection", (reason: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: "fatal", msg: "unhandled rejection", err: String(reason) })}\n`);
  process.exit(1);
});

main(process.argv.slice(2), process.env).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    process.stderr.write(`${JSON.stringify({ level: "fatal", msg: "operator crashed", err: error instanceof Error ? error.stack : String(error) })}\n`);
    process.exitCode = 1;
  },
);
