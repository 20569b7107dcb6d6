// The soar.kube-soar.io/v1alpha1 API: generated types of every kind, and the constants
// (group, kinds, condition types, reasons, label keys, enum values) and the catalog of built-in
// actions code uses to talk about them.
export * from "./action-catalog.ts";
export * from "./constants.ts";
export * from "./observable-values.ts";
export * from "./reasons.ts";
export type * from "./types.generated.ts";
