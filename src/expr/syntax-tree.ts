import type { parse } from "@bufbuild/cel";

/** A parsed expression as the engine returns it: the tree plus its source positions. */
export type ParsedExpression = ReturnType<typeof parse>;

/** One node of the CEL syntax tree (the `cel.expr.Expr` message). */
export type Expr = ParsedExpression["expr"];

/** A call node's payload: function name, optional receiver, arguments. */
export type CallNode = Extract<Expr["exprKind"], { case: "callExpr" }>["value"];

/** A comprehension node's payload, as macros such as `exists` and `map` expand to. */
export type ComprehensionNode = Extract<Expr["exprKind"], { case: "comprehensionExpr" }>["value"];

/** The direct children of a node, in source order where the grammar has one. */
export function childrenOf(expr: Expr): Expr[] {
  const kind = expr.exprKind;
  switch (kind.case) {
    case "selectExpr":
      return kind.value.operand === undefined ? [] : [kind.value.operand];
    case "callExpr":
      return kind.value.target === undefined ? [...kind.value.args] : [kind.value.target, ...kind.value.args];
    case "listExpr":
      return [...kind.value.elements];
    case "structExpr":
      return kind.value.entries.flatMap((entry) => {
        const key = entry.keyKind.case === "mapKey" ? [entry.keyKind.value] : [];
        return entry.value === undefined ? key : [...key, entry.value];
      });
    case "comprehensionExpr":
      return comprehensionParts(kind.value).map((part) => part.expr);
    default:
      return [];
  }
}

/** A part of a comprehension and whether it runs once per iteration. */
export interface ComprehensionPart {
  readonly expr: Expr;
  readonly perIteration: boolean;
  /** Variables the comprehension binds while this part runs. */
  readonly binds: readonly string[];
}

/** The parts of a comprehension with the scope each one sees (per the CEL specification). */
export function comprehensionParts(node: ComprehensionNode): ComprehensionPart[] {
  const iterationVariables = [node.iterVar, node.iterVar2, node.accuVar].filter((name) => name !== "");
  const parts: ComprehensionPart[] = [];
  const add = (expr: Expr | undefined, perIteration: boolean, binds: readonly string[]): void => {
    if (expr !== undefined) parts.push({ expr, perIteration, binds });
  };
  add(node.iterRange, false, []);
  add(node.accuInit, false, []);
  add(node.loopCondition, true, iterationVariables);
  add(node.loopStep, true, iterationVariables);
  add(node.result, false, [node.accuVar]);
  return parts;
}

/** The dotted name a node spells when it is a chain of selects over an identifier (`a.b.c`). */
export function qualifiedName(expr: Expr): string | undefined {
  const kind = expr.exprKind;
  if (kind.case === "identExpr") return kind.value.name;
  if (kind.case === "selectExpr" && !kind.value.testOnly && kind.value.operand !== undefined) {
    const operand = qualifiedName(kind.value.operand);
    return operand === undefined ? undefined : `${operand}.${kind.value.field}`;
  }
  return undefined;
}

/** The largest node id in a tree, so that nodes added to it can get fresh ids. */
export function maxNodeId(expr: Expr): bigint {
  let max = expr.id;
  for (const child of childrenOf(expr)) {
    const childMax = maxNodeId(child);
    if (childMax > max) max = childMax;
  }
  return max;
}
