import { describe, expect, it } from "vitest";
import type { AlertSuppressionSpec } from "../api/v1alpha1/types.generated.ts";
import { createExpressionCompiler, prepareVariables } from "../expr/index.ts";
import { aSuppression } from "../testing/objects.ts";
import { compileSuppression } from "./compile-suppression.ts";
import { suppressionMatches, type SuppressionInput } from "./suppression-match.ts";

const expressions = createExpressionCompiler();

function input(overrides: Partial<SuppressionInput> & { event?: unknown } = {}): SuppressionInput {
  const event = overrides.event ?? { severity: "low", labels: { rule: "Terminal shell in container" } };
  const prepared = prepareVariables({ event });
  return {
    type: "falco.rule.output.v1",
    rule: "Terminal shell in container",
    namespace: "shop",
    variables: prepared.ok ? prepared.value : undefined,
    ...overrides,
  };
}

function matches(spec: Partial<AlertSuppressionSpec>, alert: SuppressionInput = input()): boolean {
  const suppression = aSuppression();
  const rest = { ...suppression.spec };
  delete rest.types;
  return suppressionMatches(compileSuppression({ ...suppression, spec: { ...rest, ...spec } }, expressions), alert);
}

describe("suppressionMatches", () => {
  it.each<[string, Partial<AlertSuppressionSpec>, SuppressionInput, boolean]>([
    ["its type", { types: ["falco.rule.output.v1"] }, input(), true],
    ["another type", { types: ["com.example.other"] }, input(), false],
    ["its rule", { rules: ["Terminal shell in container"] }, input(), true],
    ["another rule", { rules: ["Write below etc"] }, input(), false],
    ["rules, for an alert without one", { rules: ["Terminal shell in container"] }, input({ rule: undefined }), false],
    ["its namespace", { namespaces: ["shop", "blog"] }, input(), true],
    ["another namespace", { namespaces: ["blog"] }, input(), false],
    ["namespaces, for an alert about no namespace", { namespaces: ["shop"] }, input({ namespace: undefined }), false],
    ["a true match", { match: "event.severity == 'low'" }, input(), true],
    ["a false match", { match: "event.severity == 'critical'" }, input(), false],
    ["a match that fails to evaluate", { match: "event.data.missing == 1" }, input(), false],
    ["a match over an event CEL cannot represent", { match: "true" }, input({ variables: undefined }), false],
    ["every criterion met", { types: ["falco.rule.output.v1"], rules: ["Terminal shell in container"], namespaces: ["shop"], match: "event.labels.rule.startsWith('Terminal')" }, input(), true],
    ["all but one criterion met", { types: ["falco.rule.output.v1"], rules: ["Terminal shell in container"], namespaces: ["blog"], match: "true" }, input(), false],
  ])("%s", (_, spec, alert, expected) => {
    expect(matches(spec, alert)).toBe(expected);
  });
});
