import type { SuppressedAlert } from "../../api/v1alpha1/types.generated.ts";
import { boundText } from "../../api/v1alpha1/bounds.ts";
import { MAX_RULE_LENGTH } from "../../api/v1alpha1/schema/alert-suppression.ts";
import type { Alert } from "../alert.ts";

/**
 * The rule an alert was raised by, as suppressions' `rules` name it: the Falco rule of a Falco
 * alert (label `rule`), the alert name of an Alertmanager alert (label `alertname`); undefined for
 * any other CloudEvent, and when the label is absent or empty.
 */
export function alertRule(alert: Pick<Alert, "kind" | "labels">): string | undefined {
  const label = alert.kind === "falco" ? "rule" : alert.kind === "alertmanager" ? "alertname" : undefined;
  const value = label === undefined ? undefined : alert.labels[label];
  return value === undefined || value === "" ? undefined : value;
}

/**
 * What a suppression's status keeps of an alert it silenced: type, source, title, rule, affected
 * namespace and severity, as intake stored them (redacted and bounded; the rule cut to the
 * schema's bound), and when it was silenced. Never the alert's data, labels or observables.
 */
export function silencedSample(alert: Alert, time: Date): SuppressedAlert {
  const rule = alertRule(alert);
  const namespace = alert.resources.namespace;
  return {
    time: time.toISOString(),
    type: alert.type,
    source: alert.source,
    title: alert.title,
    ...(rule === undefined ? {} : { rule: boundText(rule, MAX_RULE_LENGTH) }),
    ...(namespace === undefined ? {} : { namespace }),
    severity: alert.severity,
  };
}
