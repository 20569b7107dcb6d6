import type { FieldError } from "./field-error.ts";

/** What the graph needs to know about a step: its name and the steps it declares it needs. */
export interface StepNode {
  readonly name: string;
  readonly needs?: readonly string[] | undefined;
}

/**
 * How steps are ordered. `sequential`: no step declares `needs`, so each step runs after the
 * one listed before it. `dag`: at least one step declares `needs`; every step then depends on
 * exactly the steps it lists, and steps without `needs` start together.
 */
export type StepGraphMode = "sequential" | "dag";

/** The validated dependency graph of a Playbook's steps. */
export interface StepGraph {
  readonly mode: StepGraphMode;
  /** Step names in spec order. */
  readonly names: readonly string[];
  /** For each step, the steps that must finish before it may start (deduplicated). */
  readonly dependencies: ReadonlyMap<string, readonly string[]>;
  /** A topological order: every step comes after all of its dependencies; ties keep spec order. */
  readonly order: readonly string[];
}

/** A graph, or every reason the steps do not form one. */
export type StepGraphResult =
  | { readonly ok: true; readonly graph: StepGraph }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

function declaresNeeds(step: StepNode): boolean {
  return step.needs !== undefined && step.needs.length > 0;
}

function duplicateNameErrors(steps: readonly StepNode[]): FieldError[] {
  const firstIndex = new Map<string, number>();
  const errors: FieldError[] = [];
  steps.forEach((step, index) => {
    const first = firstIndex.get(step.name);
    if (first === undefined) {
      firstIndex.set(step.name, index);
      return;
    }
    errors.push({
      field: `spec.steps[${index}].name`,
      message: `duplicate step name ${JSON.stringify(step.name)} (also spec.steps[${first}].name)`,
    });
  });
  return errors;
}

function needsErrors(steps: readonly StepNode[], names: ReadonlySet<string>): FieldError[] {
  const errors: FieldError[] = [];
  steps.forEach((step, index) => {
    (step.needs ?? []).forEach((needed, needIndex) => {
      const field = `spec.steps[${index}].needs[${needIndex}]`;
      if (needed === step.name) errors.push({ field, message: "a step cannot need itself" });
      else if (!names.has(needed)) {
        errors.push({ field, message: `no step named ${JSON.stringify(needed)} in this Playbook` });
      }
    });
  });
  return errors;
}

function dependencyMap(steps: readonly StepNode[], mode: StepGraphMode): Map<string, readonly string[]> {
  const dependencies = new Map<string, readonly string[]>();
  steps.forEach((step, index) => {
    if (mode === "dag") {
      dependencies.set(step.name, [...new Set(step.needs ?? [])]);
      return;
    }
    const previous = steps[index - 1];
    dependencies.set(step.name, previous === undefined ? [] : [previous.name]);
  });
  return dependencies;
}

/** Finds every dependency cycle once, each reported on the step whose `needs` closes it. */
function cycleErrors(steps: readonly StepNode[], dependencies: ReadonlyMap<string, readonly string[]>): FieldError[] {
  const indexOf = new Map(steps.map((step, index) => [step.name, index]));
  const state = new Map<string, "visiting" | "done">();
  const path: string[] = [];
  const seenCycles = new Set<string>();
  const errors: FieldError[] = [];

  const visit = (name: string): void => {
    state.set(name, "visiting");
    path.push(name);
    for (const needed of dependencies.get(name) ?? []) {
      const neededState = state.get(needed);
      if (neededState === "visiting") {
        const cycle = path.slice(path.indexOf(needed));
        const identity = [...cycle].sort().join(",");
        if (!seenCycles.has(identity)) {
          seenCycles.add(identity);
          errors.push({
            field: `spec.steps[${indexOf.get(name) ?? -1}].needs`,
            message: `dependency cycle: ${[...cycle, needed].join(" -> ")}`,
          });
        }
      } else if (neededState === undefined) {
        visit(needed);
      }
    }
    path.pop();
    state.set(name, "done");
  };

  for (const step of steps) if (!state.has(step.name)) visit(step.name);
  return errors;
}

/** Kahn's algorithm, always picking the ready step that comes first in the spec. */
function topologicalOrder(names: readonly string[], dependencies: ReadonlyMap<string, readonly string[]>): string[] {
  const order: string[] = [];
  const placed = new Set<string>();
  while (order.length < names.length) {
    const next = names.find(
      (name) => !placed.has(name) && (dependencies.get(name) ?? []).every((needed) => placed.has(needed)),
    );
    if (next === undefined) break;
    placed.add(next);
    order.push(next);
  }
  return order;
}

/**
 * Validates the steps' names and `needs` and builds their graph. Returns every problem at once,
 * each naming its field: duplicate names, a `needs` entry naming an unknown step or the step
 * itself, and dependency cycles (`spec.steps[1].needs: dependency cycle: a -> b -> a`).
 */
export function buildStepGraph(steps: readonly StepNode[]): StepGraphResult {
  const names = steps.map((step) => step.name);
  const nameSet = new Set(names);
  const structural = [...duplicateNameErrors(steps), ...needsErrors(steps, nameSet)];
  if (structural.length > 0) return { ok: false, errors: structural };

  const mode: StepGraphMode = steps.some(declaresNeeds) ? "dag" : "sequential";
  const dependencies = dependencyMap(steps, mode);
  const cycles = cycleErrors(steps, dependencies);
  if (cycles.length > 0) return { ok: false, errors: cycles };

  return { ok: true, graph: { mode, names, dependencies, order: topologicalOrder(names, dependencies) } };
}

/** Every step that depends on `name`, directly or through other steps, in topological order. */
export function transitiveDependents(graph: StepGraph, name: string): string[] {
  const affected = new Set([name]);
  for (const candidate of graph.order) {
    if ((graph.dependencies.get(candidate) ?? []).some((needed) => affected.has(needed))) affected.add(candidate);
  }
  affected.delete(name);
  return graph.order.filter((candidate) => affected.has(candidate));
}
