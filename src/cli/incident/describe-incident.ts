import { stringify } from "yaml";
import { occurrenceStatus } from "../../api/v1alpha1/incident-occurrences.ts";
import { awaitedDecisions } from "../../api/v1alpha1/lifecycle.ts";
import type { Incident, IncidentStatus, PlaybookRun, StepState } from "../../api/v1alpha1/types.generated.ts";
import { ageOf } from "../human-duration.ts";
import { formatTable } from "../output.ts";
import { printable } from "../terminal-text.ts";

const NONE = "<none>";
/** Most lines of the event's data shown; the rest is in `-o yaml`. */
const MAX_DATA_LINES = 40;

/** Lines under construction, with kubectl describe's indentation of two spaces per level. */
class Lines {
  readonly #lines: string[] = [];

  /** `label:` and value pairs, the values aligned in one column; the lines of a multi-line value all start there. */
  fields(indent: number, pairs: readonly (readonly [string, string])[]): void {
    const width = Math.max(...pairs.map(([label]) => label.length)) + 2;
    for (const [label, value] of pairs) {
      const [first, ...rest] = value.split("\n");
      this.#lines.push(`${" ".repeat(indent)}${`${label}:`.padEnd(width)}${first ?? ""}`.trimEnd());
      for (const line of rest) this.#lines.push(`${" ".repeat(indent + width)}${line}`.trimEnd());
    }
  }

  line(indent: number, text: string): void {
    this.#lines.push(`${" ".repeat(indent)}${text}`.trimEnd());
  }

  /** A table, indented. */
  table(indent: number, header: readonly string[], rows: readonly (readonly string[])[]): void {
    for (const line of formatTable(header, rows).trimEnd().split("\n")) this.line(indent, line);
  }

  text(): string {
    return `${this.#lines.join("\n")}\n`;
  }
}

function when(time: string | undefined, now: Date): string {
  return time === undefined ? NONE : `${time} (${ageOf(time, now)} ago)`;
}

function text(value: string | undefined, max = 200): string {
  return value === undefined || value === "" ? NONE : printable(value, max);
}

/** A value of unknown shape as indented YAML lines, each made printable, at most `maxLines`. */
function yamlLines(value: unknown, maxLines: number): string[] {
  const lines = stringify(value, { lineWidth: 0 }).trimEnd().split("\n").map((line) => printable(line, 200));
  return lines.length <= maxLines ? lines : [...lines.slice(0, maxLines), `… (${String(lines.length - maxLines)} more lines: see -o yaml)`];
}

function header(out: Lines, incident: Incident, status: IncidentStatus, now: Date): void {
  const labels = Object.entries(incident.metadata.labels ?? {}).map(([key, value]) => printable(`${key}=${value}`));
  const waiting = awaitedDecisions(status.playbooks ?? []).map(({ run, step }) => `${printable(run.name)}/${printable(step.name)}`);
  const occurrences = status.occurrences ?? 0;
  out.fields(0, [
    ["Name", text(incident.metadata.name, 253)],
    ["Namespace", text(incident.metadata.namespace, 63)],
    ["Labels", labels.length === 0 ? NONE : labels.join("\n")],
    ["Created", when(incident.metadata.creationTimestamp === undefined ? undefined : new Date(incident.metadata.creationTimestamp).toISOString(), now)],
    ["Title", text(incident.spec.title)],
    ["Severity", incident.spec.severity],
    ["State", incident.spec.state ?? "Open"],
    ["Assignee", text(incident.spec.assignee, 256)],
    ["Phase", status.phase ?? "Pending"],
    ["Waiting", waiting.length === 0 ? "nothing" : `${String(waiting.length)} decision(s): ${waiting.join(", ")}`],
    ["Occurrences", `${String(occurrences)}${status.firstSeen === undefined ? "" : `, first ${ageOf(status.firstSeen, now)} ago`}${status.lastSeen === undefined ? "" : `, last ${ageOf(status.lastSeen, now)} ago`}`],
    ["Alert", status.alertStatus ?? NONE],
    ["Responded", when(status.respondedAt, now)],
    ["Resolved", when(status.resolvedAt, now)],
    ["Revert", incident.spec.revert === true ? "requested" : "no"],
    ["Fingerprint", text(incident.spec.fingerprint, 128)],
  ]);
}

function event(out: Lines, incident: Incident): void {
  const { event: alert, source } = incident.spec;
  out.line(0, "Event:");
  out.fields(2, [
    ["Producer", source.kind],
    ["Source", text(alert?.source)],
    ["Type", text(alert?.type)],
    ["ID", text(alert?.id)],
    ["Subject", text(alert?.subject)],
    ["Time", alert?.time ?? NONE],
  ]);
  if (alert?.data === undefined) return;
  out.line(2, `Data:${alert.truncated === true ? " (truncated at intake)" : ""}`);
  for (const line of yamlLines(alert.data, MAX_DATA_LINES)) out.line(4, line);
}

function resources(out: Lines, incident: Incident): void {
  const affected = incident.spec.resources;
  out.line(0, "Resources:");
  if (affected === undefined) {
    out.line(2, NONE);
    return;
  }
  const pairs = ([["Namespace", affected.namespace], ["Pod", affected.pod], ["Container", affected.container], ["Node", affected.node], ["Image", affected.image], ["Workload", affected.workload]] as const)
    .filter(([, value]) => value !== undefined)
    .map(([label, value]) => [label, text(value, 512)] as const);
  if (pairs.length === 0) out.line(2, NONE);
  else out.fields(2, pairs);
}

