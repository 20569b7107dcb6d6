import { celEnv, parse, plan, type CelEnv, type CelResult, type CelValue } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";
import { CostMeter } from "./cost-meter.ts";
import { catalogFunctions, type FunctionCatalog } from "./function-catalog.ts";
import { iterationFunction, meteredFunction } from "./metered-functions.ts";
import { cachingRegexEngine } from "./regex-cache.ts";
import { shellQuoteFunction } from "./shell-quote.ts";

/**
 * A CEL environment whose every function call and comprehension iteration is charged to one
 * cost meter. The standard library plus the `strings` extension (`lowerAscii`, `split`, ...)
 * are available, and `shellQuote` (a string as one POSIX shell word); regular expressions run on
 * RE2 in linear time, compiled patterns are cached.
 */
export interface ExpressionEnvironment {
  readonly env: CelEnv;
  readonly meter: CostMeter;
  /** Every function by name and call shape, for compile-time call checks. */
  readonly functions: FunctionCatalog;
}

/** Builds a metered environment with its own meter. */
export function createExpressionEnvironment(): ExpressionEnvironment {
  const meter = new CostMeter();
  // The regex engine option replaces the standard `matches`; it is then metered like the rest.
  const functions = [...celEnv({ funcs: [...strings, shellQuoteFunction], re2: cachingRegexEngine() }).funcs];
  return {
    env: celEnv({ funcs: [...functions.map((func) => meteredFunction(func, meter)), iterationFunction(meter)] }),
    meter,
    functions: catalogFunctions(functions),
  };
}

const stringConversion = plan(celEnv(), parse("string(value)"));

/**
 * CEL's `string()` of a value (`42`, `1.5`, `true`, an RFC 3339 timestamp, `1.5s`), or an error
 * when CEL defines no string form for its type. Runs outside any cost budget: the input is
 * already a computed value and the conversion is linear in its size.
 */
export function celStringOf(value: CelValue): CelResult {
  return stringConversion({ value });
}
