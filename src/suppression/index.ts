/**
 * AlertSuppressions compiled once per generation, shared by intake (which silences alerts with
 * them) and the suppression controller (which reports whether each one is active): the criteria,
 * the `match` CEL, the expiry and its bound, and the tally of silenced alerts written to status.
 */
export type { CompiledSuppression, SuppressionProblem } from "./compiled-suppression.ts";
export { compileSuppression } from "./compile-suppression.ts";
export { SuppressionReason } from "./reasons.ts";
export { suppressionMatches, type SuppressionInput } from "./suppression-match.ts";
export { suppressionState, type SuppressionState } from "./suppression-state.ts";
export { latestSamples, mergeTallies, statusWithTally, type SilencedTally } from "./silenced-tally.ts";