function observables(out: Lines, status: IncidentStatus): void {
  const found = status.observables ?? [];
  out.line(0, "Observables:");
  if (found.length === 0) out.line(2, NONE);
  else out.table(2, ["TYPE", "VALUE"], found.map((observable) => [observable.type, printable(observable.value)]));
}

/** `status.intel`, written by the operator's threat-intel matching when it is there: shown as it is. */
function intel(out: Lines, status: IncidentStatus): void {
  const value = (status as Record<string, unknown>).intel;
  if (value === undefined) return;
  out.line(0, "Intel:");
  for (const line of yamlLines(value, MAX_DATA_LINES)) out.line(2, line);
}

function stepLines(out: Lines, step: StepState, now: Date): void {
  const attempts = step.attempts === undefined ? "" : `, attempt ${String(step.attempts)}`;
  const started = step.startedAt === undefined ? "" : `, started ${ageOf(step.startedAt, now)} ago`;
  const finished = step.finishedAt === undefined ? "" : `, finished ${ageOf(step.finishedAt, now)} ago`;
  out.line(4, `${printable(step.name)}: ${step.phase}${attempts}${started}${finished}`);
  if (step.message !== undefined) out.line(6, printable(step.message, 1024));
  if (step.job !== undefined) out.fields(6, [["Job", printable(step.job)]]);
  if (step.decision !== undefined) {
    const { decision } = step;
    const by = decision.timedOut === true ? "on timeout" : `by ${text(decision.by, 256)}`;
    out.fields(6, [["Decision", `${decision.decision} ${by}${decision.at === undefined ? "" : ` at ${decision.at}`}`]]);
  }
  const outputs = Object.entries(step.outputs ?? {});
  if (outputs.length > 0) {
    out.line(6, "Outputs:");
    out.fields(8, outputs.map(([key, value]) => [printable(key, 63), printable(value)]));
  }
  if (step.undo !== undefined) out.fields(6, [["Undo", "recorded (resolve --revert undoes it)"]]);
}

function playbooks(out: Lines, incident: Incident, status: IncidentStatus, now: Date): void {
  const runs = status.playbooks ?? [];
  out.line(0, "Playbooks:");
  const started = new Set(runs.map((run) => run.name));
  const notStarted = (incident.spec.playbooks ?? []).filter((name) => !started.has(name));
  if (runs.length === 0 && notStarted.length === 0) out.line(2, NONE);
  for (const run of runs) runLines(out, run, now);
  for (const name of notStarted) out.line(2, `${printable(name)}: not started`);
}

function runLines(out: Lines, run: PlaybookRun, now: Date): void {
  const generation = run.generation === undefined ? "" : ` (generation ${String(run.generation)})`;
  const dry = run.dryRun === true ? ", dry run" : "";
  const started = run.startedAt === undefined ? "" : `, started ${ageOf(run.startedAt, now)} ago`;
  out.line(2, `${printable(run.name)}${generation}: ${run.phase}${dry}${started}`);
  if (run.message !== undefined) out.line(4, printable(run.message, 1024));
  for (const step of run.steps ?? []) stepLines(out, step, now);
}

function approvals(out: Lines, incident: Incident, now: Date): void {
  const recorded = incident.spec.approvals ?? [];
  out.line(0, "Approvals:");
  if (recorded.length === 0) {
    out.line(2, NONE);
    return;
  }
  out.table(
    2,
    ["PLAYBOOK", "STEP", "DECISION", "BY", "AGE", "REASON"],
    recorded.map((approval) => [printable(approval.playbook), printable(approval.step), approval.decision, printable(approval.by, 256), approval.at === undefined ? NONE : ageOf(approval.at, now), text(approval.reason, 120)]),
  );
}

function conditions(out: Lines, status: IncidentStatus): void {
  const list = status.conditions ?? [];
  out.line(0, "Conditions:");
  if (list.length === 0) out.line(2, NONE);
  else out.table(2, ["TYPE", "STATUS", "REASON", "MESSAGE"], list.map((condition) => [condition.type, condition.status, condition.reason, printable(condition.message, 160)]));
}

function timeline(out: Lines, status: IncidentStatus, now: Date): void {
  const entries = status.timeline ?? [];
  out.line(0, "Timeline:");
  if (entries.length === 0) {
    out.line(2, NONE);
    return;
  }
  out.table(
    2,
    ["AGE", "TYPE", "REASON", "FROM", "MESSAGE"],
    entries.map((entry) => [
      ageOf(entry.time, now),
      entry.type,
      printable(entry.reason, 128),
      [entry.playbook, entry.step].filter((part) => part !== undefined).map((part) => printable(part)).join("/") || NONE,
      text(entry.message, 300),
    ]),
  );
}

/**
 * An Incident as `kubectl soar describe` shows it, in sections: the summary (labels, state,
 * severity, assignee, phase, the steps waiting for a decision, occurrences, response times),
 * the event (its data as YAML, cut at 40 lines), the affected resources, observables, `status.intel`
 * when present, each playbook run with its steps (phase, attempts, message, Job, decision,
 * outputs), the recorded approvals, the conditions and the timeline. Every text taken from the
 * Incident is made printable (alert text may carry terminal escapes); ages are counted from `now`. Pure.
 */
export function describeIncident(incident: Incident, now: Date): string {
  const out = new Lines();
  const status = occurrenceStatus(incident);
  header(out, incident, status, now);
  event(out, incident);
  resources(out, incident);
  observables(out, status);
  intel(out, status);
  playbooks(out, incident, status, now);
  approvals(out, incident, now);
  conditions(out, status);
  timeline(out, status, now);
  return out.text();
}
