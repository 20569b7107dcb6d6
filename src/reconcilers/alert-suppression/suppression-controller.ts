import { Plural } from "../../api/v1alpha1/constants.ts";
import type { AlertSuppression } from "../../api/v1alpha1/types.generated.ts";
import type { OperatorOptions } from "../../config/options.ts";
import type { PlaybookCompiler } from "../../playbook/index.ts";
import { enqueueKeys } from "../../runtime/informer.ts";
import { watchAlertSuppressions } from "../collections.ts";
import { controllerBase, type ControllerBaseOptions } from "../controller-base.ts";
import type { ManagedController } from "../managed-controller.ts";
import { createStatusWriter } from "../status-writer.ts";
import { SuppressionReconciler } from "./suppression-reconciler.ts";

/** Name of the controller in metrics and logs. */
export const SUPPRESSION_CONTROLLER = "alertsuppression";

/** What the AlertSuppression controller is built from; everything is injected. */
export interface SuppressionControllerOptions extends ControllerBaseOptions {
  readonly options: ControllerBaseOptions["options"] & Pick<OperatorOptions, "suppressionMaxDurationMs">;
  /** The Playbook compiler shared with intake: its CEL compiler compiles `match`. */
  readonly compiler: PlaybookCompiler;
}

/**
 * The AlertSuppression controller: a cache of the watched namespaces' suppressions, a keyed work
 * queue fed by their changes, and the {@link SuppressionReconciler}, which reports whether each
 * one silences alerts and requeues an active one for the instant it expires.
 */
export function createSuppressionController(options: SuppressionControllerOptions): ManagedController {
  const suppressions = watchAlertSuppressions(options.informers, options.options.watchNamespaces);
  const { events, queue, managed } = controllerBase(SUPPRESSION_CONTROLLER, options);
  const reconciler = new SuppressionReconciler({
    suppression: (namespace, name) => suppressions.get(namespace, name),
    expressions: options.compiler.expressions,
    maxDurationMs: options.options.suppressionMaxDurationMs,
    writeStatus: createStatusWriter(options.kubeConfig, Plural.AlertSuppression),
    events,
    clock: options.clock,
  });
  suppressions.addEventHandler(enqueueKeys<AlertSuppression>(queue));
  return managed({ reconcile: (key, context) => reconciler.reconcile(key, context), caches: [suppressions] });
}
