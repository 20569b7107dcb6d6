import { formatDuration } from "../../api/duration.ts";
import type { AffectedResources, Observable, Playbook } from "../../api/v1alpha1/types.generated.ts";
import type { Alert } from "../../ingest/alert.ts";
import { matchInputOf, writeRequestsFor } from "../../ingest/intake-pipeline.ts";
import { PlaybookIndex } from "../../ingest/match/matcher-index.ts";
import { newIncident } from "../../ingest/write/incident-objects.ts";
import { incidentObservables, incidentResources } from "../../ingest/write/incident-spec-from-alert.ts";
import type { PlaybookCompiler } from "../../playbook/index.ts";
import type { TestSettings } from "./operator-settings.ts";
import { simulateRun } from "./run-preview.ts";
import { stepReports, type StepReport } from "./step-report.ts";
import { stepExpressionSources, stepOutputReferences } from "./step-output-references.ts";
import { dedupKeyProblem, explainTrigger, type TriggerCheck } from "./trigger-explanation.ts";

/** The Incident intake would open for the alert. */
export interface IncidentReport {
  readonly namespace: string;
  /** The name of the first Incident of this dedup identity; later ones get `-2`, `-3`, ... */
  readonly name: string;
  readonly fingerprint: string;
  /** Events with the same identity within this window fold into it. */
  readonly window: string;
  readonly playbooks: readonly string[];
}

/** The run of the Playbook the Incident would start. */
export interface RunReport {
  readonly phase: string;
  readonly dryRun: boolean;
  readonly message?: string;
  readonly steps: readonly StepReport[];
}

/** Everything `kubectl soar test` says about one alert. */
export interface AlertReport {
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly kind: string;
  readonly time: string;
  readonly severity: string;
  readonly title: string;
  /** The alert's fingerprint; the Incident's is the dedup key's hash when the Playbook has one. */
  readonly fingerprint: string;
  readonly resources: AffectedResources;
  readonly observables: readonly Observable[];
  readonly trigger: { readonly matched: boolean; readonly checks: readonly TriggerCheck[] };
  /** The Playbook's dedup key for this alert; absent when it has none (the fingerprint decides). */
  readonly dedupKey?: string;
  readonly dedupKeyProblem?: string;
  /** Absent when intake would open no Incident (the alert matched nothing, below the unmatched threshold). */
  readonly incident?: IncidentReport;
  /** Absent when the Playbook did not match. */
  readonly run?: RunReport;
}

/** The report of a test: the Playbook, the operator namespace it was judged by, and each alert. */
export interface TestReport {
  readonly playbook: { readonly namespace: string; readonly name: string };
  readonly alerts: readonly AlertReport[];
}

/** What a test needs. */
export interface TestInput {
  /** The Playbook, its namespace set. */
  readonly playbook: Playbook;
  readonly compiler: PlaybookCompiler;
  readonly settings: TestSettings;
  readonly alerts: readonly Alert[];
  readonly now: Date;
  /** Outputs of steps given with `--outputs`, by step. */
  readonly outputs: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** The text standing for an output of a step that was not given: `<from steps.scan.outputs.verdict>`. */
export function outputPlaceholder(step: string, output: string): string {
  return `<from steps.${step}.outputs.${output}>`;
}

function placeholdersOf(input: TestInput): { readonly outputsFor: (step: string) => Record<string, string>; readonly placeholders: Set<string> } {
  const compiled = input.compiler.compile(input.playbook);
  const references = stepExpressionSources(compiled).flatMap((source) => stepOutputReferences(source.source));
  const placeholders = new Set<string>();
  const byStep = new Map<string, Record<string, string>>();
  for (const { step, output } of references) {
    if (input.outputs[step]?.[output] !== undefined) continue;
    placeholders.add(`steps.${step}.outputs.${output}`);
    byStep.set(step, { ...byStep.get(step), [output]: outputPlaceholder(step, output) });
  }
  return { outputsFor: (step) => ({ ...byStep.get(step), ...input.outputs[step] }), placeholders };
}

function alertReport(alert: Alert, input: TestInput): AlertReport {
  const { settings, compiler, now } = input;
  const compiled = compiler.compile(input.playbook);
  const matchInput = matchInputOf(alert);
  const index = new PlaybookIndex(compiler, settings.namespace);
  index.upsert(input.playbook);
  const matches = index.match(matchInput);
  const [match] = matches;
  const [request] = writeRequestsFor(alert, matches, settings.intake, now);
  const problem = match === undefined ? undefined : dedupKeyProblem(compiled, matchInput);
  const base: AlertReport = {
    id: alert.id,
    source: alert.source,
    type: alert.type,
    kind: alert.kind,
    time: alert.time,
    severity: alert.severity,
    title: alert.title,
    fingerprint: alert.fingerprint,
    resources: incidentResources(alert),
    observables: incidentObservables(alert),
    trigger: { matched: match !== undefined, checks: explainTrigger(compiled, matchInput, settings.namespace) },
    ...(match?.dedupKey === undefined ? {} : { dedupKey: match.dedupKey }),
    ...(problem === undefined ? {} : { dedupKeyProblem: problem }),
  };
  if (request === undefined) return base;
  const { target } = request;
  const incidentReport: IncidentReport = { namespace: target.namespace, name: target.baseName, fingerprint: target.fingerprint, window: formatDuration(target.windowMs), playbooks: target.playbooks };
  if (match === undefined) return { ...base, incident: incidentReport };
  const incident = newIncident(request, target.baseName);
  const { outputsFor, placeholders } = placeholdersOf(input);
  const simulated = simulateRun({ incident, playbook: input.playbook, compiler, guardPolicy: settings.guardPolicy, paused: settings.paused, now, outputsFor });
  const run: RunReport = {
    phase: simulated.run.phase,
    dryRun: simulated.run.dryRun === true,
    ...(simulated.run.message === undefined ? {} : { message: simulated.run.message }),
    steps: stepReports({ playbook: compiler.compile(input.playbook), incident, run: simulated.run, steps: simulated.steps, placeholders }),
  };
  return { ...base, incident: incidentReport, run };
}

/**
 * What the operator would do with each alert for one Playbook: the alert as intake decodes it,
 * whether and why the trigger matches, the dedup key, the Incident intake would open, and the
 * run the Incident controller would carry out (see `simulateRun`), all with the operator's own
 * functions. Pure.
 */
export function testPlaybook(input: TestInput): TestReport {
  return {
    playbook: { namespace: input.playbook.metadata.namespace ?? "", name: input.playbook.metadata.name ?? "" },
    alerts: input.alerts.map((alert) => alertReport(alert, input)),
  };
}
