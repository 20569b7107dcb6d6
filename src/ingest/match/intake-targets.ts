import { createHash } from "node:crypto";
import { compareSeverity } from "../../api/v1alpha1/constants.ts";
import type { Severity } from "../../api/v1alpha1/types.generated.ts";
import type { IntakeOptions } from "../../config/options.ts";
import { incidentNameFor } from "../identity/incident-name.ts";
import type { IncidentTarget } from "../write/write-request.ts";
import type { PlaybookMatch } from "./matcher-index.ts";

/** Most Playbooks one Incident lists (the schema's bound on `spec.playbooks`). */
export const MAX_PLAYBOOKS_PER_INCIDENT = 16;

/** What target selection needs to know about an alert. */
export interface TargetAlert {
  severity: Severity;
  /** The alert's fingerprint (hex). */
  fingerprint: string;
  /** Readable prefix of Incident names, e.g. `falco-terminal-shell-in-container`. */
  namePrefix: string;
}

/** The `spec.fingerprint` of Incidents grouped by a Playbook's dedup key: a hash of the key. */
export function dedupKeyFingerprint(key: string): string {
  return createHash("sha256").update(`dedup-key\u0000${key}`, "utf8").digest("hex");
}

/**
 * Where an alert is recorded:
 * - one Incident per (namespace of a matching Playbook, dedup identity): the identity is the
 *   Playbook's dedup key when it has one (hashed), else the alert's fingerprint; Playbooks of
 *   one namespace sharing an identity share the Incident, which lists them (sorted, at most
 *   {@link MAX_PLAYBOOKS_PER_INCIDENT}) and uses the shortest of their windows;
 * - no match: one Incident in `defaultNamespace` when the severity is at least
 *   `unmatchedMinSeverity` (never with `none`), otherwise nothing (the caller counts a drop).
 * Pure; targets come out ordered by namespace then name.
 */
export function incidentTargets(
  alert: TargetAlert,
  matches: readonly PlaybookMatch[],
  options: Pick<IntakeOptions, "defaultNamespace" | "unmatchedMinSeverity" | "dedupWindowMs">,
): IncidentTarget[] {
  if (matches.length === 0) {
    const threshold = options.unmatchedMinSeverity;
    if (threshold === "none" || compareSeverity(alert.severity, threshold) < 0) return [];
    return [
      {
        namespace: options.defaultNamespace,
        baseName: incidentNameFor(alert.fingerprint, alert.namePrefix),
        fingerprint: alert.fingerprint,
        windowMs: options.dedupWindowMs,
        playbooks: [],
      },
    ];
  }
  const groups = new Map<string, { namespace: string; fingerprint: string; windowMs: number; playbooks: string[] }>();
  for (const match of matches) {
    const fingerprint = match.dedupKey === undefined ? alert.fingerprint : dedupKeyFingerprint(match.dedupKey);
    const key = `${match.namespace}\u0000${fingerprint}`;
    const windowMs = match.windowMs ?? options.dedupWindowMs;
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, { namespace: match.namespace, fingerprint, windowMs, playbooks: [match.name] });
    } else {
      group.windowMs = Math.min(group.windowMs, windowMs);
      group.playbooks.push(match.name);
    }
  }
  const targets = [...groups.values()].map((group) => ({
    namespace: group.namespace,
    baseName: incidentNameFor(group.fingerprint, alert.namePrefix),
    fingerprint: group.fingerprint,
    windowMs: group.windowMs,
    playbooks: [...new Set(group.playbooks)].sort().slice(0, MAX_PLAYBOOKS_PER_INCIDENT),
  }));
  return targets.sort((a, b) =>
    a.namespace === b.namespace ? (a.baseName < b.baseName ? -1 : a.baseName > b.baseName ? 1 : 0) : a.namespace < b.namespace ? -1 : 1,
  );
}
