import { codeCharacters } from "./source-scan.ts";

/** Opens an embedded expression. */
export const segmentOpen = "${{";
/** Closes an embedded expression. */
export const segmentClose = "}}";
/** Written in a template to get a literal `${{`. */
export const escapedOpen = "$${{";

/** A piece of a template: literal text, or the source of one embedded expression. */
export type TemplatePart =
  | { readonly kind: "text"; readonly text: string }
  | {
      readonly kind: "expression";
      readonly source: string;
      /** 0-based position among the template's expressions. */
      readonly index: number;
      /** UTF-16 offset of the expression's first character in the template. */
      readonly offset: number;
    };

/** The parts of a template, or why it cannot be split into them. */
export type TemplateSyntaxResult =
  | { readonly ok: true; readonly parts: readonly TemplatePart[] }
  | { readonly ok: false; readonly message: string; readonly segmentIndex: number; readonly offset: number };

/**
 * Splits a string into literal text and `${{ expr }}` expressions. `$${{` stands for a literal
 * `${{`. An expression ends at the first `}}` that is outside its string literals, comments and
 * braces, so `${{ {"a": {"b": 1}} }}` holds one map. Adjacent literal text is merged.
 */
export function parseTemplate(text: string): TemplateSyntaxResult {
  const parts: TemplatePart[] = [];
  let literal = "";
  let index = 0;
  let segmentIndex = 0;
  while (index < text.length) {
    const dollar = text.indexOf("$", index);
    if (dollar === -1) {
      literal += text.slice(index);
      break;
    }
    literal += text.slice(index, dollar);
    if (text.startsWith(escapedOpen, dollar)) {
      literal += segmentOpen;
      index = dollar + escapedOpen.length;
      continue;
    }
    if (!text.startsWith(segmentOpen, dollar)) {
      literal += "$";
      index = dollar + 1;
      continue;
    }
    const start = dollar + segmentOpen.length;
    const end = closingIndex(text, start);
    if (end === undefined) {
      return {
        ok: false,
        message: `template segment ${segmentIndex} (offset ${start}): '${segmentOpen}' is not closed by '${segmentClose}'`,
        segmentIndex,
        offset: start,
      };
    }
    if (literal !== "") parts.push({ kind: "text", text: literal });
    literal = "";
    parts.push({ kind: "expression", source: text.slice(start, end), index: segmentIndex, offset: start });
    segmentIndex += 1;
    index = end + segmentClose.length;
  }
  if (literal !== "") parts.push({ kind: "text", text: literal });
  return { ok: true, parts };
}

function closingIndex(text: string, start: number): number | undefined {
  let depth = 0;
  for (const index of codeCharacters(text, start)) {
    const char = text.charAt(index);
    if (char === "{") depth += 1;
    else if (char === "}") {
      if (depth === 0 && text.charAt(index + 1) === "}") return index;
      if (depth > 0) depth -= 1;
    }
  }
  return undefined;
}
