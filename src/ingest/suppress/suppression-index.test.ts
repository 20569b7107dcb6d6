import { describe, expect, it } from "vitest";
import type { AlertSuppressionSpec } from "../../api/v1alpha1/types.generated.ts";
import { createExpressionCompiler } from "../../expr/index.ts";
import { FIXED_NOW } from "../../testing/fixed-now.ts";
import { ManualClock } from "../../testing/manual-clock.ts";
import { aSuppression } from "../../testing/objects.ts";
import { EventVariables } from "../match/event-variables.ts";
import { SuppressionIndex, type SilenceInput, type Silencing } from "./suppression-index.ts";

const OPERATOR = "soar-system";
const HOUR = 3_600_000;

function newIndex(clock = new ManualClock(FIXED_NOW)): SuppressionIndex {
  return new SuppressionIndex({ expressions: createExpressionCompiler(), operatorNamespace: OPERATOR, maxDurationMs: 720 * HOUR, clock });
}

function add(index: SuppressionIndex, namespace: string, name: string, spec: Partial<AlertSuppressionSpec> = {}): void {
  index.upsert(aSuppression({ metadata: { namespace, name, uid: `${namespace}-${name}` }, spec }));
}

function input(incidentNamespaces: readonly string[], overrides: Partial<SilenceInput> = {}): SilenceInput {
  return {
    type: "t",
    rule: "Terminal shell in container",
    namespace: "shop",
    variables: new EventVariables({ severity: "low", data: { noisy: true } }),
    incidentNamespaces,
    ...overrides,
  };
}

function silence(index: SuppressionIndex, request: SilenceInput): Silencing {
  const steps = index.silenceSteps(request);
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

describe("SuppressionIndex.silenceSteps", () => {
  it("lets a suppression of the operator's namespace silence every Incident of the alert", () => {
    const index = newIndex();
    add(index, OPERATOR, "noise");
    const silencing = silence(index, input(["shop", OPERATOR]));
    expect(silencing.by).toEqual([`${OPERATOR}/noise`]);
    expect(silencing.silences("shop")).toBe(true);
    expect(silencing.silences(OPERATOR)).toBe(true);
  });

  it("lets a tenant's suppression silence only the alert's Incident in its own namespace", () => {
    const index = newIndex();
    add(index, "shop", "quiet");
    const silencing = silence(index, input(["shop", OPERATOR, "blog"]));
    expect(silencing.by).toEqual(["shop/quiet"]);
    expect(silencing.silences("shop")).toBe(true);
    expect(silencing.silences(OPERATOR)).toBe(false);
    expect(silencing.silences("blog")).toBe(false);
  });

  it("never evaluates a tenant's suppression for an alert with no Incident in its namespace", () => {
    const index = newIndex();
    add(index, "blog", "quiet");
    expect(silence(index, input([OPERATOR])).by).toEqual([]);
  });

  it("counts every suppression that matches, whichever others match too", () => {
    const index = newIndex();
    add(index, OPERATOR, "by-type");
    add(index, OPERATOR, "by-rule", { rules: ["Terminal shell in container"] });
    add(index, "shop", "tenant");
    add(index, OPERATOR, "other-type", { types: ["other"] });
    expect(silence(index, input(["shop"])).by).toEqual(["shop/tenant", `${OPERATOR}/by-rule`, `${OPERATOR}/by-type`]);
  });

  it("stops silencing at expiresAt, on the clock, without any status write", () => {
    const clock = new ManualClock(FIXED_NOW);
    const index = newIndex(clock);
    add(index, OPERATOR, "noise", { expiresAt: new Date(FIXED_NOW.getTime() + 1_000).toISOString() });
    expect(silence(index, input(["shop"])).by).toEqual([`${OPERATOR}/noise`]);
    clock.advance(1_000);
    expect(silence(index, input(["shop"])).by).toEqual([]);
  });

  it("never silences with a suppression that has a problem or lasts longer than the maximum", () => {
    const index = newIndex();
    add(index, OPERATOR, "broken", { match: "event.(" });
    add(index, OPERATOR, "too-long", { expiresAt: new Date(FIXED_NOW.getTime() + 720 * HOUR).toISOString() });
    expect(silence(index, input(["shop"])).by).toEqual([]);
  });

  it("evaluates match over the event, and silences nothing when it is false", () => {
    const index = newIndex();
    add(index, OPERATOR, "noisy", { match: "event.data.noisy == true" });
    expect(silence(index, input(["shop"])).by).toEqual([`${OPERATOR}/noisy`]);
    expect(silence(index, input(["shop"], { variables: new EventVariables({ data: { noisy: false } }) })).by).toEqual([]);
  });

  it("follows updates and removals", () => {
    const index = newIndex();
    add(index, OPERATOR, "noise");
    index.upsert(aSuppression({ metadata: { namespace: OPERATOR, name: "noise", uid: `${OPERATOR}-noise`, generation: 2 }, spec: { types: ["other"] } }));
    expect(silence(index, input(["shop"])).by).toEqual([]);
    add(index, "shop", "quiet");
    index.remove("shop/quiet");
    expect(index.size).toBe(1);
    expect(silence(index, input(["shop"])).by).toEqual([]);
  });

  it("pauses between suppressions and after preparing the event for CEL", () => {
    const index = newIndex();
    add(index, OPERATOR, "a", { match: "true" });
    add(index, OPERATOR, "b");
    const steps = index.silenceSteps(input(["shop"]));
    let pauses = 0;
    while (steps.next().done !== true) pauses++;
    expect(pauses).toBe(2);
  });
});
