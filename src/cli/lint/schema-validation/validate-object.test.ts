import { describe, expect, it } from "vitest";
import { KINDS } from "../../../api/v1alpha1/schema/index.ts";
import { object, string, list, intOrString, freeform, map, integer, enumeration } from "../../../api/v1alpha1/schema/builders.ts";
import type { KindSchema } from "../../../api/v1alpha1/schema/index.ts";
import { formatPath } from "../field-path.ts";
import { prunedAndDefaulted } from "./defaulting.ts";
import { structuralViolations } from "./structural-validation.ts";
import { ruleViolations, unevaluatedRules } from "./validation-rules.ts";
import { validateObject } from "./validate-object.ts";

function kind(name: string): KindSchema {
  const found = KINDS.find((candidate) => candidate.kind === name);
  if (found === undefined) throw new Error(`no kind ${name}`);
  return found;
}

function messages(violations: readonly { path: Parameters<typeof formatPath>[0]; message: string }[]): string[] {
  return violations.map((violation) => `${formatPath(violation.path)}: ${violation.message}`);
}

const playbook = (spec: Record<string, unknown>, name = "p"): Record<string, unknown> => ({
  apiVersion: "soar.kube-soar.io/v1alpha1",
  kind: "Playbook",
  metadata: { name },
  spec,
});

describe("structuralViolations", () => {
  const schema = object("root", {
    quantity: intOrString("q", { pattern: "^[0-9]+m?$" }),
    tags: list("t", string("tag", { maxLength: 3 }), { maxItems: 3, listType: "set" }),
    level: enumeration("l", ["a", "b"]),
    count: integer("c", { minimum: 1, maximum: 5 }),
    free: freeform("f"),
    labels: map("m", string("v", { maxLength: 8 }), { maxProperties: 1 }),
  }, { required: ["level"] });

  it.each([
    { value: { level: "a", quantity: 1.5 }, expected: ['quantity: Invalid value: "number": quantity in body must be of type integer,string: "number"'] },
    { value: { level: "a", quantity: "5x" }, expected: ["quantity: Invalid value: \"5x\": quantity in body should match '^[0-9]+m?$'"] },
    { value: { level: "a", quantity: 7 }, expected: [] },
    { value: { level: "a", tags: ["x", "x"] }, expected: ['tags[1]: Duplicate value: "x"'] },
    { value: { level: "a", tags: ["long!"] }, expected: ["tags[0]: Too long: may not be more than 3 bytes"] },
    { value: { level: "c" }, expected: ['level: Unsupported value: "c": supported values: "a", "b"'] },
    { value: {}, expected: ["level: Required value"] },
    { value: { level: "a", count: 0 }, expected: ["count: Invalid value: 0: count in body should be greater than or equal to 1"] },
    { value: { level: "a", count: 6 }, expected: ["count: Invalid value: 6: count in body should be less than or equal to 5"] },
    { value: { level: "a", free: { anything: { goes: [1] } } }, expected: [] },
    { value: { level: "a", labels: { a: "1", b: "2" } }, expected: ["labels: Too many: 2: must have at most 1 items"] },
    { value: { level: "a", other: 1 }, expected: ['other: unknown field "other"'] },
  ])("$value gives $expected", ({ value, expected }) => {
    expect(messages(structuralViolations(schema, value, []))).toEqual(expected);
  });

  it("counts characters, not UTF-16 units, against maxLength", () => {
    expect(structuralViolations(list("t", string("tag", { maxLength: 3 }), { maxItems: 3 }), ["😀😀😀"], [])).toEqual([]);
  });

  it("marks the errors after which the API server skips validation rules as blocking", () => {
    const blocking = structuralViolations(schema, { level: "c", count: 0 }, []).map((violation) => violation.blocking);
    expect(blocking).toEqual([true, false]);
  });
});

