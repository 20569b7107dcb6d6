import { occurrenceStatus } from "../../api/v1alpha1/incident-occurrences.ts";
import type { Incident } from "../../api/v1alpha1/types.generated.ts";
import { ageOf } from "../human-duration.ts";
import { formatTable } from "../output.ts";
import { printable } from "../terminal-text.ts";

/** How a table of Incidents is laid out. */
export interface IncidentTableOptions {
  /** `-o wide`: also WAITING, ASSIGNEE, LAST SEEN and TITLE. */
  readonly wide: boolean;
  /** `-A`: a NAMESPACE column first. */
  readonly allNamespaces: boolean;
  readonly now: Date;
}

const NONE = "<none>";

function row(incident: Incident, options: IncidentTableOptions): string[] {
  const status = occurrenceStatus(incident);
  const playbooks = incident.spec.playbooks ?? [];
  const cells = [
    printable(incident.metadata.name ?? "", 253),
    incident.spec.severity,
    incident.spec.state ?? "Open",
    status.phase ?? "Pending",
    playbooks.length === 0 ? NONE : printable(playbooks.join(","), 120),
    String(status.occurrences ?? 0),
    ageOf(incident.metadata.creationTimestamp, options.now),
  ];
  if (options.wide) {
    cells.push(
      String(status.waitingApprovals ?? 0),
      incident.spec.assignee === undefined ? NONE : printable(incident.spec.assignee, 64),
      status.lastSeen === undefined ? NONE : ageOf(status.lastSeen, options.now),
      printable(incident.spec.title, 80),
    );
  }
  return options.allNamespaces ? [printable(incident.metadata.namespace ?? "", 63), ...cells] : cells;
}

/**
 * Incidents as `kubectl soar get` shows them, one row each: NAME, SEVERITY, STATE, PHASE,
 * PLAYBOOKS, OCCURRENCES, AGE (the occurrence fields as they stand, see `occurrenceStatus`), after
 * NAMESPACE with `-A`, followed by WAITING (approval steps waiting for a decision), ASSIGNEE,
 * LAST SEEN and TITLE when wide. Text from the Incident is made printable. Pure.
 */
export function incidentTable(incidents: readonly Incident[], options: IncidentTableOptions): string {
  const header = ["NAME", "SEVERITY", "STATE", "PHASE", "PLAYBOOKS", "OCCURRENCES", "AGE"];
  if (options.wide) header.push("WAITING", "ASSIGNEE", "LAST SEEN", "TITLE");
  return formatTable(options.allNamespaces ? ["NAMESPACE", ...header] : header, incidents.map((incident) => row(incident, options)));
}
