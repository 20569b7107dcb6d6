import { boundText, MAX_MESSAGE_LENGTH } from "../api/v1alpha1/bounds.ts";
import type { Incident, StepState } from "../api/v1alpha1/types.generated.ts";
import type { EvaluationVariables } from "../expr/index.ts";
import type { CompiledStep } from "../playbook/index.ts";
import { IncidentReason } from "../api/v1alpha1/incident-reasons.ts";
import { advanceRetryWait, withoutAttemptResults } from "./attempts.ts";
import { dryRunRendered } from "./dry-run.ts";
import type { GuardSubject } from "./guard-request.ts";
import { sideEffectIntentId } from "./intent-id.ts";
import { intentDisposition } from "./intent-ledger.ts";
import type { PlanContext } from "./plan-context.ts";
import { renderStepTemplates, type RenderedTemplates } from "./render-templates.ts";
import type { CallConnectorEffect, EffectBase, RunActionEffect } from "./step-effects.ts";
import type { EffectExecutor, RecordedIntent, StepKindDefinition } from "./step-kind.ts";

/** A guarded step's effect for one attempt, what the guard chain judges, and a phrase naming it. */
export interface PreparedEffect {
  readonly effect: RunActionEffect | CallConnectorEffect;
  readonly subject: GuardSubject;
  readonly what: string;
}

/** Builds a guarded step's effect from its rendered templates; pure. */
export type PrepareEffect = (args: {
  readonly step: CompiledStep;
  readonly rendered: RenderedTemplates;
  readonly variables: EvaluationVariables;
  readonly incident: Incident;
  /** The effect's identity: playbook, step, attempt, intent id and retry settings. */
  readonly base: EffectBase;
}) => PreparedEffect | { readonly error: string };

function prepare(plan: PlanContext, step: CompiledStep, attempt: number, prepareEffect: PrepareEffect): PreparedEffect | { error: string } {
  const variables = plan.variables();
  const rendered = renderStepTemplates(step, variables);
  if (!rendered.ok) return { error: `${rendered.field}: ${rendered.message}` };
  const intentId = sideEffectIntentId({ incidentUid: plan.input.incident.metadata.uid ?? "", playbook: plan.runName, step: step.name, attempt });
  const retry = { retryLimit: step.retryLimit, retryBackoffMs: step.retryBackoffMs, continueOnError: step.continueOnError };
  const base = { playbook: plan.runName, step: step.name, attempt, intentId, retry };
  return prepareEffect({ step, rendered: rendered.values, variables, incident: plan.input.incident, base });
}

/**
 * The planner and executor of a guarded step kind (action, connector, notify), from how its
 * effect is prepared and carried out:
 * - an attempt starts by rendering and preparing the effect, then running the guard chain (a
 *   refusal blocks the step), then recording the intent and nothing else;
 * - a running step requests the effect once the intent is durable and the intent ledger allows
 *   it (fresh, or harmless to repeat); otherwise the step fails with OutcomeUnknown;
 * - a retry starts the next attempt after the backoff;
 * - a dry run is guarded (guards other than dry-run still block it), then rendered only.
 */
export function guardedStepKind(prepareEffect: PrepareEffect, executor: EffectExecutor): StepKindDefinition {
  const start = (plan: PlanContext, step: CompiledStep, state: StepState, attempt: number): StepState => {
    const startedAt = state.startedAt ?? plan.now.toISOString();
    const prepared = prepare(plan, step, attempt, prepareEffect);
    if ("error" in prepared) return plan.failed(step, { ...state, startedAt }, `attempt ${attempt} could not be prepared: ${prepared.error}`);
    const decision = plan.guard(step, prepared.subject);
    if (!decision.allowed) return plan.blocked(step, { ...state, startedAt }, decision);
    return {
      ...withoutAttemptResults(state),
      phase: "Running",
      attempts: attempt,
      startedAt,
      intent: { attempt, id: prepared.effect.intentId, at: plan.now.toISOString() },
      message: boundText(`attempt ${attempt}: ${prepared.what} is about to run`, MAX_MESSAGE_LENGTH),
    };
  };
  const advanceRunning = (plan: PlanContext, step: CompiledStep, state: StepState, intent: RecordedIntent): StepState => {
    const { attempt, id } = intent;
    const disposition = intentDisposition({
      id,
      durableId: plan.durableIntentId(step),
      fresh: plan.input.freshIntents,
      kind: step.kind ?? "connector",
      safeToRetry: step.safeToRetry,
    });
    if (disposition === "wait") return state;
    if (disposition === "outcome-unknown") {
      const message = `attempt ${attempt}: the outcome of ${id} is unknown (it may have been carried out before a restart) and the step is not safe to retry`;
      return plan.failed(step, state, message, IncidentReason.OutcomeUnknown);
    }
    const prepared = prepare(plan, step, attempt, prepareEffect);
    if ("error" in prepared) return plan.failed(step, state, `attempt ${attempt} could not be prepared: ${prepared.error}`);
    plan.effects.push(prepared.effect);
    return state;
  };
  const dryRun = (plan: PlanContext, step: CompiledStep, state: StepState): StepState => {
    const started: StepState = { ...state, startedAt: plan.now.toISOString() };
    const prepared = prepare(plan, step, 1, prepareEffect);
    if ("error" in prepared) return plan.failed(step, started, `dry run: ${prepared.error}`);
    const decision = plan.guard(step, prepared.subject);
    if (!decision.allowed && decision.guard !== "dryRun") return plan.blocked(step, started, decision);
    if (!decision.allowed) plan.refusals.push(decision);
    return dryRunRendered(plan, step, state);
  };
  return {
    guarded: true,
    start: (plan, step, state) => start(plan, step, state, 1),
    advanceRunning,
    advanceWaiting: (plan, step, state) => advanceRetryWait(plan, step, state, start),
    dryRun,
    executor,
  };
}
