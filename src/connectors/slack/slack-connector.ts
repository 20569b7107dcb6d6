import { boundText, MAX_OUTPUT_VALUE_LENGTH } from "../../api/v1alpha1/bounds.ts";
import type { ConnectorTypeDefinition } from "../connector-type.ts";
import { connectorFailure } from "../connector-failure.ts";
import { checkUrl } from "../http/http-connector.ts";
import { parsedBody, unknownParams } from "../payload-body.ts";
import { escapeSlackText } from "./slack-markup.ts";

/** Longest message text sent to Slack (its documented limit for `text` is 40,000). */
const MAX_TEXT = 40_000;

/**
 * `slack`: posts to a Slack-compatible incoming webhook. A notify message is sent as
 * `{"text": message}`; a connector step's body must be a JSON object (blocks, attachments) and
 * is sent as it is. Values inserted by `${{ }}` are escaped for mrkdwn (see
 * {@link escapeSlackText}) unless the step sets `rawMarkup`. The answer's text becomes the
 * `response` output.
 */
export const slackConnector: ConnectorTypeDefinition = {
  escapeInserted: escapeSlackText,
  checkSpec(spec) {
    if (spec.method !== undefined && spec.method !== "POST") return "spec.method: a slack Connector posts: use POST";
    return checkUrl(spec);
  },
  prepareBody({ payload }) {
    const invalidParams = unknownParams("slack", payload, []);
    if (invalidParams !== undefined) return Promise.resolve(invalidParams);
    if (payload.kind === "message") return Promise.resolve({ ok: true, body: JSON.stringify({ text: boundText(payload.message, MAX_TEXT) }) });
    if (payload.body === undefined) return Promise.resolve(connectorFailure("InvalidRequest", "connector.body: a slack Connector needs a body (a JSON object such as {\"text\": ...})"));
    const parsed = parsedBody(payload.body);
    if (!parsed.ok) return Promise.resolve(parsed);
    if (typeof parsed.value !== "object" || parsed.value === null || Array.isArray(parsed.value)) {
      return Promise.resolve(connectorFailure("InvalidRequest", "connector.body: a slack message must be a JSON object"));
    }
    return Promise.resolve({ ok: true, body: payload.body });
  },
  outputs(response) {
    return { status: String(response.status), response: boundText(response.body, MAX_OUTPUT_VALUE_LENGTH) };
  },
};
