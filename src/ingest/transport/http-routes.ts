import { decodeAlertmanagerWebhook } from "../decode/decode-alertmanager-webhook.ts";
import { decodeFalcoHttp } from "../decode/decode-falco-http.ts";
import { decodeHttpCloudEvents } from "../decode/decode-http-cloudevents.ts";
import type { DecodeLimits } from "../decode/decode-limits.ts";
import type { ReceiverRoutes, RequestHeaders } from "./http-receiver.ts";
import { CE_HEADER_PREFIX, CONTENT_TYPE_HEADER } from "../decode/header-map.ts";
import { contentModeOf, dataFormatOf, parseMediaType } from "../decode/media-type.ts";
import { reject, RejectReason, type Rejection } from "../rejection.ts";

function contentTypeOf(headers: RequestHeaders): string | undefined {
  const value = headers[CONTENT_TYPE_HEADER];
  return typeof value === "string" ? value : value?.[0];
}

function hasCloudEventHeaders(headers: RequestHeaders): boolean {
  return Object.keys(headers).some((name) => name.toLowerCase().startsWith(CE_HEADER_PREFIX));
}

/**
 * Undefined when the request declares a JSON body (`application/json`, `text/json`, `+json`,
 * which takes in `application/cloudevents+json` and `application/cloudevents-batch+json`) in
 * UTF-8; otherwise a rejection naming the `content-type` header (answered 415) and saying what
 * `endpoint` accepts.
 */
export function requireJsonBody(headers: RequestHeaders, endpoint: string, accepted = "application/json"): Rejection | undefined {
  const contentType = contentTypeOf(headers);
  const mediaType = contentType === undefined ? undefined : parseMediaType(contentType);
  if (mediaType !== undefined && dataFormatOf(mediaType) === "json") return undefined;
  const shown = contentType === undefined ? "absent" : JSON.stringify(contentType.slice(0, 64));
  return reject(RejectReason.UnsupportedContentType, CONTENT_TYPE_HEADER, `${CONTENT_TYPE_HEADER} is ${shown}; ${endpoint} accepts ${accepted}`);
}

/**
 * The receiver's decoders: `/events` takes CloudEvents in binary mode (any data content type:
 * the `ce-*` headers already make it a request a browser preflights) or a JSON body (structured,
 * batch, or JSON with `specversion`); `/alertmanager` takes a JSON webhook body; `/falco` takes
 * Falcosidekick's CloudEvents (binary or structured) or a JSON Falco alert. A body of any other
 * media type, such as `text/plain` or a form (what a cross-site page can send without a
 * preflight), is refused with 415.
 */
export function receiverRoutes(limits: DecodeLimits): ReceiverRoutes {
  return {
    events: (headers, body) =>
      (hasCloudEventHeaders(headers) ? undefined : requireJsonBody(headers, "/events", "application/cloudevents+json, application/cloudevents-batch+json or application/json"))
      ?? decodeHttpCloudEvents(headers, body, limits),
    alertmanager: (headers, body) => requireJsonBody(headers, "/alertmanager") ?? decodeAlertmanagerWebhook(body, limits),
    falco: (headers, body) => {
      const contentType = contentTypeOf(headers);
      const mode = contentModeOf(contentType === undefined ? undefined : parseMediaType(contentType));
      if (mode === "none" && !hasCloudEventHeaders(headers)) {
        const problem = requireJsonBody(headers, "/falco");
        if (problem !== undefined) return problem;
      }
      return decodeFalcoHttp(headers, body, limits);
    },
  };
}
