import type { Incident, PlaybookRun, StepState } from "../api/v1alpha1/types.generated.ts";
import type { CompiledPlaybook } from "../playbook/index.ts";
import { guardPolicyOf, type GuardPolicySettings, type TenancyVerdict } from "../policy/index.ts";
import { planRun, type RunPlan } from "../reconcilers/incident/plan.ts";
import type { StepObservation } from "../steps/plan-context.ts";
import { FIXED_NOW } from "./fixed-now.ts";

/** One planning pass to run in a test; everything but the Incident and the Playbook has a default. */
export interface PlanCase {
  readonly incident: Incident;
  readonly playbook: CompiledPlaybook;
  /** The run's step states as persisted; none by default. */
  readonly states?: StepState[] | undefined;
  /** Whether the run is a dry run. */
  readonly dryRun?: boolean | undefined;
  /** When the run started; {@link FIXED_NOW} by default. */
  readonly startedAt?: string | undefined;
  /** Observations of running Job steps, by step name; none by default. */
  readonly observations?: Readonly<Record<string, StepObservation>> | undefined;
  /** False to plan as a paused operator does. */
  readonly mayStart?: boolean | undefined;
  /** Operator settings of the guards; no dry-run, namespace `kube-soar-system`, no extra protected namespaces by default. */
  readonly operator?: Partial<GuardPolicySettings> | undefined;
  /** The intent ledger's fresh intents; none by default. */
  readonly fresh?: readonly string[] | undefined;
  /** Whether the Incident's approvals may be honoured; verified by default. */
  readonly approvals?: TenancyVerdict | undefined;
}

/** `planRun` at {@link FIXED_NOW} for the run of `given.playbook` on `given.incident`, in phase Running. */
export function planFor(given: PlanCase): RunPlan {
  const run: PlaybookRun = {
    name: given.playbook.source.metadata.name ?? "pb",
    generation: given.playbook.source.metadata.generation ?? 1,
    phase: "Running",
    startedAt: given.startedAt ?? FIXED_NOW.toISOString(),
    ...(given.dryRun === true ? { dryRun: true } : {}),
    steps: given.states ?? [],
  };
  const operator: GuardPolicySettings = { dryRun: false, namespace: "kube-soar-system", protectedNamespaces: [], ...given.operator };
  return planRun({
    now: FIXED_NOW,
    incident: given.incident,
    run,
    playbook: given.playbook,
    observations: new Map(Object.entries(given.observations ?? {})),
    mayStart: given.mayStart ?? true,
    guardPolicy: guardPolicyOf(operator),
    freshIntents: new Set(given.fresh ?? []),
    approvals: given.approvals ?? { verified: true },
  });
}

/** The planned state of step `name`; throws when the plan has none. */
export function stateOf(result: RunPlan, name: string): StepState {
  const state = result.run.steps?.find((candidate) => candidate.name === name);
  if (state === undefined) throw new Error(`no state for ${name}`);
  return state;
}