describe("prunedAndDefaulted", () => {
  it("drops null fields and fills defaults, as the API server decodes a custom resource", () => {
    const spec = prunedAndDefaulted(kind("Connector").spec, { type: "http", url: "https://x.example", auth: null, retries: {} });
    expect(spec).toEqual({ type: "http", url: "https://x.example", retries: { limit: 0, backoff: "1s" }, method: "POST", timeout: "10s" });
  });

  it("keeps a key named __proto__ as data", () => {
    const value = prunedAndDefaulted(map("m", string("v", { maxLength: 8 }), { maxProperties: 4 }), JSON.parse('{"__proto__": "x"}'));
    expect(Object.keys(value as object)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });
});

describe("ruleViolations", () => {
  it("reports a failed rule with its message, reason and fieldPath", () => {
    const result = validateObject(kind("Connector"), { apiVersion: "soar.kube-soar.io/v1alpha1", kind: "Connector", metadata: { name: "c" }, spec: { type: "http" } });
    expect(messages(result.violations)).toEqual(["spec.url: Required value: url or urlSecretRef is required for type http"]);
  });

  it("uses the messageExpression when it evaluates to a string", () => {
    const result = validateObject(kind("Playbook"), playbook({ trigger: { types: ["t"] }, steps: [{ name: "a", action: { type: "cordonNode", target: { kind: "Pod" } } }] }));
    expect(messages(result.violations)).toEqual(["spec.steps[0].action.target.kind: Invalid value: target.kind Pod does not fit action cordonNode"]);
  });

  it("names a rule it cannot evaluate offline instead of passing it", () => {
    const schema = object("root", { url: string("u", { maxLength: 64 }) }, { rules: [{ rule: "isURL(self.url)", message: "not a URL" }] });
    expect(ruleViolations(schema, { url: "x" }, [])).toEqual({
      violations: [],
      skipped: [{ path: [], rule: "isURL(self.url)", reason: "unknown function 'isURL', outside the CEL standard library and strings extension" }],
    });
    expect(unevaluatedRules(schema)).toEqual([{ rule: "isURL(self.url)", reason: "unknown function 'isURL', outside the CEL standard library and strings extension" }]);
  });

  it("leaves transition rules to updates", () => {
    const schema = object("root", { a: string("a", { maxLength: 4 }) }, { rules: [{ rule: "self.a == oldSelf.a", message: "immutable" }] });
    expect(ruleViolations(schema, { a: "x" }, [])).toEqual({ violations: [], skipped: [] });
    expect(unevaluatedRules(schema)).toEqual([]);
  });

  it("evaluates every rule of the kube-soar kinds", () => {
    for (const candidate of KINDS) expect(unevaluatedRules(kind(candidate.kind).spec)).toEqual([]);
  });
});

describe("validateObject", () => {
  it("accepts a valid Playbook and ignores its status", () => {
    const result = validateObject(kind("Playbook"), { ...playbook({ trigger: { types: ["t"] }, steps: [{ name: "a", job: { image: "x" } }] }), status: { bogus: true } });
    expect(result.violations).toEqual([]);
  });

  it("checks metadata.name as the API server does", () => {
    const result = validateObject(kind("Playbook"), playbook({ trigger: { types: ["t"] }, steps: [{ name: "a", job: { image: "x" } }] }, "Bad_Name"));
    expect(messages(result.violations)[0]).toMatch(/^metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
  });

  it("evaluates the kind's object-level rule on metadata.name", () => {
    const result = validateObject(kind("Playbook"), playbook({ trigger: { types: ["t"] }, steps: [{ name: "a", job: { image: "x" } }] }, "a".repeat(64)));
    expect(messages(result.violations)).toEqual(["metadata: Invalid value: metadata.name must be at most 63 characters: it is used as a label value"]);
  });

  it("skips the rules after a blocking error and says so, like the API server", () => {
    const result = validateObject(kind("Playbook"), playbook({ trigger: {}, steps: [{ name: 7 }] }));
    expect(messages(result.violations)).toEqual([
      'spec.steps[0].name: Invalid value: "integer": spec.steps[0].name in body must be of type string: "integer"',
      ": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation",
    ]);
  });
});
