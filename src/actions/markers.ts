/**
 * Annotations kube-soar writes on the objects its actions change, in the same write as the
 * change, so that a step re-run after a crash rebuilds the same undo record.
 */
export const Marker = {
  /** JSON object: label key → the value before kube-soar changed it (null: absent). */
  PreviousLabels: "soar.kube-soar.io/previous-labels",
  /** JSON object: annotation key → the value before kube-soar changed it (null: absent). */
  PreviousAnnotations: "soar.kube-soar.io/previous-annotations",
  /** `<namespace>/<name>` of the Incident whose step cordoned the Node. */
  CordonedBy: "soar.kube-soar.io/cordoned-by",
} as const;

/** Label and annotation keys under this prefix belong to kube-soar; label/annotate refuse them. */
export const RESERVED_KEY_PREFIX = "soar.kube-soar.io/";

/** `managed-by` label value of the objects kube-soar creates. */
export const MANAGED_BY = "kube-soar";
