import { boundText, MAX_MESSAGE_LENGTH } from "../../api/v1alpha1/bounds.ts";
import { ConditionType, THREAT_INDICATOR_TYPES } from "../../api/v1alpha1/constants.ts";
import { Reason } from "../../api/v1alpha1/reasons.ts";
import type { ThreatFeed, ThreatFeedIndicatorCounts, ThreatFeedStatus } from "../../api/v1alpha1/types.generated.ts";
import { mergeConditions, type DesiredCondition } from "../conditions.ts";
import type { FeedLoadState, LoadedIndex } from "./feed-load-state.ts";

function counts(loaded: LoadedIndex): ThreatFeedIndicatorCounts {
  return { total: loaded.total, ...Object.fromEntries(THREAT_INDICATOR_TYPES.map((type) => [type, loaded.counts[type]])) };
}

function described(loaded: LoadedIndex | undefined): Pick<ThreatFeedStatus, "indicators" | "rejected" | "unsupportedPatterns" | "expired"> {
  if (loaded === undefined) return {};
  const lines = loaded.rejected.first.map(({ line, reason }) => ({ line, reason: boundText(reason, MAX_MESSAGE_LENGTH) }));
  return {
    indicators: counts(loaded),
    rejected: { count: loaded.rejected.count, ...(lines.length === 0 ? {} : { lines }) },
    unsupportedPatterns: loaded.unsupportedPatterns,
    expired: loaded.expired,
  };
}

/**
 * The status a ThreatFeed should have for the loader's `state` of it: `Ready` from the last
 * attempt (True with reason Loaded, or False with the reason it failed; Unknown with reason
 * Progressing before the first attempt), the index in use described (counts, rejected lines,
 * skipped patterns, expired indicators, last refresh) or left out when none is held, and
 * `observedGeneration` the generation the attempt was made for. Conditions of other types are
 * kept. Pure.
 */
export function threatFeedStatus(feed: ThreatFeed, state: FeedLoadState | undefined, now: Date): ThreatFeedStatus {
  const current: ThreatFeedStatus = feed.status ?? {};
  if (state === undefined) {
    const waiting: DesiredCondition = { type: ConditionType.Ready, status: "Unknown", reason: Reason.Progressing, message: "the feed has not been loaded yet" };
    return { ...current, conditions: mergeConditions(current.conditions, [waiting], feed.metadata.generation, now) };
  }
  const ready: DesiredCondition = { type: ConditionType.Ready, status: state.ready ? "True" : "False", reason: state.reason, message: state.message };
  return {
    conditions: mergeConditions(current.conditions, [ready], state.generation, now),
    observedGeneration: state.generation,
    ...described(state.loaded),
    ...(state.lastRefreshTime === undefined ? {} : { lastRefreshTime: state.lastRefreshTime.toISOString() }),
  };
}
