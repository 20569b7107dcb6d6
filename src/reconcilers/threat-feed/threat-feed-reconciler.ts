import { API_VERSION, Kind } from "../../api/v1alpha1/constants.ts";
import type { ThreatFeed } from "../../api/v1alpha1/types.generated.ts";
import type { Clock } from "../../runtime/clock.ts";
import type { ReconcileContext, ReconcileResult } from "../../runtime/controller.ts";
import { splitObjectKey } from "../../runtime/object-key.ts";
import { jsonEqual } from "../deep-equal.ts";
import type { EventRecorder } from "../event-recorder.ts";
import { OwnStatusWrites } from "../own-status-writes.ts";
import { recordReadyTransition } from "../ready-transition.ts";
import type { StatusWriter } from "../status-writer.ts";
import type { FeedLoadStates } from "./feed-load-state.ts";
import { threatFeedStatus } from "./threat-feed-status.ts";

/** Everything the ThreatFeed reconcile reads from and writes to, injected. */
export interface ThreatFeedReconcilerDeps {
  readonly feed: (namespace: string, name: string) => ThreatFeed | undefined;
  /** This replica's loader: the outcome of each feed's last load. */
  readonly states: FeedLoadStates;
  readonly writeStatus: StatusWriter;
  readonly events: EventRecorder;
  readonly clock: Clock;
}

/**
 * The ThreatFeed reconcile: writes the status the leader's own loader state calls for
 * (`threatFeedStatus`), once and only when it changed, and records an Event with Ready's reason
 * when Ready's status or reason changes. It loads nothing itself: every replica's loader does. A
 * reconcile on a cache older than its own last write does nothing (see {@link OwnStatusWrites}).
 */
export class ThreatFeedReconciler {
  readonly #deps: ThreatFeedReconcilerDeps;
  readonly #writes: OwnStatusWrites;

  constructor(deps: ThreatFeedReconcilerDeps) {
    this.#deps = deps;
    this.#writes = new OwnStatusWrites(deps.writeStatus);
  }

  /** Converges the status of the ThreatFeed behind `namespace/name`. */
  async reconcile(key: string, context: ReconcileContext): Promise<ReconcileResult> {
    const { namespace, name } = splitObjectKey(key);
    const feed = this.#deps.feed(namespace, name);
    if (feed === undefined || feed.metadata.deletionTimestamp !== undefined) {
      this.#writes.forget(key);
      return {};
    }
    if (this.#writes.cacheIsBehind(key, feed)) return {};
    const state = this.#deps.states.get(key);
    const status = threatFeedStatus(feed, state, this.#deps.clock.now());
    if (jsonEqual(status, feed.status ?? {})) return {};
    if ((await this.#writes.write(key, feed, status)) === undefined) return {};
    context.logger.debug({ ready: state?.ready, reason: state?.reason }, "threat feed status written");
    const subject = { apiVersion: API_VERSION, kind: Kind.ThreatFeed, namespace, name, uid: feed.metadata.uid };
    recordReadyTransition(this.#deps.events, subject, feed.status?.conditions, status.conditions);
    return {};
  }
}
