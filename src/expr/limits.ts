/**
 * Bounds on what an expression may be (checked at compile time) and do (checked while it runs).
 * Alert data is attacker-controlled, so every bound holds whatever the event contains.
 */
export interface ExpressionLimits {
  /** Longest accepted source, in UTF-8 bytes. */
  readonly maxSourceBytes: number;
  /** Deepest nesting of `(`, `[` and `{` outside string literals, checked before parsing. */
  readonly maxBracketNesting: number;
  /** Deepest syntax tree accepted (long operator chains nest as deeply as brackets do). */
  readonly maxTreeDepth: number;
  /** Most comprehensions (`exists`, `all`, `map`, ...) that may run inside one another's body. */
  readonly maxComprehensionNesting: number;
  /** Cost units one evaluation may spend before it is aborted (see docs/expressions.md). */
  readonly costLimit: number;
  /** Longest template string accepted, in UTF-8 bytes. */
  readonly maxTemplateBytes: number;
  /** Most `${{ }}` segments in one template. */
  readonly maxTemplateSegments: number;
}

/** The limits used when the operator is not configured otherwise. */
export const defaultExpressionLimits: ExpressionLimits = {
  maxSourceBytes: 4096,
  maxBracketNesting: 32,
  maxTreeDepth: 128,
  maxComprehensionNesting: 3,
  costLimit: 100_000,
  maxTemplateBytes: 65_536,
  maxTemplateSegments: 64,
};

/**
 * Merges overrides into the defaults. Throws a RangeError naming the field when a value is
 * not a positive safe integer: limits come from operator configuration, validated at startup.
 */
export function resolveExpressionLimits(overrides: Partial<ExpressionLimits> = {}): ExpressionLimits {
  const limits = { ...defaultExpressionLimits, ...overrides };
  for (const [field, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new RangeError(`expression limits: ${field} must be a positive integer, got ${String(value)}`);
    }
  }
  return limits;
}
