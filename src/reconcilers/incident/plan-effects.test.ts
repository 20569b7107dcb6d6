import { describe, expect, it } from "vitest";
import type { Incident, PlaybookStep, StepState } from "../../api/v1alpha1/types.generated.ts";
import { sideEffectIntentId } from "../../steps/intent-id.ts";
import { joinRendered } from "../../expr/index.ts";
import type { CallConnectorEffect, RunActionEffect } from "../../steps/step-effects.ts";
import type { CompiledPlaybook } from "../../playbook/index.ts";
import { compiledPlaybook } from "../../testing/compiled-playbook.ts";
import { FIXED_NOW } from "../../testing/fixed-now.ts";
import { anIncident } from "../../testing/objects.ts";
import { planFor, stateOf } from "../../testing/plan-run.ts";
import type { RunPlan } from "./plan.ts";

function incident(namespace: string, pod = "web-0", approvals: Incident["spec"]["approvals"] = []): Incident {
  return anIncident({
    metadata: { namespace },
    spec: {
      event: { id: "e1", source: "falco", type: "t", data: { pod, quote: '"}, "injected": true, {"' } },
      resources: { namespace, pod },
      playbooks: ["pb"],
      approvals,
    },
  });
}

interface Case {
  readonly namespace?: string;
  readonly steps: PlaybookStep[];
  readonly states?: StepState[];
  readonly persisted?: StepState[];
  readonly fresh?: string[];
  readonly dryRun?: boolean;
  readonly operatorDryRun?: boolean;
  readonly extra?: Partial<CompiledPlaybook["source"]["spec"]>;
  readonly approvals?: Incident["spec"]["approvals"];
}

function plan(given: Case): RunPlan {
  const namespace = given.namespace ?? "shop";
  return planFor({
    incident: incident(namespace, "web-0", given.approvals),
    playbook: compiledPlaybook(given.steps, given.extra, { namespace }),
    states: given.states,
    dryRun: given.dryRun,
    operator: { dryRun: given.operatorDryRun ?? false, protectedNamespaces: ["payments"] },
    fresh: given.fresh,
  });
}

const isolate: PlaybookStep = { name: "isolate", action: { type: "isolatePod" } };
const id = (step: string, attempt = 1): string => sideEffectIntentId({ incidentUid: "inc-uid", playbook: "pb", step, attempt });
const runningIntent = (step: string, attempt = 1): StepState => ({ name: step, phase: "Running", attempts: attempt, startedAt: FIXED_NOW.toISOString(), intent: { attempt, id: id(step, attempt), at: FIXED_NOW.toISOString() } });

