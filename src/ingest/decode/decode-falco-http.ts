import type { CloudEventEnvelope } from "./cloudevent-envelope.ts";
import { messageShape } from "./content-modes.ts";
import { decodeHttpCloudEventsFromMap } from "./decode-http-cloudevents.ts";
import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from "./decode-limits.ts";
import { falcoEnvelope } from "./falco-event.ts";
import { readHeaders, type HeaderSource } from "./header-map.ts";
import { accept, reject, RejectReason, type Result } from "../rejection.ts";
import { parseJsonBytes } from "./safe-json.ts";

/**
 * Decodes a Falco alert posted over HTTP: Falcosidekick's CloudEvents output (binary or
 * structured, decoded exactly as `decodeHttpCloudEvents` does) or plain Falco JSON (Falco's
 * own http_output, Falcosidekick's webhook output), wrapped as a `falco.rule.output.v1` event.
 */
export function decodeFalcoHttp(headers: HeaderSource, body: Uint8Array, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): Result<readonly CloudEventEnvelope[]> {
  const read = readHeaders(headers, limits, "http");
  if (!read.ok) return read;
  if (messageShape(read.value) !== "none") return decodeHttpCloudEventsFromMap(read.value, body, limits);
  if (body.byteLength > limits.maxBytes) {
    return reject(RejectReason.TooLarge, "body", `body is ${body.byteLength} bytes, more than the limit of ${limits.maxBytes} bytes`);
  }
  const parsed = parseJsonBytes(body, limits, "");
  if (!parsed.ok) return parsed;
  const event = falcoEnvelope(parsed.value, body, limits);
  return event.ok ? accept([event.value]) : event;
}
