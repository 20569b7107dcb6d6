import type { FalcoPriority } from "../decode/falco-payload.ts";
import { SEVERITIES, type Severity } from "../../api/v1alpha1/index.ts";

const FALCO_SEVERITY: Readonly<Record<FalcoPriority, Severity>> = {
  Emergency: "critical",
  Alert: "critical",
  Critical: "critical",
  Error: "high",
  Warning: "medium",
  Notice: "low",
  Informational: "info",
  Debug: "info",
};

/** Maps a Falco priority: Emergency, Alert, Critical → critical; Error → high; Warning → medium; Notice → low; Informational, Debug → info. */
export function severityOfFalcoPriority(priority: FalcoPriority): Severity {
  return FALCO_SEVERITY[priority];
}

/** Synonyms of each severity besides its own name, as CloudEvent producers and monitoring tools spell them. */
const SYNONYMS: Readonly<Record<Severity, readonly string[]>> = {
  critical: ["crit", "fatal", "emergency", "emerg", "alert", "disaster", "p1", "sev1", "sev-1"],
  high: ["error", "err", "severe", "major", "p2", "sev2", "sev-2"],
  medium: ["moderate", "warning", "warn", "average", "p3", "sev3", "sev-3"],
  low: ["minor", "notice", "p4", "sev4", "sev-4"],
  info: ["informational", "information", "debug", "trace", "none", "ok", "p5", "sev5", "sev-5"],
};

/** Severity names ({@link SEVERITIES}) and their common synonyms, lower-case. */
const SEVERITY_SYNONYMS: ReadonlyMap<string, Severity> = new Map(
  SEVERITIES.flatMap((severity) => [severity, ...SYNONYMS[severity]].map((name): [string, Severity] => [name, severity])),
);

/** The severity a name or synonym denotes (`Warning`, `ERR`, `p1`), or undefined when unknown. */
export function severityFromName(name: string): Severity | undefined {
  return SEVERITY_SYNONYMS.get(name.trim().toLowerCase());
}

/**
 * Maps an Alertmanager `severity` label: critical → critical, error → high, warning →
 * medium, info and none → info, other synonyms as in `SEVERITY_SYNONYMS`; an absent or
 * unrecognised label gets `fallback` (the configured default, medium unless changed), so an
 * alert of unknown weight is neither silenced nor paged.
 */
export function severityOfAlertmanagerLabel(label: string | undefined, fallback: Severity): Severity {
  return label === undefined ? fallback : (severityFromName(label) ?? fallback);
}

/** Maps a CloudEvent `severity` extension (a severity name or synonym); absent or unknown gets `fallback`. */
export function severityOfCloudEventExtension(extension: string | undefined, fallback: Severity): Severity {
  return extension === undefined ? fallback : (severityFromName(extension) ?? fallback);
}
