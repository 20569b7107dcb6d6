import type { TenancyPolicy } from "../api/v1alpha1/constants.ts";
import type { PolicyBindingState } from "./tenancy-verification.ts";

/** The label the API server sets on every Namespace to its own name (it cannot be changed). */
const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

/** A label selector as a binding's `matchResources` holds it. */
export interface ObservedLabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly { readonly key: string; readonly operator: string; readonly values?: readonly string[] }[];
}

/** The parts of a ValidatingAdmissionPolicyBinding that decide where it is in force. */
export interface ObservedBinding {
  readonly policyName?: string;
  readonly validationActions?: readonly string[];
  readonly matchResources?: {
    readonly namespaceSelector?: ObservedLabelSelector;
    readonly objectSelector?: ObservedLabelSelector;
    readonly resourceRules?: readonly unknown[];
    readonly excludeResourceRules?: readonly unknown[];
  };
  /** When the binding took its current form: its last spec write, else its creation. */
  readonly since: Date | undefined;
}

function isEmpty(selector: ObservedLabelSelector | undefined): boolean {
  return Object.keys(selector?.matchLabels ?? {}).length === 0 && (selector?.matchExpressions ?? []).length === 0;
}

/**
 * Whether a namespace selector selects `namespace`, when it can be told without reading the
 * Namespace: only the `kubernetes.io/metadata.name` label (matchLabels, or `In`); undefined
 * for any other selector.
 */
function selectsNamespace(selector: ObservedLabelSelector, namespace: string): boolean | undefined {
  const labels = Object.entries(selector.matchLabels ?? {});
  const expressions = selector.matchExpressions ?? [];
  if (labels.some(([key]) => key !== NAMESPACE_NAME_LABEL)) return undefined;
  if (expressions.some((expression) => expression.key !== NAMESPACE_NAME_LABEL || expression.operator !== "In")) return undefined;
  return labels.every(([, value]) => value === namespace) && expressions.every((expression) => (expression.values ?? []).includes(namespace));
}

function absent(policy: TenancyPolicy, absence: string): PolicyBindingState {
  return { policy, since: undefined, absence };
}

/**
 * Whether the binding of `policy` is in force for objects of `namespace`, as a pure function: it
 * must exist, bind that policy with the `Deny` action, and not be narrowed by `matchResources`
 * except by a namespace selector on `kubernetes.io/metadata.name` that selects `namespace` (any
 * other selector would need the Namespace's labels, so it is not taken as covering). In force
 * since the binding took its current form: a change to a binding may have widened it.
 */
export function bindingStateFor(policy: TenancyPolicy, binding: ObservedBinding | undefined, namespace: string): PolicyBindingState {
  if (binding === undefined) return absent(policy, "is missing");
  if (binding.policyName !== policy) return absent(policy, `binds policy ${binding.policyName ?? "(none)"}, not ${policy}`);
  if (!(binding.validationActions ?? []).includes("Deny")) return absent(policy, "does not deny (validationActions lacks Deny)");
  const match = binding.matchResources;
  if (!isEmpty(match?.objectSelector) || (match?.resourceRules ?? []).length > 0 || (match?.excludeResourceRules ?? []).length > 0) {
    return absent(policy, "is narrowed by matchResources (objectSelector or resource rules)");
  }
  if (match?.namespaceSelector !== undefined && !isEmpty(match.namespaceSelector)) {
    const selected = selectsNamespace(match.namespaceSelector, namespace);
    if (selected === undefined) return absent(policy, `has a namespaceSelector the operator cannot evaluate for namespace ${namespace}`);
    if (!selected) return absent(policy, `does not select namespace ${namespace}`);
  }
  if (binding.since === undefined) return absent(policy, "has no creation time");
  return { policy, since: binding.since };
}
