/**
 * A field of an object as a list of steps from its root: a property of an object, an index of a
 * list, or a key of a map. Formatted the way the API server names fields (`spec.steps[2].job`,
 * `spec.headers[X-Token]`), and parsed back from the paths other checks report.
 */
export type PathSegment =
  | { readonly kind: "field"; readonly name: string }
  | { readonly kind: "index"; readonly index: number }
  | { readonly kind: "key"; readonly key: string };

/** A path from the object's root; empty for the object itself. */
export type FieldPath = readonly PathSegment[];

/** `path` extended by a property. */
export function child(path: FieldPath, name: string): FieldPath {
  return [...path, { kind: "field", name }];
}

/** `path` extended by a list index. */
export function index(path: FieldPath, position: number): FieldPath {
  return [...path, { kind: "index", index: position }];
}

/** `path` extended by a map key. */
export function key(path: FieldPath, name: string): FieldPath {
  return [...path, { kind: "key", key: name }];
}

/** The path as the API server prints it: `spec.steps[2].job.args[0]`, `spec.headers[X-Token]`. */
export function formatPath(path: FieldPath): string {
  let text = "";
  for (const segment of path) {
    switch (segment.kind) {
      case "field":
        text += text === "" ? segment.name : `.${segment.name}`;
        break;
      case "index":
        text += `[${segment.index}]`;
        break;
      case "key":
        text += `[${segment.key}]`;
        break;
    }
  }
  return text;
}

const SEGMENT = /\.?([^.[\]]+)|\[([^\]]*)\]/y;

/**
 * Parses a path as the operator's checks report it (`spec.steps[2].action.params[reason]`,
 * `spec.headers.X-Token`): bracketed digits are list indexes, other bracketed text map keys.
 * Text that does not parse ends the path where it stops, so a caller still finds the nearest
 * field it names.
 */
export function parsePath(text: string): FieldPath {
  const segments: PathSegment[] = [];
  SEGMENT.lastIndex = 0;
  while (SEGMENT.lastIndex < text.length) {
    const match = SEGMENT.exec(text);
    if (match === null) break;
    const [, name, bracketed] = match;
    if (name !== undefined) segments.push({ kind: "field", name });
    else if (bracketed !== undefined && /^\d+$/.test(bracketed)) segments.push({ kind: "index", index: Number(bracketed) });
    else segments.push({ kind: "key", key: bracketed ?? "" });
  }
  return segments;
}
