import type { CelValue } from "@bufbuild/cel";
import { safeMessage } from "./error-text.ts";
import { EvaluationFailure, failed, type EvaluationResult } from "./evaluation-result.ts";
import { toCelValue, tryConversion } from "./values.ts";

/**
 * Variables converted once into CEL values, so that one event can be matched against many
 * programs without converting it again. Immutable: later changes to the source objects do not
 * reach it.
 */
export class PreparedVariables {
  readonly #values: ReadonlyMap<string, CelValue>;
  readonly #bindings: Record<string, CelValue>;

  constructor(values: ReadonlyMap<string, CelValue>) {
    this.#values = values;
    this.#bindings = Object.create(null) as Record<string, CelValue>;
    for (const [name, value] of values) this.#bindings[name] = value;
  }

  /** Whether a variable was provided. */
  has(name: string): boolean {
    return this.#values.has(name);
  }

  /**
   * Bindings for the engine, on an object without a prototype so that no name is inherited.
   * The engine only reads them.
   */
  bindings(): Readonly<Record<string, CelValue>> {
    return this.#bindings;
  }
}

/** Variables as callers hold them: `event`, `incident`, `steps` as parsed JSON. */
export type VariableValues = Readonly<Record<string, unknown>>;

/**
 * Converts variables into CEL values (see `toCelValue` for the mapping). Fails with
 * `UnrepresentableValue` naming the path of the first value that has no CEL form.
 */
export function prepareVariables(values: VariableValues): EvaluationResult<PreparedVariables> {
  const converted = tryConversion(() => {
    const entries = new Map<string, CelValue>();
    for (const [name, value] of Object.entries(values)) {
      if (value !== undefined) entries.set(name, toCelValue(value, name));
    }
    return entries;
  });
  if (!converted.ok) return failed(EvaluationFailure.UnrepresentableValue, safeMessage(converted.message));
  return { ok: true, value: new PreparedVariables(converted.value) };
}
