import { callProblem, type FunctionCatalog } from "./function-catalog.ts";
import { childrenOf, comprehensionParts, qualifiedName, type Expr, type ParsedExpression } from "./syntax-tree.ts";

/**
 * Identifiers CEL resolves to type values (`type(x) == int`), always declared.
 */
const typeIdentifiers: ReadonlySet<string> = new Set([
  "bool",
  "bytes",
  "double",
  "int",
  "list",
  "map",
  "null_type",
  "string",
  "type",
  "uint",
]);

/** A reference that cannot resolve, with where it is. */
export interface UnresolvedReference {
  readonly kind: "variable" | "field" | "function";
  /** What is wrong, e.g. `undeclared reference to 'evnt'` or `unknown function 'lower'`. */
  readonly problem: string;
  /** UTF-16 offset into the source, when the parser recorded one. */
  readonly offset: number | undefined;
  /** What would resolve, e.g. `fields: name, namespace`. */
  readonly hint?: string;
}

/** What an expression refers to. */
export interface References {
  /** The first unresolvable identifier or call by source position, if any. */
  readonly unresolved: UnresolvedReference | undefined;
  /** The declared variables the expression reads. */
  readonly variables: ReadonlySet<string>;
}

/**
 * Resolves every identifier and call of a parsed expression. An identifier resolves when it is
 * one of `declared`, a variable bound by an enclosing comprehension, a type name, or the
 * namespace of a qualified function such as `strings.quote`. A call resolves when `functions`
 * has an overload of its name, form (function or method) and arity. A field selected directly
 * on a variable of `fields` (`incident.title`, also inside `has()`) must be one of its fields.
 */
export function analyzeReferences(
  parsed: ParsedExpression,
  declared: ReadonlySet<string>,
  functions: FunctionCatalog,
  fields: Readonly<Record<string, readonly string[]>> = {},
): References {
  const unresolved: UnresolvedReference[] = [];
  const variables = new Set<string>();
  const positions = parsed.sourceInfo?.positions ?? {};
  const offsetOf = (expr: Expr): number | undefined => positions[expr.id.toString()];
  const visit = (expr: Expr, scope: ReadonlySet<string>): void => {
    const kind = expr.exprKind;
    if (kind.case === "identExpr") {
      const name = kind.value.name;
      if (scope.has(name) || typeIdentifiers.has(name)) return;
      if (declared.has(name)) variables.add(name);
      else unresolved.push({ kind: "variable", problem: `undeclared reference to '${name}'`, offset: offsetOf(expr) });
      return;
    }
    if (kind.case === "selectExpr" && kind.value.operand?.exprKind.case === "identExpr") {
      const variable = kind.value.operand.exprKind.value.name;
      const known = Object.hasOwn(fields, variable) ? fields[variable] : undefined;
      if (known !== undefined && !scope.has(variable) && !known.includes(kind.value.field)) {
        unresolved.push({ kind: "field", problem: `'${variable}' has no field '${kind.value.field}'`, offset: offsetOf(expr), hint: `fields: ${known.join(", ")}` });
      }
    }
    if (kind.case === "callExpr") {
      const call = kind.value;
      const namespace = call.target === undefined ? undefined : qualifiedName(call.target);
      if (namespace !== undefined && functions.has(`${namespace}.${call.function}`)) {
        const problem = callProblem(functions, `${namespace}.${call.function}`, false, call.args.length);
        if (problem !== undefined) unresolved.push({ kind: "function", problem, offset: offsetOf(expr) });
        for (const arg of call.args) visit(arg, scope);
        return;
      }
      const problem = callProblem(functions, call.function, call.target !== undefined, call.args.length);
      if (problem !== undefined) unresolved.push({ kind: "function", problem, offset: offsetOf(expr) });
    }
    if (kind.case === "comprehensionExpr") {
      for (const part of comprehensionParts(kind.value)) {
        visit(part.expr, part.binds.length === 0 ? scope : new Set([...scope, ...part.binds]));
      }
      return;
    }
    for (const child of childrenOf(expr)) visit(child, scope);
  };
  visit(parsed.expr, new Set());
  return { unresolved: earliest(unresolved), variables };
}

function earliest(references: readonly UnresolvedReference[]): UnresolvedReference | undefined {
  let first: UnresolvedReference | undefined;
  for (const reference of references) {
    if (first === undefined || (reference.offset ?? Infinity) < (first.offset ?? Infinity)) first = reference;
  }
  return first;
}
