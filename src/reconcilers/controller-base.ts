import type { KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { OperatorOptions } from "../config/options.ts";
import type { RuntimeClock } from "../runtime/clock.ts";
import { Controller, type ReconcileFunction } from "../runtime/controller.ts";
import type { InformerFactory } from "../runtime/informer-factory.ts";
import { WorkQueue } from "../runtime/work-queue.ts";
import { createEventRecorder, type EventRecorder } from "./event-recorder.ts";
import { managedController, type ManagedController } from "./managed-controller.ts";

/** What every kube-soar controller is built from; everything is injected. */
export interface ControllerBaseOptions {
  readonly kubeConfig: KubeConfig;
  /** Shared informer factory; its owner starts it. */
  readonly informers: InformerFactory;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly clock: RuntimeClock;
  readonly options: Pick<OperatorOptions, "maxConcurrentReconciles" | "watchNamespaces" | "namespace" | "verifyTenancy">;
  /** The operator's identity, recorded as the Events' reporting instance. */
  readonly identity: string;
  /** Replaces the Event recorder; defaults to core/v1 Events on `kubeConfig`. */
  readonly events?: EventRecorder;
}

/** What makes a controller out of a {@link ControllerBase}: its reconcile and the caches it reads. */
export interface ControllerSpec {
  readonly reconcile: ReconcileFunction;
  readonly caches: Parameters<typeof managedController>[0]["caches"];
  /** Runs when the controller starts; the function it returns runs when it has stopped. */
  readonly whileRunning?: () => () => void;
}

/** The parts every controller shares, made before its reconciler and watch handlers. */
export interface ControllerBase {
  /** The operator's logger with the controller's name. */
  readonly logger: Logger;
  /** The injected Event recorder, or one writing core/v1 Events; drained when the controller stops. */
  readonly events: EventRecorder;
  /** The controller's keyed work queue, with metrics under the controller's name. */
  readonly queue: WorkQueue;
  /** The controller, running `spec.reconcile` off `queue`, ready to start under leadership. */
  readonly managed: (spec: ControllerSpec) => ManagedController;
}

/**
 * The skeleton of the controller named `name`: its child logger, Event recorder and work queue,
 * and the {@link ManagedController} that runs its reconcile at most
 * `maxConcurrentReconciles` at a time once its caches synced, then drains its Events.
 */
export function controllerBase(name: string, options: ControllerBaseOptions): ControllerBase {
  const logger = options.logger.child({ controller: name });
  const events = options.events ?? createEventRecorder({ kubeConfig: options.kubeConfig, clock: options.clock, logger, instance: options.identity });
  const queue = new WorkQueue({ name, registry: options.registry, clock: options.clock });
  return {
    logger,
    events,
    queue,
    managed: (spec) => {
      const controller = new Controller({
        name,
        queue,
        reconcile: spec.reconcile,
        maxConcurrentReconciles: options.options.maxConcurrentReconciles,
        registry: options.registry,
        // The Controller adds the `controller` key; handing it `logger` would repeat it on every line.
        logger: options.logger,
        clock: options.clock,
      });
      return managedController({
        controller,
        caches: spec.caches,
        logger,
        drain: () => events.drain(),
        ...(spec.whileRunning === undefined ? {} : { whileRunning: spec.whileRunning }),
      });
    },
  };
}
