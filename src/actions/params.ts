import type { ActionType } from "../api/v1alpha1/index.ts";
import { actionFailure, type ActionFailure } from "./action-outcome.ts";
import { quotedValue } from "./quoted-value.ts";

class ParamError extends Error {
  override readonly name = "ParamError";
}

/** Typed access to an action's rendered string parameters; every error names `params.<name>`. */
export interface ParamReader {
  /** The raw value, or undefined when absent. */
  string(name: string): string | undefined;
  /** An integer in `[min, max]`, or `fallback` when absent. */
  integer(name: string, range: { min: number; max: number }, fallback?: number): number | undefined;
  /** `true` or `false`, or `fallback` when absent. */
  boolean(name: string, fallback: boolean): boolean;
  /** A comma-separated list, trimmed, without empty items; empty when absent. */
  list(name: string, maxItems: number): string[];
}

function reader(params: Readonly<Record<string, string>>): ParamReader {
  const get = (name: string): string | undefined => (Object.hasOwn(params, name) ? params[name] : undefined);
  return {
    string: get,
    integer(name, { min, max }, fallback) {
      const raw = get(name);
      if (raw === undefined) return fallback;
      if (!/^-?\d+$/.test(raw.trim())) throw new ParamError(`params.${name}: must be an integer, got ${quotedValue(raw)}`);
      const value = Number(raw.trim());
      if (value < min || value > max) throw new ParamError(`params.${name}: must be between ${min} and ${max}, got ${value}`);
      return value;
    },
    boolean(name, fallback) {
      const raw = get(name);
      if (raw === undefined) return fallback;
      const value = raw.trim().toLowerCase();
      if (value === "true") return true;
      if (value === "false") return false;
      throw new ParamError(`params.${name}: must be true or false, got ${quotedValue(raw)}`);
    },
    list(name, maxItems) {
      const raw = get(name);
      if (raw === undefined) return [];
      const items = raw.split(",").map((item) => item.trim()).filter((item) => item !== "");
      if (items.length > maxItems) throw new ParamError(`params.${name}: at most ${maxItems} items, got ${items.length}`);
      return items;
    },
  };
}

/** Throws the error {@link readParams} turns into an `InvalidParams` failure. */
export function invalidParam(message: string): never {
  throw new ParamError(message);
}

/**
 * Reads an action's parameters with `read`. Parameters outside `allowed` are refused by name
 * (a misspelt parameter must not be silently ignored); every problem becomes an
 * `InvalidParams` failure whose message starts with `<action>: params.<name>`.
 */
export function readParams<T>(
  action: ActionType,
  params: Readonly<Record<string, string>>,
  allowed: readonly string[],
  read: (reader: ParamReader) => T,
): { ok: true; value: T } | ActionFailure {
  const unknown = Object.keys(params).filter((name) => !allowed.includes(name));
  if (unknown.length > 0) {
    const accepted = allowed.length === 0 ? "it takes none" : `accepted: ${allowed.join(", ")}`;
    return actionFailure("InvalidParams", `${action}: params.${unknown.join(", params.")}: unknown parameter (${accepted})`);
  }
  try {
    return { ok: true, value: read(reader(params)) };
  } catch (error: unknown) {
    if (error instanceof ParamError) return actionFailure("InvalidParams", `${action}: ${error.message}`);
    throw error;
  }
}
