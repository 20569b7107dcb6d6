import { evaluate, joinRendered, type EvaluationVariables, type JsonValue, type RenderedPiece, type RenderedText } from "../expr/index.ts";
import type { CompiledTemplate } from "../expr/templates.ts";

/** Where the scanner is in the template's JSON text. */
interface JsonScan {
  inString: boolean;
  escaped: boolean;
}

function advance(scan: JsonScan, text: string): void {
  for (const character of text) {
    if (scan.escaped) scan.escaped = false;
    else if (scan.inString && character === "\\") scan.escaped = true;
    else if (character === '"') scan.inString = !scan.inString;
  }
}

function textForm(value: JsonValue): string {
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

/**
 * Renders a connector body template into JSON text. Each `${{ expr }}` becomes data, never
 * syntax: inside a JSON string literal its text form is inserted escaped (quotes, backslashes,
 * control characters and all), elsewhere its JSON encoding is inserted (a string becomes a
 * quoted JSON string). So alert fields full of quotes, braces, template syntax, NUL or bidi
 * characters end up as exactly those characters in the parsed body. The result must parse as
 * JSON; otherwise the error says so (the template's own text is malformed). The body keeps each
 * inserted JSON text apart from the template's own (see {@link RenderedText}); JSON text never
 * uses `&`, `<` or `>` as syntax, so replacing them inside an inserted piece keeps it JSON.
 */
export function renderJsonBody(template: CompiledTemplate, variables: EvaluationVariables): { ok: true; body: RenderedText } | { ok: false; message: string } {
  const scan: JsonScan = { inString: false, escaped: false };
  const body: RenderedPiece[] = [];
  for (const part of template.parts) {
    if (part.kind === "text") {
      advance(scan, part.text);
      body.push({ text: part.text, inserted: false });
      continue;
    }
    if (scan.escaped) return { ok: false, message: `body: template segment ${part.index} follows a backslash inside a JSON string` };
    const result = evaluate(part.program, variables);
    if (!result.ok) return { ok: false, message: `body: template segment ${part.index}: ${result.message}` };
    body.push({ text: scan.inString ? JSON.stringify(textForm(result.value)).slice(1, -1) : JSON.stringify(result.value), inserted: true });
  }
  try {
    JSON.parse(joinRendered(body));
  } catch (error: unknown) {
    return { ok: false, message: `body: the rendered body is not valid JSON (${error instanceof SyntaxError ? error.message.slice(0, 200) : "parse error"})` };
  }
  return { ok: true, body };
}
