import { awaitedDecisions, isHumanClosed } from "../../api/v1alpha1/lifecycle.ts";
import type { ApprovalDecision, Incident, IncidentApproval } from "../../api/v1alpha1/types.generated.ts";
import { CliFailure, UsageError } from "../cli-errors.ts";
import type { IncidentChange } from "./incident-change.ts";

/** A person's decision on an approval step, as a command line gives it. */
export interface ApprovalRequest {
  /** `STEP`, or `PLAYBOOK/STEP` when two playbooks of the Incident wait on a step of that name. */
  readonly step: string;
  readonly decision: ApprovalDecision;
  /** The caller's user name as the API server knows it (the admission policy requires it in `by`). */
  readonly by: string;
  readonly reason: string | undefined;
  readonly now: Date;
}

function splitStep(step: string): { playbook: string | undefined; step: string } {
  const slash = step.indexOf("/");
  return slash === -1 ? { playbook: undefined, step } : { playbook: step.slice(0, slash), step: step.slice(slash + 1) };
}

/** Why `wanted` cannot be decided: what it is instead, and what waits. */
function notWaiting(incident: Incident, wanted: { playbook: string | undefined; step: string }): CliFailure {
  const name = JSON.stringify(incident.metadata.name ?? "");
  const runs = incident.status?.playbooks ?? [];
  const found = runs.flatMap((run) => (wanted.playbook === undefined || run.name === wanted.playbook ? (run.steps ?? []).filter((step) => step.name === wanted.step).map((step) => ({ run, step })) : []));
  const waiting = awaitedDecisions(runs).map(({ run, step }) => `${run.name}/${step.name}`);
  const waits = waiting.length === 0 ? "no step of it waits for a decision" : `waiting: ${waiting.join(", ")}`;
  const first = found[0];
  if (first !== undefined) return new CliFailure(`step ${first.run.name}/${first.step.name} of Incident ${name} is ${first.step.phase}, not waiting for a decision (${waits})`);
  const shown = wanted.playbook === undefined ? wanted.step : `${wanted.playbook}/${wanted.step}`;
  return new CliFailure(`Incident ${name} has no step ${JSON.stringify(shown)} (${waits})`);
}

/**
 * The change that records the caller's decision on a waiting approval step: one entry appended
 * to `spec.approvals`, with a `test` that the list is still the one read, so a decision written
 * meanwhile makes the patch fail and this is decided again. Refused when the Incident was
 * resolved or closed, when no step of that name waits for a decision (naming those that do), or
 * when a decision on it is already recorded (the first one counts and recorded decisions never
 * change). A step name shared by two waiting playbooks must be written `PLAYBOOK/STEP`. Pure.
 */
export function approvalChange(incident: Incident, request: ApprovalRequest): IncidentChange {
  const name = JSON.stringify(incident.metadata.name ?? "");
  if (isHumanClosed(incident)) throw new CliFailure(`Incident ${name} is ${incident.spec.state ?? ""}: no step of it runs any more`);
  const wanted = splitStep(request.step);
  const recorded = incident.spec.approvals ?? [];
  const candidates = awaitedDecisions(incident.status?.playbooks ?? []).filter(
    ({ run, step }) => step.name === wanted.step && (wanted.playbook === undefined || run.name === wanted.playbook),
  );
  if (candidates.length > 1) {
    throw new UsageError(`step ${JSON.stringify(wanted.step)} waits in several playbooks of Incident ${name}: name one of ${candidates.map(({ run, step }) => `${run.name}/${step.name}`).join(", ")}`);
  }
  const target = candidates[0];
  if (target === undefined) throw notWaiting(incident, wanted);
  const earlier = recorded.find((approval) => approval.playbook === target.run.name && approval.step === target.step.name);
  if (earlier !== undefined) {
    throw new CliFailure(`step ${target.run.name}/${target.step.name} of Incident ${name} is already decided: ${earlier.decision} by ${earlier.by}; a recorded decision never changes`);
  }
  const entry: IncidentApproval = {
    playbook: target.run.name,
    step: target.step.name,
    decision: request.decision,
    by: request.by,
    at: request.now.toISOString(),
    ...(request.reason === undefined || request.reason === "" ? {} : { reason: request.reason }),
  };
  const verb = request.decision === "approve" ? "approved" : "rejected";
  return {
    kind: "write",
    operations:
      incident.spec.approvals === undefined
        ? [{ op: "test", path: "/spec/approvals", value: null }, { op: "add", path: "/spec/approvals", value: [entry] }]
        : [{ op: "test", path: "/spec/approvals", value: recorded }, { op: "add", path: "/spec/approvals/-", value: entry }],
    done: `step ${target.run.name}/${target.step.name} ${verb} as ${request.by}`,
  };
}
