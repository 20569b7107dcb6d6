import type { Incident, TimelineEntry } from "../../api/v1alpha1/types.generated.ts";
import { printable } from "../terminal-text.ts";

function entryKey(entry: TimelineEntry): string {
  return JSON.stringify([entry.time, entry.type, entry.reason, entry.playbook, entry.step, entry.message]);
}

/**
 * The timeline entries of an Incident not shown yet, one line each, oldest first:
 * `TIME  TYPE  [INCIDENT]  REASON  PLAYBOOK/STEP: MESSAGE`, the Incident's name only when
 * `withName` (several Incidents share the output). `shown` remembers what was printed, per
 * Incident, and is updated; the timeline is bounded, so entries dropped from it are forgotten.
 */
export function newTimelineLines(incident: Incident, shown: Map<string, Set<string>>, withName: boolean): string[] {
  const name = incident.metadata.name ?? "";
  const seen = shown.get(name) ?? new Set<string>();
  const entries = incident.status?.timeline ?? [];
  const lines: string[] = [];
  for (const entry of entries) {
    const key = entryKey(entry);
    if (seen.has(key)) continue;
    const from = [entry.playbook, entry.step].filter((part) => part !== undefined).map((part) => printable(part)).join("/");
    const message = entry.message === undefined ? "" : printable(entry.message, 300);
    const detail = [from, message].filter((part) => part !== "").join(": ");
    lines.push([entry.time, entry.type.padEnd(7), ...(withName ? [printable(name, 253)] : []), printable(entry.reason, 128), detail].filter((part) => part !== "").join("  "));
  }
  shown.set(name, new Set(entries.map(entryKey)));
  return lines;
}