describe("planRun with action, connector and notify steps", () => {
  it("records the intent of an allowed action and requests nothing yet", () => {
    const result = plan({ steps: [isolate] });
    expect(stateOf(result, "isolate")).toMatchObject({ phase: "Running", attempts: 1, intent: { attempt: 1, id: id("isolate") } });
    expect(stateOf(result, "isolate").message).toBe("attempt 1: isolatePod on Pod shop/web-0 is about to run");
    expect(result.effects).toEqual([]);
  });

  it.each([
    {
      name: "a protected namespace",
      namespace: "payments",
      steps: [isolate],
      reason: "ProtectedNamespace",
      guard: "protectedNamespace",
    },
    {
      name: "another tenant's namespace",
      steps: [{ name: "isolate", action: { type: "isolatePod" as const, target: { namespace: "other-team", name: "web-0" } } }],
      reason: "TenancyViolation",
      guard: "tenancy",
    },
    {
      name: "a destructive action without an approval ancestor",
      steps: [{ name: "kill", action: { type: "deletePod" as const } }],
      reason: "ApprovalRequired",
      guard: "approval",
    },
  ])("blocks a step refused by $name, with the guard's reason", ({ steps, reason, guard, ...rest }) => {
    const result = plan({ steps, ...rest });
    const state = stateOf(result, steps[0]?.name ?? "");
    expect(state.phase).toBe("Blocked");
    expect(state.intent).toBeUndefined();
    expect(result.effects).toEqual([]);
    expect(result.refusals).toMatchObject([{ allowed: false, guard, reason }]);
    expect(result.events.find((event) => event.step === state.name)).toMatchObject({ type: "Warning", reason, message: state.message });
    expect(result.run.phase).toBe("Failed");
  });

  // The Playbook's rateLimit and maxActiveIncidents are decided once, when triage starts the run
  // (a run over either is Skipped and none of its steps runs; see triage.test.ts and
  // incident-reconciler.test.ts). A run that started is never refused a step by them.
  it.each([
    { name: "rate limit", steps: [isolate], extra: { rateLimit: { runs: 1, window: "1h" } } },
    { name: "active-incident cap", steps: [{ name: "tell", connector: { ref: "hook" } }], extra: { maxActiveIncidents: 1 } },
  ])("does not check the Playbook's $name before a step of a started run", ({ steps, extra }) => {
    const result = plan({ steps, extra });
    const state = stateOf(result, steps[0]?.name ?? "");
    expect(state).toMatchObject({ phase: "Running", attempts: 1, intent: { attempt: 1 } });
    expect(result.refusals).toEqual([]);
    expect(result.run.phase).toBe("Running");
  });

  it("lets a destructive action run after an approved approval step", () => {
    const steps: PlaybookStep[] = [{ name: "ok", approval: {} }, { name: "kill", needs: ["ok"], action: { type: "deletePod" } }];
    const states: StepState[] = [{ name: "ok", phase: "Succeeded", decision: { decision: "approve", by: "alice" } }];
    const result = plan({ steps, states });
    expect(stateOf(result, "kill").phase).toBe("Running");
    expect(result.refusals).toEqual([]);
  });

  it("requests the action of a durable, fresh intent with the resolved target and rendered params", () => {
    const steps: PlaybookStep[] = [{ name: "mark", action: { type: "label", params: { "soar/pod": "${{ event.data.pod }}" } } }];
    const result = plan({ steps, states: [runningIntent("mark")], fresh: [id("mark")] });
    expect(result.effects).toEqual([
      {
        kind: "runAction",
        playbook: "pb",
        step: "mark",
        attempt: 1,
        intentId: id("mark"),
        retry: { retryLimit: 0, retryBackoffMs: 10_000, continueOnError: false },
        action: { ok: true, type: "label", target: { kind: "Pod", namespace: "shop", name: "web-0" }, params: { "soar/pod": "web-0" } },
      } satisfies RunActionEffect,
    ]);
  });

  it.each([
    { name: "an action is repeated (idempotent)", step: isolate, safeToRetry: false, repeated: true },
    { name: "a connector call is not repeated", step: { name: "call", connector: { ref: "hook" } }, safeToRetry: false, repeated: false },
    { name: "a connector call marked safeToRetry is repeated", step: { name: "call", connector: { ref: "hook" } }, safeToRetry: true, repeated: true },
    { name: "a notify is not repeated", step: { name: "tell", notify: { connector: "hook", message: "hi" } }, safeToRetry: false, repeated: false },
  ])("after a restart (intent durable, not fresh) $name", ({ step, safeToRetry, repeated }) => {
    const result = plan({ steps: [{ ...step, safeToRetry }], states: [runningIntent(step.name)] });
    expect(result.effects.length).toBe(repeated ? 1 : 0);
    expect(stateOf(result, step.name).phase).toBe(repeated ? "Running" : "Failed");
    if (!repeated) expect(result.events.map((event) => event.reason)).toContain("OutcomeUnknown");
  });

  it("renders a connector body with hostile values as inert JSON and carries the intent id as idempotency key", () => {
    const steps: PlaybookStep[] = [
      { name: "call", connector: { ref: "hook", body: '{"text": "pod ${{ event.data.quote }}", "raw": ${{ event.data.quote }}}', params: { summary: "${{ incident.title }}" } } },
    ];
    const result = plan({ steps, states: [runningIntent("call")], fresh: [id("call")] });
    const effect = result.effects[0] as CallConnectorEffect;
    expect(effect).toMatchObject({ kind: "callConnector", connector: "hook", intentId: id("call"), payload: { kind: "body", params: { summary: "miner" } } });
    const body = effect.payload.kind === "body" && effect.payload.body !== undefined ? joinRendered(effect.payload.body) : "null";
    expect(JSON.parse(body)).toEqual({ text: 'pod "}, "injected": true, {"', raw: '"}, "injected": true, {"' });
  });

  it("prepares a notify message as the rendered text, its inserted values apart", () => {
    const steps: PlaybookStep[] = [{ name: "tell", notify: { connector: "slack", message: "pod ${{ event.data.pod }} isolated" } }];
    const result = plan({ steps, states: [runningIntent("tell")], fresh: [id("tell")] });
    const message = [{ text: "pod ", inserted: false }, { text: "web-0", inserted: true }, { text: " isolated", inserted: false }];
    expect(result.effects).toMatchObject([{ kind: "callConnector", connector: "slack", payload: { kind: "message", message, rawMarkup: false } }]);
  });

  it("carries a step's rawMarkup opt-out in its payload", () => {
    const steps: PlaybookStep[] = [
      { name: "tell", notify: { connector: "slack", message: "${{ event.data.pod }}", rawMarkup: true } },
      { name: "call", connector: { ref: "slack", body: '{"text": "${{ event.data.pod }}"}', rawMarkup: true } },
    ];
    const result = plan({ steps, states: [runningIntent("tell"), runningIntent("call")], fresh: [id("tell"), id("call")] });
    expect(result.effects).toMatchObject([{ payload: { kind: "message", rawMarkup: true } }, { payload: { kind: "body", rawMarkup: true } }]);
  });

  it("fails an action whose rendered target is not a valid name, naming the field", () => {
    const steps: PlaybookStep[] = [{ name: "isolate", action: { type: "isolatePod", target: { name: "${{ event.data.quote }}" } } }];
    const result = plan({ steps });
    expect(stateOf(result, "isolate").phase).toBe("Failed");
    expect(stateOf(result, "isolate").message).toContain("spec.steps[0].action.target: isolatePod: target.name: not a valid Pod name");
  });

  it("starts the next attempt of a failed action after its backoff, keeping its undo record", () => {
    const steps: PlaybookStep[] = [{ ...isolate, retries: { limit: 2, backoff: "1s" } }];
    const undo = { action: "isolatePod", namespace: "shop", pod: "web-0", networkPolicy: "np", isolationLabel: "x" };
    const waiting: StepState = { name: "isolate", phase: "Waiting", attempts: 1, finishedAt: new Date(FIXED_NOW.getTime() - 5_000).toISOString(), intent: { attempt: 1, id: id("isolate") }, undo };
    const result = plan({ steps, states: [waiting] });
    expect(stateOf(result, "isolate")).toMatchObject({ phase: "Running", attempts: 2, intent: { attempt: 2, id: id("isolate", 2) }, undo });
  });

  it.each([
    { name: "a dry-run action is rendered, not requested", steps: [isolate], namespace: "shop", phase: "Succeeded", refusal: "dryRun" },
    { name: "a dry run still shows a protected namespace", steps: [isolate], namespace: "kube-system", phase: "Blocked", refusal: "protectedNamespace" },
  ])("$name", ({ steps, namespace, phase, refusal }) => {
    const result = plan({ steps, namespace, dryRun: true, operatorDryRun: true });
    expect(stateOf(result, "isolate").phase).toBe(phase);
    expect(result.effects).toEqual([]);
    expect(result.refusals.map((decision) => (decision.allowed ? "" : decision.guard))).toEqual([refusal]);
  });
});
