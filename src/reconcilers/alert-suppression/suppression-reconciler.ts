import { API_VERSION, Kind } from "../../api/v1alpha1/constants.ts";
import type { AlertSuppression, AlertSuppressionStatus } from "../../api/v1alpha1/types.generated.ts";
import type { ExpressionCompiler } from "../../expr/index.ts";
import type { Clock } from "../../runtime/clock.ts";
import type { ReconcileContext, ReconcileResult } from "../../runtime/controller.ts";
import { splitObjectKey } from "../../runtime/object-key.ts";
import { compileSuppression, suppressionState } from "../../suppression/index.ts";
import { jsonEqual } from "../deep-equal.ts";
import type { EventRecorder } from "../event-recorder.ts";
import { OwnStatusWrites } from "../own-status-writes.ts";
import { recordReadyTransition } from "../ready-transition.ts";
import type { StatusWriter } from "../status-writer.ts";
import { suppressionStatus } from "./suppression-status.ts";

/** Everything the AlertSuppression reconcile reads from and writes to, injected. */
export interface SuppressionReconcilerDeps {
  readonly suppression: (namespace: string, name: string) => AlertSuppression | undefined;
  /** The CEL compiler of Playbooks: `match` compiles exactly as intake compiles it. */
  readonly expressions: ExpressionCompiler;
  /** `--suppression-max-duration`. */
  readonly maxDurationMs: number;
  readonly writeStatus: StatusWriter;
  readonly events: EventRecorder;
  readonly clock: Clock;
}

/**
 * The AlertSuppression reconcile: compiles the suppression, decides from its spec and the clock
 * whether it silences alerts now (`suppressionState`, the same decision intake makes for every
 * alert), and writes `Ready` and `observedGeneration` once, only when they changed; an Event with
 * Ready's reason is recorded when Ready's status or reason changes. An active suppression is
 * looked at again when it expires, so its status says Expired from then on (intake stops
 * silencing at that instant whatever the status says). A reconcile on a cache older than its own
 * last write does nothing (see {@link OwnStatusWrites}).
 */
export class SuppressionReconciler {
  readonly #deps: SuppressionReconcilerDeps;
  readonly #writes: OwnStatusWrites;

  constructor(deps: SuppressionReconcilerDeps) {
    this.#deps = deps;
    this.#writes = new OwnStatusWrites(deps.writeStatus);
  }

  /** Converges the suppression behind `namespace/name`. */
  async reconcile(key: string, context: ReconcileContext): Promise<ReconcileResult> {
    const { namespace, name } = splitObjectKey(key);
    const suppression = this.#deps.suppression(namespace, name);
    if (suppression === undefined || suppression.metadata.deletionTimestamp !== undefined) {
      this.#writes.forget(key);
      return {};
    }
    if (this.#writes.cacheIsBehind(key, suppression)) return {};

    const now = this.#deps.clock.now();
    const state = suppressionState(compileSuppression(suppression, this.#deps.expressions), now.getTime(), this.#deps.maxDurationMs);
    // Looked at again the instant it expires (a timer never fires early, so it is expired then).
    const result: ReconcileResult = state.active ? { requeueAfter: Math.max(0, state.expiresAtMs - now.getTime()) + 1 } : {};
    const current: AlertSuppressionStatus = suppression.status ?? {};
    const status = suppressionStatus(suppression, state, now);
    if (jsonEqual(status, current)) return result;
    if ((await this.#writes.write(key, suppression, status)) === undefined) return {};
    context.logger.debug({ active: state.active, reason: state.reason }, "suppression status written");
    const subject = { apiVersion: API_VERSION, kind: Kind.AlertSuppression, namespace, name, uid: suppression.metadata.uid };
    recordReadyTransition(this.#deps.events, subject, current.conditions, status.conditions);
    return result;
  }
}
