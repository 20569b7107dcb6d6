import {
  CelScalar,
  celFunc,
  celMethod,
  isCelError,
  isCelList,
  isCelMap,
  type CelFunc,
  type CelInput,
  type CelValue,
} from "@bufbuild/cel";
import type { CostMeter } from "./cost-meter.ts";

/** Characters (of a string) or bytes that cost one unit; list and map entries cost one each. */
export const charactersPerUnit = 32;

/** Name of the function that charges one comprehension iteration; the parser cannot produce it. */
export const iterationFunctionName = "@kube_soar_iteration";

/** The error a metered call reports once the budget is spent; the evaluator replaces it. */
const budgetSpent = "cost limit exceeded";

/**
 * Wraps a function so that each call charges the meter 1 unit plus the size of its input
 * (receiver and arguments together) or of its result, whichever is larger: one unit per list
 * element or map entry, one per `charactersPerUnit` characters or bytes. Once the budget is
 * spent the function refuses to run. Behaviour is otherwise the original's.
 */
export function meteredFunction(original: CelFunc, meter: CostMeter): CelFunc {
  const invoke = (target: CelValue | undefined, args: CelValue[]): CelInput => {
    let input = target === undefined ? 0 : sizeUnits(target);
    for (const arg of args) input += sizeUnits(arg);
    if (!meter.charge(1 + Math.floor(input))) throw new Error(budgetSpent);
    const result = original.call(0, target, args);
    if (result === undefined) throw new Error(`found no matching overload for '${original.name}'`);
    if (isCelError(result)) throw new Error(result.message);
    const output = Math.floor(sizeUnits(result));
    if (output > input && !meter.charge(output - Math.floor(input))) throw new Error(budgetSpent);
    return result;
  };
  if (original.target === undefined) {
    return celFunc(original.name, original.arguments, original.result, (...args: CelValue[]) =>
      invoke(undefined, args),
    );
  }
  return celMethod(
    original.name,
    original.target,
    original.arguments,
    original.result,
    function (this: CelValue, ...args: CelValue[]) {
      return invoke(this, args);
    },
  );
}

/**
 * The function that guards every comprehension's loop condition: it charges one unit per
 * iteration and turns the condition false once the budget is spent, so loops stop at once.
 */
export function iterationFunction(meter: CostMeter): CelFunc {
  return celFunc(iterationFunctionName, [CelScalar.BOOL], CelScalar.BOOL, (condition: boolean) =>
    meter.charge(1) ? condition : false,
  );
}

function sizeUnits(value: CelValue): number {
  if (typeof value === "string") return value.length / charactersPerUnit;
  if (value instanceof Uint8Array) return value.byteLength / charactersPerUnit;
  if (isCelList(value)) return value.size;
  if (isCelMap(value)) return value.size;
  return 0;
}
