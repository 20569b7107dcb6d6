/** One place where the actual report differs from the expectation. */
export interface Difference {
  /** Where, as `alerts[0].run.steps[name=isolate].phase`. */
  readonly path: string;
  /** Undefined when the expectation has the key and the report does not. */
  readonly expected: unknown;
  readonly actual: unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function named(items: readonly unknown[]): boolean {
  return items.length > 0 && items.every((item) => isPlainObject(item) && typeof item["name"] === "string");
}

function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

/**
 * How `actual` differs from `expected` on what `expected` states, and only that:
 * - a map compares only the keys it lists;
 * - a list of maps that all have a `name` is matched by name (order and other entries free);
 *   any other list compares item by item and must have the same length;
 * - `null` expects the value to be absent;
 * - scalars compare by value (a string `"1"` differs from the number 1).
 * An empty result means the expectation holds.
 */
export function subsetDifferences(expected: unknown, actual: unknown, path = ""): Difference[] {
  if (expected === null) return actual === undefined || actual === null ? [] : [{ path, expected, actual }];
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) return [{ path, expected, actual }];
    return Object.entries(expected).flatMap(([key, value]) => subsetDifferences(value, actual[key], join(path, key)));
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [{ path, expected, actual }];
    if (named(expected)) {
      return expected.flatMap((item) => {
        const name = (item as { name: string }).name;
        const match: unknown = (actual as readonly unknown[]).find((candidate) => isPlainObject(candidate) && candidate["name"] === name);
        return subsetDifferences(item, match, `${path}[name=${name}]`);
      });
    }
    if (expected.length !== actual.length) return [{ path, expected, actual }];
    return expected.flatMap((item, position) => subsetDifferences(item, actual[position], `${path}[${position}]`));
  }
  return expected === actual ? [] : [{ path, expected, actual }];
}

function shown(value: unknown): string {
  return value === undefined ? "(absent)" : JSON.stringify(value);
}

/** The differences as a unified diff: `--- expected`, `+++ actual`, one `@@ path @@` hunk each. */
export function formatDifferences(differences: readonly Difference[], expectedName: string): string {
  const hunks = differences.map((difference) => `@@ ${difference.path === "" ? "(report)" : difference.path} @@\n-${shown(difference.expected)}\n+${shown(difference.actual)}`);
  return [`--- expected (${expectedName})`, "+++ actual", ...hunks].join("\n");
}
