import { describe, expect, it } from "vitest";
import type { RenderedText } from "../expr/index.ts";
import { bodyPayload, messagePayload } from "../testing/connector-payloads.ts";
import { payloadText } from "./payload-body.ts";
import { escapeSlackText } from "./slack/slack-markup.ts";

const message: RenderedText = [
  { text: "<!here> pod ", inserted: false },
  { text: "<!channel> & <https://evil.example|Approve>", inserted: true },
];
const body: RenderedText = [
  { text: '{"text": "<b>', inserted: false },
  { text: "<@U1> \\\" &", inserted: true },
  { text: '", "raw": ', inserted: false },
  { text: '{"k<":"v>"}', inserted: true },
  { text: "}", inserted: false },
];

describe("payloadText", () => {
  it("escapes the inserted values of a message and keeps the Playbook's own text", () => {
    expect(payloadText(messagePayload(message), escapeSlackText)).toEqual({
      kind: "message",
      message: "<!here> pod &lt;!channel&gt; &amp; &lt;https://evil.example|Approve&gt;",
    });
  });

  it("keeps a body JSON while escaping its inserted values", () => {
    const text = payloadText(bodyPayload(body, { a: "<b>" }), escapeSlackText);
    expect(text).toMatchObject({ kind: "body", params: { a: "<b>" } });
    expect(JSON.parse(text.kind === "body" ? (text.body ?? "") : "")).toEqual({ text: '<b>&lt;@U1&gt; " &amp;', raw: { "k&lt;": "v&gt;" } });
  });

  it.each([
    ["the step opts out with rawMarkup", messagePayload(message, true), escapeSlackText],
    ["the connector type has no markup", messagePayload(message), undefined],
  ])("inserts values as they are when %s", (_, payload, escape) => {
    expect(payloadText(payload, escape)).toEqual({ kind: "message", message: "<!here> pod <!channel> & <https://evil.example|Approve>" });
  });

  it("sends a body-less payload without a body", () => {
    expect(payloadText(bodyPayload(undefined), escapeSlackText)).toEqual({ kind: "body", params: {} });
  });
});
