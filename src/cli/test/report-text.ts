import type { AlertReport, TestReport } from "./test-report.ts";
import type { StepReport } from "./step-report.ts";

function field(label: string, value: string, indent = "  "): string {
  return `${indent}${label.padEnd(12)}${value}`;
}

function entries(map: Readonly<Record<string, string>>): string {
  return Object.entries(map).map(([key, value]) => `${key}=${value}`).join(" ");
}

function stepLines(step: StepReport, position: number): string[] {
  const indent = "      ";
  const lines = [`    ${position}. ${step.name} (${step.kind}): ${step.phase}${step.message === undefined ? "" : ` - ${step.message}`}`];
  if (step.when !== undefined) {
    const unknown = step.when.unknownOutputs === undefined ? "" : ` (reads ${step.when.unknownOutputs.join(", ")}: not known offline, give --outputs)`;
    lines.push(field("when", `${step.when.expression} => ${String(step.when.result)}${step.when.detail === undefined ? "" : `: ${step.when.detail}`}${unknown}`, indent));
  }
  if (step.guard !== undefined) {
    lines.push(field("guard", `${step.guard.decision}${step.guard.reason === undefined ? "" : ` (${step.guard.reason})`}${step.guard.message === undefined || step.guard.decision === "refused" ? "" : `: ${step.guard.message}`}`, indent));
  }
  if (step.job !== undefined) {
    const { job } = step;
    lines.push(field("image", job.image, indent));
    if (job.command !== undefined) lines.push(field("command", JSON.stringify(job.command), indent));
    if (job.args !== undefined) lines.push(field("args", JSON.stringify(job.args), indent));
    if (job.env !== undefined) for (const [name, value] of Object.entries(job.env)) lines.push(field("env", `${name}=${JSON.stringify(value)}`, indent));
    if (job.serviceAccountName !== undefined) lines.push(field("account", job.serviceAccountName, indent));
    if (job.activeDeadlineSeconds !== undefined) lines.push(field("deadline", `${job.activeDeadlineSeconds}s`, indent));
  }
  if (step.action !== undefined) {
    const { type, target, params } = step.action;
    lines.push(field("action", `${type} on ${target.kind} ${target.namespace === undefined ? "" : `${target.namespace}/`}${target.name}`, indent));
    if (params !== undefined) lines.push(field("params", entries(params), indent));
  }
  if (step.call !== undefined) {
    lines.push(field("connector", step.call.connector, indent));
    if (step.call.message !== undefined) lines.push(field("message", JSON.stringify(step.call.message), indent));
    if (step.call.body !== undefined) lines.push(field("body", step.call.body, indent));
    if (step.call.params !== undefined) lines.push(field("params", entries(step.call.params), indent));
  }
  if (step.approval !== undefined) lines.push(field("approval", `${JSON.stringify(step.approval.message)}: ${step.approval.decision}`, indent));
  if (step.rendered !== undefined) for (const [path, value] of Object.entries(step.rendered)) lines.push(field("rendered", `${path} = ${value}`, indent));
  if (step.outputs !== undefined && Object.keys(step.outputs).length > 0) lines.push(field("outputs", entries(step.outputs), indent));
  return lines;
}

function alertLines(alert: AlertReport, position: number, count: number): string[] {
  const lines = [`Alert ${position} of ${count}: ${alert.type} from ${alert.source} (id ${alert.id})`];
  lines.push(field("severity", alert.severity), field("title", alert.title), field("fingerprint", alert.fingerprint));
  if (Object.keys(alert.resources).length > 0) lines.push(field("resources", entries(alert.resources as Record<string, string>)));
  if (alert.observables.length > 0) lines.push(field("observables", alert.observables.map((observable) => `${observable.type}:${observable.value}`).join(" ")));
  lines.push(field("trigger", alert.trigger.matched ? "matched" : "not matched"));
  for (const check of alert.trigger.checks) lines.push(field(check.criterion, `${check.passed ? "pass" : "FAIL"}: ${check.detail}`, "    "));
  if (alert.dedupKey !== undefined) lines.push(field("dedup key", JSON.stringify(alert.dedupKey)));
  if (alert.dedupKeyProblem !== undefined) lines.push(field("dedup key", `none (${alert.dedupKeyProblem}); the alert's fingerprint decides`));
  if (alert.incident === undefined) {
    lines.push(field("incident", "none: intake drops the alert"));
    return lines;
  }
  const { incident } = alert;
  lines.push(field("incident", `${incident.namespace}/${incident.name} (window ${incident.window}${incident.playbooks.length === 0 ? ", unmatched" : ""})`));
  if (alert.run === undefined) return lines;
  const { run } = alert;
  lines.push(field("run", `${run.phase}${run.dryRun ? " (dry run)" : ""}${run.message === undefined ? "" : ` - ${run.message}`}`));
  run.steps.forEach((step, index) => lines.push(...stepLines(step, index + 1)));
  return lines;
}

/** The report for people: one block per alert, one line per fact, steps numbered in spec order. */
export function formatReportText(report: TestReport): string {
  const header = `Playbook ${report.playbook.namespace}/${report.playbook.name} (simulated: approvals approved, Jobs, actions and calls succeed)`;
  return [header, ...report.alerts.flatMap((alert, index) => alertLines(alert, index + 1, report.alerts.length))].join("\n");
}
