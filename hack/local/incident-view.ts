import type { Incident, PlaybookRun, StepState, TimelineEntry } from "../../src/api/v1alpha1/types.generated.ts";
import { printable } from "../../src/cli/terminal-text.ts";

/** Incident phases after which the automation does nothing more on its own. */
export const TERMINAL_PHASES: ReadonlySet<string> = new Set(["Succeeded", "Failed", "Resolved", "Closed"]);

/** True when the Incident's automation has finished (see {@link TERMINAL_PHASES}). */
export function isTerminal(incident: Incident): boolean {
  return TERMINAL_PHASES.has(incident.status?.phase ?? "");
}

function stepLine(run: PlaybookRun, step: StepState): string {
  const attempt = step.attempts === undefined ? "" : ` (attempt ${step.attempts})`;
  const message = step.message === undefined ? "" : `: ${printable(step.message)}`;
  return `  step ${printable(run.name)}/${printable(step.name)} ${step.phase}${attempt}${message}`;
}

function runLine(run: PlaybookRun): string {
  const dryRun = run.dryRun === true ? " (dry run)" : "";
  const message = run.message === undefined ? "" : `: ${printable(run.message)}`;
  return `  playbook ${printable(run.name)} ${run.phase}${dryRun}${message}`;
}

function timelineLine(entry: TimelineEntry): string {
  const where = [entry.playbook, entry.step].filter((part) => part !== undefined).map((part) => printable(part)).join("/");
  const message = entry.message === undefined ? "" : ` ${printable(entry.message)}`;
  return `  ${entry.time} ${entry.type === "Warning" ? "WARNING " : ""}${printable(entry.reason)}${where === "" ? "" : ` [${where}]`}${message}`;
}

function timelineKey(entry: TimelineEntry): string {
  return JSON.stringify([entry.time, entry.reason, entry.playbook, entry.step, entry.message]);
}

function runChanges(previous: readonly PlaybookRun[], next: readonly PlaybookRun[]): string[] {
  const lines: string[] = [];
  for (const run of next) {
    const before = previous.find((candidate) => candidate.name === run.name);
    if (before?.phase !== run.phase || before.message !== run.message) lines.push(runLine(run));
    for (const step of run.steps ?? []) {
      const old = before?.steps?.find((candidate) => candidate.name === step.name);
      if (old?.phase !== step.phase || old.message !== step.message || old.attempts !== step.attempts) lines.push(stepLine(run, step));
    }
  }
  return lines;
}

/**
 * Readable lines for what changed between two states of an Incident (`previous` undefined for
 * a new one): the Incident's phase, each playbook run's and step's phase and message, and the
 * timeline entries that were not there before, oldest first. No change gives no lines. Every
 * value from the Incident is passed through {@link printable}.
 */
export function incidentChanges(previous: Incident | undefined, next: Incident): string[] {
  const name = printable(next.metadata.name ?? "", 80);
  const lines: string[] = [];
  if (previous === undefined) {
    const playbooks = (next.spec.playbooks ?? []).map((playbook) => printable(playbook)).join(", ");
    lines.push(`  opened: ${next.spec.severity} ${printable(next.spec.title)}${playbooks === "" ? "" : ` (playbooks: ${playbooks})`}`);
  }
  const phase = next.status?.phase;
  if (phase !== undefined && phase !== previous?.status?.phase) lines.push(`  phase ${phase}`);
  lines.push(...runChanges(previous?.status?.playbooks ?? [], next.status?.playbooks ?? []));
  const seen = new Set((previous?.status?.timeline ?? []).map(timelineKey));
  for (const entry of next.status?.timeline ?? []) if (!seen.has(timelineKey(entry))) lines.push(timelineLine(entry));
  return lines.length === 0 ? [] : [`incident ${name}`, ...lines];
}
