import http, { type IncomingMessage } from "node:http";
import https from "node:https";

/** One HTTP request, ready to send. */
export interface OutgoingRequest {
  readonly url: URL;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly agent: http.Agent;
}

/** A response, with its body read up to a limit. */
export interface IncomingResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** True when the body was longer than the limit and was cut. */
  readonly truncated: boolean;
}

function flatHeaders(response: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

async function readLimited(response: IncomingMessage, limitBytes: number): Promise<{ body: string; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    if (size + buffer.length > limitBytes) {
      chunks.push(buffer.subarray(0, limitBytes - size));
      response.destroy();
      return { body: Buffer.concat(chunks).toString("utf8"), truncated: true };
    }
    size += buffer.length;
    chunks.push(buffer);
  }
  return { body: Buffer.concat(chunks).toString("utf8"), truncated: false };
}

/**
 * Sends one request through `request.agent` (keep-alive pooled connections) and reads at most
 * `limitBytes` of the answer. Redirects are never followed: a 3xx is the answer, judged like any
 * other status, so a redirect cannot lead a call to a destination the agent's lookup never checked. Rejects with the socket, TLS or abort error as Node reports it;
 * `signal` covers connecting, sending and reading.
 */
export async function sendRequest(request: OutgoingRequest, limitBytes: number, signal: AbortSignal): Promise<IncomingResponse> {
  const module = request.url.protocol === "http:" ? http : https;
  const headers = { ...request.headers, ...(request.body === undefined ? {} : { "Content-Length": String(Buffer.byteLength(request.body)) }) };
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const outgoing = module.request(request.url, { method: request.method, headers, agent: request.agent, signal }, resolve);
    outgoing.on("error", reject);
    outgoing.end(request.body);
  });
  const { body, truncated } = await readLimited(response, limitBytes);
  return { status: response.statusCode ?? 0, headers: flatHeaders(response), body, truncated };
}
