import { canonicalObservable, type Observable, type ObservableType } from "../../api/v1alpha1/index.ts";
import { MAX_ALERT_OBSERVABLES } from "../alert.ts";

/**
 * Builds an alert's observables from candidates in priority order: invalid values are
 * dropped, duplicates (same type and canonical value) kept once, and at most
 * `MAX_ALERT_OBSERVABLES` retained.
 */
export function collectObservables(candidates: Iterable<readonly [ObservableType, unknown]>): readonly Observable[] {
  const seen = new Set<string>();
  const observables: Observable[] = [];
  for (const [type, raw] of candidates) {
    if (observables.length >= MAX_ALERT_OBSERVABLES) break;
    const value = canonicalObservable(type, raw);
    if (value === undefined) continue;
    const key = `${type}\u0000${value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    observables.push({ type, value });
  }
  return observables;
}
