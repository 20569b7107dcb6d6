import { iterationFunctionName } from "./metered-functions.ts";
import { childrenOf, maxNodeId, type Expr } from "./syntax-tree.ts";

/**
 * Rewrites a tree in place so that every comprehension's loop condition passes through the
 * iteration function, which charges the cost meter and stops the loop when the budget is spent.
 * New nodes get ids above every existing one, so source positions stay valid.
 */
export function instrumentComprehensions(root: Expr): void {
  let nextId = maxNodeId(root) + 1n;
  const visit = (expr: Expr): void => {
    for (const child of childrenOf(expr)) visit(child);
    const kind = expr.exprKind;
    if (kind.case !== "comprehensionExpr" || kind.value.loopCondition === undefined) return;
    kind.value.loopCondition = {
      $typeName: "cel.expr.Expr",
      id: nextId,
      exprKind: {
        case: "callExpr",
        value: { $typeName: "cel.expr.Expr.Call", function: iterationFunctionName, args: [kind.value.loopCondition] },
      },
    };
    nextId += 1n;
  };
  visit(root);
}
