/**
 * The subject Falcosidekick's NATS output publishes an alert on: `falco.<priority>.<rule>`,
 * the priority lower-cased, the rule lower-cased with every run of characters outside
 * `[a-z0-9]` replaced by `_` and leading or trailing `_` trimmed.
 */
export function falcoSubject(alert: { readonly priority: string; readonly rule: string }): string {
  const rule = alert.rule.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
  return `falco.${alert.priority.toLowerCase()}.${rule}`;
}
