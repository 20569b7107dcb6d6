import { reasonsOf } from "../api/v1alpha1/reasons.ts";

/**
 * Reasons of a suppression's `Ready` condition: `Active` while it silences, otherwise why it does
 * not (the message names the field).
 */
export const SuppressionReason = reasonsOf(["Active", "Expired", "ExpiryTooFar", "InvalidExpression", "InvalidSpec"]);

/** One of {@link SuppressionReason}. */
export type SuppressionReason = (typeof SuppressionReason)[keyof typeof SuppressionReason];
