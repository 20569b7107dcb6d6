import http from "node:http";
import https from "node:https";
import { CliFailure } from "../cli-errors.ts";
import { printable } from "../terminal-text.ts";
import type { AlertPayload } from "./alert-payload.ts";

/** How to reach the receiver. */
export interface HttpTarget {
  /** The receiver's URL; its endpoint for the payload's format is added when the URL has no path. */
  readonly url: string;
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token: string | undefined;
  /** PEM certificates to trust for an https URL, besides the system's. */
  readonly ca: Buffer | undefined;
  readonly timeoutMs: number;
}

/** The URL a payload is POSTed to: `target` itself when it names a path, else its endpoint for the payload's format. */
export function endpointUrl(target: string, payload: AlertPayload): URL {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new CliFailure(`--http ${JSON.stringify(target)}: not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new CliFailure(`--http ${JSON.stringify(target)}: expected an http or https URL`);
  if (url.pathname === "/" || url.pathname === "") url.pathname = payload.path;
  return url;
}

/**
 * POSTs the payload to the receiver and resolves with the status line it answered; a non-2xx
 * answer or a failed connection throws a `CliFailure` with the receiver's answer (cut and made
 * printable). Follows no redirect.
 */
export async function sendHttp(payload: AlertPayload, target: HttpTarget): Promise<{ url: URL; status: string }> {
  const url = endpointUrl(target.url, payload);
  const headers: Record<string, string> = { "Content-Type": payload.contentType, "Content-Length": String(payload.body.length) };
  if (target.token !== undefined) headers.Authorization = `Bearer ${target.token}`;
  const secure = url.protocol === "https:";
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const request = (secure ? https : http).request(url, { method: "POST", headers, ...(secure && target.ca !== undefined ? { ca: target.ca } : {}) }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => { resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }); });
      response.on("error", reject);
    });
    request.setTimeout(target.timeoutMs, () => request.destroy(new Error(`no answer within ${String(target.timeoutMs)} ms`)));
    request.on("error", reject);
    request.end(payload.body);
  }).catch((error: unknown) => {
    throw new CliFailure(`POST ${url.href}: ${error instanceof Error ? error.message : String(error)}`);
  });
  const line = `${String(status)} ${http.STATUS_CODES[status] ?? ""}`.trim();
  if (status < 200 || status >= 300) throw new CliFailure(`POST ${url.href}: the receiver answered ${line}: ${printable(text.trim(), 300)}`);
  return { url, status: line };
}
