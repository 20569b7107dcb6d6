import type { CoreV1Api } from "@kubernetes/client-node";
import { API_VERSION, Kind } from "../../api/v1alpha1/constants.ts";
import type { Connector, ConnectorStatus } from "../../api/v1alpha1/types.generated.ts";
import { evaluateConnectorReady, type ConnectorReadiness } from "../../connectors/index.ts";
import type { TenancyVerdict } from "../../policy/index.ts";
import type { Clock } from "../../runtime/clock.ts";
import type { ReconcileContext, ReconcileResult } from "../../runtime/controller.ts";
import { splitObjectKey } from "../../runtime/object-key.ts";
import { jsonEqual } from "../deep-equal.ts";
import type { EventRecorder } from "../event-recorder.ts";
import { OwnStatusWrites } from "../own-status-writes.ts";
import { recordReadyTransition } from "../ready-transition.ts";
import type { StatusWriter } from "../status-writer.ts";
import { connectorStatus } from "./connector-status.ts";

/** Everything the Connector reconcile reads from and writes to, injected. */
export interface ConnectorReconcilerDeps {
  readonly connector: (namespace: string, name: string) => Connector | undefined;
  /** Whether the operator may use the Connector's Secrets (see `TenancyCheck`). */
  readonly tenancy: (connector: Connector) => TenancyVerdict;
  /** Reads each referenced Secret by name when the Connector is reconciled (key names are kept, values never). */
  readonly core: CoreV1Api;
  readonly writeStatus: StatusWriter;
  readonly events: EventRecorder;
  readonly clock: Clock;
  /** Called with `namespace/name` when a Connector is gone, to drop its pooled connections. */
  readonly released: (key: string) => void;
}

/**
 * The Connector reconcile: checks that the tenancy policy vouched for its Secrets (else Ready is
 * False with TenancyUnverified and no Secret is read), the spec, and that every referenced
 * Secret exists with the referenced keys, and writes the `Ready` condition and `observedGeneration` once, only when
 * they changed. An Event with Ready's reason is recorded when Ready's status or reason changes.
 * A Connector that is gone releases its keep-alive connections. Secret values are never read
 * into status, Events or logs: only Secret and key names appear in messages. A reconcile on a
 * cache older than its own last write does nothing (see {@link OwnStatusWrites}).
 */
export class ConnectorReconciler {
  readonly #deps: ConnectorReconcilerDeps;
  readonly #writes: OwnStatusWrites;

  constructor(deps: ConnectorReconcilerDeps) {
    this.#deps = deps;
    this.#writes = new OwnStatusWrites(deps.writeStatus);
  }

  /** Converges the Connector behind `namespace/name`. */
  async reconcile(key: string, context: ReconcileContext): Promise<ReconcileResult> {
    const { namespace, name } = splitObjectKey(key);
    const connector = this.#deps.connector(namespace, name);
    if (connector === undefined || connector.metadata.deletionTimestamp !== undefined) {
      this.#writes.forget(key);
      this.#deps.released(key);
      return {};
    }
    if (this.#writes.cacheIsBehind(key, connector)) return {};

    const current: ConnectorStatus = connector.status ?? {};
    const tenancy = this.#deps.tenancy(connector);
    // An unverified Connector's Secrets are not even looked at: they are not the operator's to read for it.
    const readiness: ConnectorReadiness = tenancy.verified
      ? await evaluateConnectorReady(this.#deps.core, namespace, connector.spec)
      : { ready: false, reason: tenancy.reason, message: `${tenancy.field}: ${tenancy.message}` };
    const status = connectorStatus(connector, readiness, this.#deps.clock.now());
    if (jsonEqual(status, current)) return {};
    if ((await this.#writes.write(key, connector, status)) === undefined) return {};
    context.logger.debug({ ready: readiness.ready, reason: readiness.reason }, "connector status written");
    const subject = { apiVersion: API_VERSION, kind: Kind.Connector, namespace, name, uid: connector.metadata.uid };
    recordReadyTransition(this.#deps.events, subject, current.conditions, status.conditions);
    return {};
  }
}
