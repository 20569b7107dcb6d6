import type { ConnectorPayload } from "../connectors/index.ts";
import type { RenderedText } from "../expr/index.ts";

/** Rendered text made only of the Playbook's own text: nothing inserted. */
export function literalText(text: string): RenderedText {
  return [{ text, inserted: false }];
}

/** A notify step's payload whose message is `text`, with nothing inserted. */
export function messagePayload(text: string | RenderedText, rawMarkup = false): ConnectorPayload {
  return { kind: "message", message: typeof text === "string" ? literalText(text) : text, rawMarkup };
}

/** A connector step's payload with `body` (literal text when a string) and `params`. */
export function bodyPayload(body: string | RenderedText | undefined, params: Readonly<Record<string, string>> = {}, rawMarkup = false): ConnectorPayload {
  if (body === undefined) return { kind: "body", params, rawMarkup };
  return { kind: "body", body: typeof body === "string" ? literalText(body) : body, params, rawMarkup };
}
