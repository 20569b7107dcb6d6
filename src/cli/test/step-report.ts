import type { Incident, PlaybookRun } from "../../api/v1alpha1/types.generated.ts";
import { joinRendered, evaluateBool, renderTemplate } from "../../expr/index.ts";
import type { CompiledPlaybook, CompiledStep } from "../../playbook/index.ts";
import type { JobManifest } from "../../steps/job/job-manifest.ts";
import type { StepEffect } from "../../steps/step-effects.ts";
import { EFFECT_STEP_KINDS } from "../../steps/step-kinds.ts";
import { eventVariable, incidentVariable, stepsVariable } from "../../steps/step-variables.ts";
import type { SimulatedStep } from "./run-preview.ts";
import { stepOutputReferences } from "./step-output-references.ts";

/** A Job step's container as the operator would create it. */
export interface JobReport {
  readonly image: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  /** Values as rendered; a Secret reference as `secretKeyRef: <name>/<key>`, never its content. */
  readonly env?: Readonly<Record<string, string>>;
  readonly serviceAccountName?: string;
  readonly activeDeadlineSeconds?: number;
}

/** One step of the planned run. */
export interface StepReport {
  readonly name: string;
  readonly kind: string;
  /** Where the simulated run left the step: Succeeded, Skipped, Blocked, Failed, or Pending when it was never reached. */
  readonly phase: string;
  /** Why the step ended as it did, when it did not succeed. */
  readonly message?: string;
  readonly when?: { readonly expression: string; readonly result: boolean | "error"; readonly detail?: string; readonly unknownOutputs?: readonly string[] };
  readonly guard?: { readonly decision: "allowed" | "refused" | "dry run"; readonly reason?: string; readonly message?: string };
  readonly job?: JobReport;
  readonly action?: { readonly type: string; readonly target: { readonly kind: string; readonly namespace?: string; readonly name: string }; readonly params?: Readonly<Record<string, string>> };
  readonly call?: { readonly connector: string; readonly message?: string; readonly body?: string; readonly params?: Readonly<Record<string, string>> };
  readonly approval?: { readonly message: string; readonly decision: string };
  /** In a dry run: what the operator records as the step's outputs (its rendered templates). */
  readonly rendered?: Readonly<Record<string, string>>;
  /** The outputs the simulation handed on to later steps (`--outputs`, else placeholders). */
  readonly outputs?: Readonly<Record<string, string>>;
}

function jobFromManifest(job: JobManifest): JobReport | undefined {
  const pod = job.spec?.template.spec;
  const container = pod?.containers[0];
  if (container === undefined) return undefined;
  const env = container.env?.map((variable): [string, string] => {
    const secret = variable.valueFrom?.secretKeyRef;
    return [variable.name, secret === undefined ? (variable.value ?? "") : `secretKeyRef: ${secret.name}/${secret.key}`];
  });
  return {
    image: container.image ?? "",
    ...(container.command === undefined ? {} : { command: container.command }),
    ...(container.args === undefined ? {} : { args: container.args }),
    ...(env === undefined ? {} : { env: Object.fromEntries(env) }),
    ...(pod?.serviceAccountName === undefined ? {} : { serviceAccountName: pod.serviceAccountName }),
    ...(job.spec?.activeDeadlineSeconds === undefined ? {} : { activeDeadlineSeconds: job.spec.activeDeadlineSeconds }),
  };
}

function effectSection(effect: StepEffect | undefined): Pick<StepReport, "job" | "action" | "call"> {
  if (effect === undefined) return {};
  switch (effect.kind) {
    case "ensureJob": {
      const job = jobFromManifest(effect.job);
      return job === undefined ? {} : { job };
    }
    case "runAction": {
      const { type, target, params } = effect.action;
      return { action: { type, target: { kind: target.kind, ...(target.namespace === undefined ? {} : { namespace: target.namespace }), name: target.name }, ...(Object.keys(params).length === 0 ? {} : { params }) } };
    }
    case "callConnector": {
      const { payload } = effect;
      if (payload.kind === "message") return { call: { connector: effect.connector, message: joinRendered(payload.message) } };
      return {
        call: {
          connector: effect.connector,
          ...(payload.body === undefined ? {} : { body: joinRendered(payload.body) }),
          ...(Object.keys(payload.params).length === 0 ? {} : { params: payload.params }),
        },
      };
    }
  }
}

