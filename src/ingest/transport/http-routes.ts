import type { IncomingHttpHeaders } from "node:http";
import { decodeAlertmanagerWebhook } from "../decode/decode-alertmanager-webhook.ts";
import { decodeFalcoHttp } from "../decode/decode-falco-http.ts";
import { decodeHttpCloudEvents } from "../decode/decode-http-cloudevents.ts";
import type { DecodeLimits } from "../decode/decode-limits.ts";
import type { ReceiverRoutes } from "./http-receiver.ts";
import { CONTENT_TYPE_HEADER } from "../decode/header-map.ts";
import { contentModeOf, dataFormatOf, parseMediaType } from "../decode/media-type.ts";
import { reject, RejectReason, type Rejection } from "../rejection.ts";

function contentTypeOf(headers: IncomingHttpHeaders): string | undefined {
  return headers["content-type"];
}

function hasCloudEventHeaders(headers: IncomingHttpHeaders): boolean {
  return Object.keys(headers).some((name) => name.toLowerCase().startsWith("ce-"));
}

/**
 * Undefined when the request declares a JSON body (`application/json`, `text/json`, `+json`) in
 * UTF-8; otherwise a rejection naming the `content-type` header (answered 415).
 */
export function requireJsonBody(headers: IncomingHttpHeaders, endpoint: string): Rejection | undefined {
  const contentType = contentTypeOf(headers);
  const mediaType = contentType === undefined ? undefined : parseMediaType(contentType);
  if (mediaType !== undefined && dataFormatOf(mediaType) === "json") return undefined;
  const shown = contentType === undefined ? "absent" : JSON.stringify(contentType.slice(0, 64));
  return reject(RejectReason.UnsupportedContentType, CONTENT_TYPE_HEADER, `${CONTENT_TYPE_HEADER} is ${shown}; ${endpoint} accepts application/json`);
}

/**
 * The receiver's decoders: `/events` takes any CloudEvents content mode; `/alertmanager` takes
 * a JSON webhook body; `/falco` takes Falcosidekick's CloudEvents (binary or structured) or a
 * JSON Falco alert.
 */
export function receiverRoutes(limits: DecodeLimits): ReceiverRoutes {
  return {
    events: (headers, body) => decodeHttpCloudEvents(headers, body, limits),
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
