import { boundText, MAX_MESSAGE_LENGTH } from "../../api/v1alpha1/bounds.ts";
import { API_VERSION, ConditionType, Kind } from "../../api/v1alpha1/constants.ts";
import type { Incident, Playbook, PlaybookStatus } from "../../api/v1alpha1/types.generated.ts";
import type { Clock } from "../../runtime/clock.ts";
import type { PlaybookCompiler, PlaybookWarning, StepKind } from "../../playbook/index.ts";
import type { TenancyVerdict } from "../../policy/index.ts";
import type { ReconcileContext, ReconcileResult } from "../../runtime/controller.ts";
import { splitObjectKey } from "../../runtime/object-key.ts";
import { findCondition, mergeConditions } from "../conditions.ts";
import { jsonEqual } from "../deep-equal.ts";
import type { EventRecorder, EventSubject } from "../event-recorder.ts";
import { OwnStatusWrites } from "../own-status-writes.ts";
import { recordReadyTransition } from "../ready-transition.ts";
import type { StatusWriter } from "../status-writer.ts";
import { playbookActivity } from "./playbook-activity.ts";
import { playbookReadiness } from "./playbook-readiness.ts";

/**
 * Records one Warning Event when the Playbook's warnings differ from those in its status before
 * the write: the reason of the first warning, and the warnings as the message.
 */
function recordNewWarnings(
  events: EventRecorder,
  subject: EventSubject,
  before: readonly string[] | undefined,
  warnings: readonly PlaybookWarning[],
  entries: readonly string[],
): void {
  const [first] = warnings;
  if (first === undefined || jsonEqual(before ?? [], entries)) return;
  events.record(subject, { type: "Warning", reason: first.reason, message: boundText(entries.join("; "), MAX_MESSAGE_LENGTH) });
}

/** Everything the Playbook reconcile reads from and writes to, injected. */
export interface PlaybookReconcilerDeps {
  readonly playbook: (namespace: string, name: string) => Playbook | undefined;
  readonly connectorExists: (namespace: string, name: string) => boolean;
  readonly serviceAccountExists: (namespace: string, name: string) => boolean;
  /** Whether the operator may run the Playbook's Job and action steps (see `TenancyCheck`). */
  readonly tenancy: (playbook: Playbook) => TenancyVerdict;
  readonly compiler: PlaybookCompiler;
  readonly stepKinds: ReadonlySet<StepKind>;
  readonly writeStatus: StatusWriter;
  readonly events: EventRecorder;
  readonly clock: Clock;
  /** The cached Incidents of a namespace, for `activeIncidents` and `lastTriggeredAt`. */
  readonly incidents: (namespace: string) => readonly Incident[];
  /** A write that only refreshes `activeIncidents` and `lastTriggeredAt` happens at most this often per Playbook. */
  readonly activityRefreshMs: number;
}

/**
 * The Playbook reconcile: compiles the current generation (through the shared cache), checks
 * step kinds, Connectors, ServiceAccounts and that its Job and action steps were vouched for, and writes `Ready`, `Reconciling`, `Stalled`,
 * `observedGeneration`, `stepCount`, and from the Incidents of its namespace `activeIncidents`
 * and `lastTriggeredAt` (see `playbookActivity`), once, only when they changed. A write that
 * would only refresh the activity waits until `activityRefreshMs` after the Playbook's last
 * write (a requeue), so a busy namespace does not rewrite its Playbooks continuously. An Event with Ready's reason is recorded when
 * Ready's status or reason changes. The compiled Playbook's warnings go to `status.warnings`
 * (removed when there are none) and, when they change, into a Warning Event. A reconcile on a cache older than its own last write does
 * nothing; the watch event of that write brings the key back (see {@link OwnStatusWrites}).
 */
export class PlaybookReconciler {
  readonly #deps: PlaybookReconcilerDeps;
  readonly #writes: OwnStatusWrites;
  /** key → clock time (ms) of the last status write. */
  readonly #writtenAt = new Map<string, number>();

  constructor(deps: PlaybookReconcilerDeps) {
    this.#deps = deps;
    this.#writes = new OwnStatusWrites(deps.writeStatus);
  }

  /** Converges the Playbook behind `namespace/name`. */
  async reconcile(key: string, context: ReconcileContext): Promise<ReconcileResult> {
    const { namespace, name } = splitObjectKey(key);
    const playbook = this.#deps.playbook(namespace, name);
    if (playbook === undefined) {
      this.#writes.forget(key);
      this.#writtenAt.delete(key);
      return {};
    }
    if (this.#writes.cacheIsBehind(key, playbook)) return {};

    const compiled = this.#deps.compiler.compile(playbook);
    const readiness = playbookReadiness({
      playbook: compiled,
      stepKinds: this.#deps.stepKinds,
      connectorExists: (connector) => this.#deps.connectorExists(namespace, connector),
      serviceAccountExists: (account) => this.#deps.serviceAccountExists(namespace, account),
      tenancy: this.#deps.tenancy(playbook),
    });
    const current = playbook.status ?? {};
    const generation = playbook.metadata.generation;
    const activity = playbookActivity(this.#deps.incidents(namespace), name);
    const { warnings: previousWarnings, ...kept } = current;
    const status: PlaybookStatus = {
      ...kept,
      conditions: mergeConditions(current.conditions, readiness.conditions, generation, this.#deps.clock.now()),
      ...(generation === undefined ? {} : { observedGeneration: generation }),
      stepCount: playbook.spec.steps.length,
      activeIncidents: activity.activeIncidents,
      ...(activity.lastTriggeredAt === undefined ? {} : { lastTriggeredAt: activity.lastTriggeredAt }),
      ...(readiness.warnings.length === 0 ? {} : { warnings: [...readiness.warnings] }),
    };
    if (jsonEqual(status, current)) return {};
    const nowMs = this.#deps.clock.now().getTime();
    const activityOnly = jsonEqual({ ...status, activeIncidents: current.activeIncidents, lastTriggeredAt: current.lastTriggeredAt }, { ...current });
    const wait = (this.#writtenAt.get(key) ?? Number.NEGATIVE_INFINITY) + this.#deps.activityRefreshMs - nowMs;
    if (activityOnly && wait > 0) return { requeueAfter: wait };
    if ((await this.#writes.write(key, playbook, status)) === undefined) return {};
    this.#writtenAt.set(key, nowMs);
    const after = findCondition(status.conditions, ConditionType.Ready);
    context.logger.debug({ ready: after?.status, reason: after?.reason, problems: readiness.problems.length }, "playbook status written");
    const subject = { apiVersion: API_VERSION, kind: Kind.Playbook, namespace, name, uid: playbook.metadata.uid };
    recordReadyTransition(this.#deps.events, subject, current.conditions, status.conditions);
    recordNewWarnings(this.#deps.events, subject, previousWarnings, compiled.warnings, readiness.warnings);
    return {};
  }
}
