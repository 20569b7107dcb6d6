import { childrenOf, type Expr } from "./syntax-tree.ts";

/** How deep a tree goes and how many comprehensions run inside one another. */
export interface TreeShape {
  /** Nodes on the longest root-to-leaf path. */
  readonly depth: number;
  /** Comprehensions on the longest chain where each runs inside another's per-iteration body. */
  readonly comprehensionNesting: number;
}

/**
 * Measures a tree. A comprehension over another comprehension's result (`l.map(...).exists(...)`)
 * runs after it, not inside it, so only loop bodies count towards nesting.
 */
export function measureTree(expr: Expr): TreeShape {
  const kind = expr.exprKind;
  if (kind.case === "comprehensionExpr") {
    const value = kind.value;
    const outer = [value.iterRange, value.accuInit, value.result].filter((part) => part !== undefined);
    const inner = [value.loopCondition, value.loopStep].filter((part) => part !== undefined);
    const outerShapes = outer.map(measureTree);
    const innerShapes = inner.map(measureTree);
    const all = [...outerShapes, ...innerShapes];
    return {
      depth: 1 + Math.max(0, ...all.map((shape) => shape.depth)),
      comprehensionNesting: Math.max(
        0,
        ...outerShapes.map((shape) => shape.comprehensionNesting),
        ...innerShapes.map((shape) => shape.comprehensionNesting + 1),
        1,
      ),
    };
  }
  const shapes = childrenOf(expr).map(measureTree);
  return {
    depth: 1 + Math.max(0, ...shapes.map((shape) => shape.depth)),
    comprehensionNesting: Math.max(0, ...shapes.map((shape) => shape.comprehensionNesting)),
  };
}
