import type { ServerResponse } from "node:http";

/** The body of every 4xx/5xx answer of the receiver. */
export interface ErrorBody {
  error: { reason: string; field: string; message: string };
}

/** Writes a JSON answer; `Connection: close` when the request body was not fully read. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  options: { close?: boolean; headers?: Record<string, string> } = {},
): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    ...options.headers,
  };
  if (options.close === true) headers.Connection = "close";
  response.writeHead(status, headers);
  response.end(text);
}

/** Writes `{ "error": { reason, field, message } }` with the status. */
export function sendError(
  response: ServerResponse,
  status: number,
  error: ErrorBody["error"],
  options: { close?: boolean; headers?: Record<string, string> } = {},
): void {
  sendJson(response, status, { error } satisfies ErrorBody, options);
}

/** The HTTP status for a decoder rejection reason: 413 too large, 415 content type, else 400. */
export function statusForReason(reason: string): number {
  if (reason === "too-large") return 413;
  if (reason === "unsupported-content-type") return 415;
  return 400;
}
