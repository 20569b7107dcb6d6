import { parse } from "@bufbuild/cel";
import type { CompiledPlaybook } from "../../playbook/index.ts";
import { childrenOf, type Expr } from "../../expr/syntax-tree.ts";

/** One output of one step that an expression reads: `steps.scan.outputs.verdict`. */
export interface StepOutputReference {
  readonly step: string;
  readonly output: string;
}

/** The name `expr` selects from `operand`: `operand.name` or `operand["name"]`. */
function selected(expr: Expr): { readonly operand: Expr; readonly name: string } | undefined {
  const kind = expr.exprKind;
  if (kind.case === "selectExpr" && kind.value.operand !== undefined) return { operand: kind.value.operand, name: kind.value.field };
  if (kind.case === "callExpr" && kind.value.function === "_[_]" && kind.value.target === undefined) {
    const [operand, index] = kind.value.args;
    const constant = index?.exprKind.case === "constExpr" ? index.exprKind.value.constantKind : undefined;
    if (operand !== undefined && constant?.case === "stringValue") return { operand, name: constant.value };
  }
  return undefined;
}

/** The step of `steps.<step>.outputs`, when `expr` is that. */
function outputsOfStep(expr: Expr): string | undefined {
  const outputs = selected(expr);
  if (outputs?.name !== "outputs") return undefined;
  const step = selected(outputs.operand);
  const root = step?.operand.exprKind;
  return root?.case === "identExpr" && root.value.name === "steps" ? step?.name : undefined;
}

/**
 * Every `steps.<step>.outputs.<key>` (or the same with `["..."]` indexes) a CEL source reads, in
 * source order, without repeats. Outputs reached another way (a computed key, the whole map)
 * are not listed. A source that does not parse reads nothing.
 */
export function stepOutputReferences(source: string): StepOutputReference[] {
  let root: Expr;
  try {
    root = parse(source).expr;
  } catch {
    return [];
  }
  const found = new Map<string, StepOutputReference>();
  const visit = (expr: Expr): void => {
    const key = selected(expr);
    const step = key === undefined ? undefined : outputsOfStep(key.operand);
    if (key !== undefined && step !== undefined) {
      found.set(`${step}\u0000${key.name}`, { step, output: key.name });
      return;
    }
    for (const next of childrenOf(expr)) visit(next);
  };
  visit(root);
  return [...found.values()];
}

/** The CEL sources of a compiled Playbook's steps: each `when`, each `${{ }}` of its templates. */
export function stepExpressionSources(playbook: CompiledPlaybook): { readonly step: string; readonly field: string; readonly source: string }[] {
  return playbook.steps.flatMap((step) => [
    ...(step.when === undefined ? [] : [{ step: step.name, field: "when", source: step.when.source }]),
    ...[...step.templates].flatMap(([field, template]) =>
      template.parts.flatMap((part) => (part.kind === "expression" ? [{ step: step.name, field, source: part.program.source }] : [])),
    ),
  ]);
}
