import type { CelFunc } from "@bufbuild/cel";

/** How a function may be called: as `f(args)` and/or as `x.f(args)`, with which arities. */
export interface FunctionShape {
  readonly globalArities: ReadonlySet<number>;
  readonly methodArities: ReadonlySet<number>;
}

/** Operators (`_+_`, `_[_]`, `!_`, `-_`) and macro internals (`@in`, ...), which the parser emits. */
const operatorName = /^(?:@|!_$|-_$|_.*_$|_\[\??_\]$)/;

/** Every function of an environment by name, for compile-time call checks. */
export type FunctionCatalog = ReadonlyMap<string, FunctionShape>;

/** Indexes functions by name. */
export function catalogFunctions(functions: Iterable<CelFunc>): FunctionCatalog {
  const catalog = new Map<string, { globalArities: Set<number>; methodArities: Set<number> }>();
  for (const func of functions) {
    let shape = catalog.get(func.name);
    if (shape === undefined) {
      shape = { globalArities: new Set(), methodArities: new Set() };
      catalog.set(func.name, shape);
    }
    (func.target === undefined ? shape.globalArities : shape.methodArities).add(func.arguments.length);
  }
  return catalog;
}

/**
 * Why a call of `name` with `arity` arguments (as a method when `isMethod`) cannot resolve, or
 * undefined when some overload has that shape. Operators and macro internals are not checked.
 */
export function callProblem(catalog: FunctionCatalog, name: string, isMethod: boolean, arity: number): string | undefined {
  if (operatorName.test(name)) return undefined;
  const shape = catalog.get(name);
  if (shape === undefined) return `unknown function '${name}'`;
  const arities = isMethod ? shape.methodArities : shape.globalArities;
  if (arities.size === 0) {
    return isMethod
      ? `'${name}' is a function, not a method: call it as ${name}(value)`
      : `'${name}' is a method: call it as value.${name}(...)`;
  }
  if (!arities.has(arity)) {
    const expected = [...arities].sort((a, b) => a - b).join(" or ");
    return `'${name}' takes ${expected} argument(s), not ${arity}`;
  }
  return undefined;
}
