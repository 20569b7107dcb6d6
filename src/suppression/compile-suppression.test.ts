import { describe, expect, it } from "vitest";
import { createExpressionCompiler } from "../expr/index.ts";
import { aSuppression } from "../testing/objects.ts";
import { compileSuppression } from "./compile-suppression.ts";

const expressions = createExpressionCompiler();

describe("compileSuppression", () => {
  it("compiles the criteria, match and times of a valid suppression", () => {
    const compiled = compileSuppression(
      aSuppression({ spec: { types: ["falco.rule.output.v1"], rules: ["Terminal shell in container"], namespaces: ["shop"], match: "event.severity == 'low'" } }),
      expressions,
    );
    expect(compiled.problems).toEqual([]);
    expect(compiled.key).toBe("ns/sup");
    expect([...(compiled.types ?? [])]).toEqual(["falco.rule.output.v1"]);
    expect([...(compiled.rules ?? [])]).toEqual(["Terminal shell in container"]);
    expect([...(compiled.namespaces ?? [])]).toEqual(["shop"]);
    expect(compiled.match).toBeDefined();
    expect(compiled.expiresAtMs).toBe(Date.parse("2026-03-01T13:00:00.000Z"));
    expect(compiled.createdAtMs).toBe(Date.parse("2026-03-01T11:00:00.000Z"));
  });

  it("reads a creation time written as text, as the API server sends it", () => {
    const suppression = aSuppression();
    const compiled = compileSuppression({ ...suppression, metadata: { ...suppression.metadata, creationTimestamp: "2026-03-01T11:00:00Z" as unknown as Date } }, expressions);
    expect(compiled.createdAtMs).toBe(Date.parse("2026-03-01T11:00:00Z"));
  });

  it.each([
    ["a match that does not compile", { match: "event.severity ==" }, "spec.match", "InvalidExpression"],
    ["a match naming an undeclared variable", { match: "incident.name == 'x'" }, "spec.match", "InvalidExpression"],
    ["an expiresAt that is not a time", { expiresAt: "next tuesday" }, "spec.expiresAt", "InvalidSpec"],
  ] as const)("reports %s on its field", (_, spec, field, reason) => {
    const compiled = compileSuppression(aSuppression({ spec }), expressions);
    expect(compiled.problems).toEqual([expect.objectContaining({ field, reason })]);
  });

  it("reports a suppression without any criterion, which would silence everything", () => {
    const suppression = aSuppression();
    const spec = { ...suppression.spec };
    delete spec.types;
    expect(compileSuppression({ ...suppression, spec }, expressions).problems).toEqual([expect.objectContaining({ field: "spec", reason: "InvalidSpec" })]);
  });
});