/** What `when` gave when the step was reached, with the step outputs it read that were only placeholders. */
function whenSection(step: CompiledStep, simulated: SimulatedStep, variables: Record<string, unknown>, placeholders: ReadonlySet<string>): StepReport["when"] {
  if (step.when === undefined || simulated.state.phase === "Pending") return undefined;
  const unknownOutputs = stepOutputReferences(step.when.source)
    .map((reference) => `steps.${reference.step}.outputs.${reference.output}`)
    .filter((reference) => placeholders.has(reference));
  const result = evaluateBool(step.when, variables);
  return {
    expression: step.when.source,
    result: result.ok ? result.value : "error",
    ...(result.ok ? {} : { detail: result.message }),
    ...(unknownOutputs.length === 0 ? {} : { unknownOutputs }),
  };
}

function guardSection(step: CompiledStep, simulated: SimulatedStep, dryRun: boolean): StepReport["guard"] {
  if (step.kind === undefined || !EFFECT_STEP_KINDS.has(step.kind)) return undefined;
  const { state } = simulated;
  if (state.phase === "Blocked") {
    const refusal = simulated.events.findLast((event) => event.type === "Warning");
    return { decision: "refused", ...(refusal === undefined ? {} : { reason: refusal.reason }), ...(state.message === undefined ? {} : { message: state.message }) };
  }
  if (dryRun && state.outputs !== undefined) return { decision: "dry run", message: "planned and rendered, not carried out" };
  return simulated.effect === undefined ? undefined : { decision: "allowed" };
}

function approvalSection(step: CompiledStep, simulated: SimulatedStep, variables: Record<string, unknown>): StepReport["approval"] {
  const template = step.templates.get("approval.message");
  const decision = simulated.state.decision?.decision;
  if (step.kind !== "approval" || decision === undefined) return undefined;
  const rendered = template === undefined ? undefined : renderTemplate(template, variables);
  return { message: rendered?.ok === true ? rendered.value : "approve this step?", decision: `${decision} (assumed)` };
}

/** Dry-run outputs that are not the step's rendering: the marker, and the Job's name (derived from the Incident's uid, unknown offline). */
const NOT_RENDERED: ReadonlySet<string> = new Set(["dryRun", "jobName"]);

/** What a dry run recorded as the step's outputs, without what is not its rendering. */
function renderedSection(simulated: SimulatedStep, dryRun: boolean): StepReport["rendered"] {
  const outputs = simulated.state.outputs;
  if (!dryRun || outputs === undefined) return undefined;
  return Object.fromEntries(Object.entries(outputs).filter(([key]) => !NOT_RENDERED.has(key)));
}

/**
 * The report of each step of a simulated run: phase and message, `when` and guard decisions,
 * and what the step asks of the world as the engine built it (the Job's container, the action
 * and its resolved target, the Connector call), or in a dry run what it rendered.
 * `placeholders` are the `steps.<step>.outputs.<key>` references given placeholder values.
 */
export function stepReports(args: {
  readonly playbook: CompiledPlaybook;
  readonly incident: Incident;
  readonly run: PlaybookRun;
  readonly steps: readonly SimulatedStep[];
  readonly placeholders: ReadonlySet<string>;
}): StepReport[] {
  const { playbook, run } = args;
  const dryRun = run.dryRun === true;
  const variables = { event: eventVariable(args.incident), incident: incidentVariable(args.incident), steps: stepsVariable(run) };
  return playbook.steps.map((step, index): StepReport => {
    const simulated = args.steps[index];
    if (simulated === undefined) return { name: step.name, kind: step.kind ?? "", phase: "Pending" };
    const { state } = simulated;
    const when = whenSection(step, simulated, variables, args.placeholders);
    const guard = guardSection(step, simulated, dryRun);
    const approval = approvalSection(step, simulated, variables);
    const rendered = renderedSection(simulated, dryRun);
    return {
      name: step.name,
      kind: step.kind ?? "",
      phase: state.phase,
      // A success message is the simulation's own (a made-up Job name, "carried out"): only other outcomes say something.
      ...(state.message === undefined || state.phase === "Succeeded" ? {} : { message: state.message }),
      ...(when === undefined ? {} : { when }),
      ...(guard === undefined ? {} : { guard }),
      ...effectSection(simulated.effect),
      ...(approval === undefined ? {} : { approval }),
      ...(rendered === undefined ? {} : { rendered }),
      ...(simulated.outputs === undefined ? {} : { outputs: simulated.outputs }),
    };
  });
}
