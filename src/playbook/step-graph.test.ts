import { describe, expect, it } from "vitest";
import type { StepNode } from "./step-graph.ts";
import { buildStepGraph, transitiveDependents } from "./step-graph.ts";

function graphOf(steps: readonly StepNode[]) {
  const result = buildStepGraph(steps);
  if (!result.ok) throw new Error(`expected a graph, got ${JSON.stringify(result.errors)}`);
  return result.graph;
}

describe("buildStepGraph", () => {
  it.each([
    {
      name: "no needs: sequential in spec order",
      steps: [{ name: "a" }, { name: "b" }, { name: "c" }],
      mode: "sequential",
      dependencies: { a: [], b: ["a"], c: ["b"] },
      order: ["a", "b", "c"],
    },
    {
      name: "empty needs lists still mean sequential",
      steps: [{ name: "a", needs: [] }, { name: "b", needs: [] }],
      mode: "sequential",
      dependencies: { a: [], b: ["a"] },
      order: ["a", "b"],
    },
    {
      name: "dag: roots have no dependencies, diamond joins",
      steps: [
        { name: "join", needs: ["left", "right"] },
        { name: "left", needs: ["root"] },
        { name: "right", needs: ["root"] },
        { name: "root" },
      ],
      mode: "dag",
      dependencies: { join: ["left", "right"], left: ["root"], right: ["root"], root: [] },
      order: ["root", "left", "right", "join"],
    },
    {
      name: "dag: repeated needs are deduplicated",
      steps: [{ name: "a" }, { name: "b", needs: ["a", "a"] }],
      mode: "dag",
      dependencies: { a: [], b: ["a"] },
      order: ["a", "b"],
    },
  ])("$name", ({ steps, mode, dependencies, order }) => {
    const graph = graphOf(steps);
    expect(graph.mode).toBe(mode);
    expect(Object.fromEntries(graph.dependencies)).toEqual(dependencies);
    expect(graph.order).toEqual(order);
  });

  it.each([
    {
      name: "a need names a missing step",
      steps: [{ name: "a" }, { name: "b", needs: ["a", "scan"] }],
      errors: [{ field: "spec.steps[1].needs[1]", message: 'no step named "scan" in this Playbook' }],
    },
    {
      name: "a step needs itself",
      steps: [{ name: "a", needs: ["a"] }],
      errors: [{ field: "spec.steps[0].needs[0]", message: "a step cannot need itself" }],
    },
    {
      name: "duplicate step names",
      steps: [{ name: "a" }, { name: "b" }, { name: "a" }],
      errors: [{ field: "spec.steps[2].name", message: 'duplicate step name "a" (also spec.steps[0].name)' }],
    },
    {
      name: "a two-step cycle",
      steps: [{ name: "a", needs: ["b"] }, { name: "b", needs: ["a"] }],
      errors: [{ field: "spec.steps[1].needs", message: "dependency cycle: a -> b -> a" }],
    },
    {
      name: "a three-step cycle behind a valid root",
      steps: [
        { name: "root" },
        { name: "x", needs: ["root", "z"] },
        { name: "y", needs: ["x"] },
        { name: "z", needs: ["y"] },
      ],
      errors: [{ field: "spec.steps[2].needs", message: "dependency cycle: x -> z -> y -> x" }],
    },
    {
      name: "two separate cycles are both reported",
      steps: [
        { name: "a", needs: ["b"] },
        { name: "b", needs: ["a"] },
        { name: "c", needs: ["d"] },
        { name: "d", needs: ["c"] },
      ],
      errors: [
        { field: "spec.steps[1].needs", message: "dependency cycle: a -> b -> a" },
        { field: "spec.steps[3].needs", message: "dependency cycle: c -> d -> c" },
      ],
    },
  ])("rejects: $name", ({ steps, errors }) => {
    const result = buildStepGraph(steps);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors).toEqual(errors);
  });
});

describe("transitiveDependents", () => {
  const graph = graphOf([
    { name: "root" },
    { name: "left", needs: ["root"] },
    { name: "right", needs: ["root"] },
    { name: "leaf", needs: ["left"] },
    { name: "island", needs: [] },
  ]);

  it.each([
    { step: "root", dependents: ["left", "right", "leaf"] },
    { step: "left", dependents: ["leaf"] },
    { step: "right", dependents: [] },
    { step: "island", dependents: [] },
  ])("dependents of $step", ({ step, dependents }) => {
    expect(transitiveDependents(graph, step)).toEqual(dependents);
  });
});
