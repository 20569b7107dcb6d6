import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { ApiException, type KubeConfig } from "@kubernetes/client-node";

/** Query parameters of a request; undefined values are left out. */
export type QueryParams = Readonly<Record<string, string | undefined>>;

const maxErrorBodyBytes = 64 * 1024;

async function readBody(response: IncomingMessage, limitBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > limitBytes) break;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function headersOf(response: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

/**
 * Streaming GET requests to the API server of a KubeConfig's current context, with its TLS
 * settings and credentials (client certificates, tokens, exec plugins). client-node's
 * generated clients buffer whole responses, so list pages and watch streams go through this.
 * A non-2xx answer rejects with client-node's `ApiException` carrying the status and the
 * decoded `Status` body, so errors classify the same way as those of generated clients.
 */
export class KubeHttpClient {
  readonly #kubeConfig: KubeConfig;

  constructor(kubeConfig: KubeConfig) {
    this.#kubeConfig = kubeConfig;
  }

  /**
   * Opens `path` and resolves with the response stream once a 2xx status arrived. `accept` is
   * the media type asked for; the default is plain JSON of the resource's own kind.
   */
  async open(path: string, query: QueryParams, signal: AbortSignal, accept = "application/json"): Promise<IncomingMessage> {
    const cluster = this.#kubeConfig.getCurrentCluster();
    if (cluster === null) throw new Error("kubeconfig: no current cluster");
    const url = new URL(cluster.server.replace(/\/+$/, "") + path);
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(name, value);
    }
    const options: https.RequestOptions = { method: "GET", headers: { Accept: accept }, signal };
    await this.#kubeConfig.applyToHTTPSOptions(options);
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const request = (url.protocol === "http:" ? http : https).request(url, options, resolve);
      request.on("error", reject);
      request.end();
    });
    const status = response.statusCode ?? 0;
    if (status >= 200 && status < 300) return response;
    const body = parseJson(await readBody(response, maxErrorBodyBytes).catch(() => ""));
    throw new ApiException(status, `GET ${url.pathname} answered HTTP ${status}`, body, headersOf(response));
  }

  /** GETs `path` (asking for `accept`, a JSON media type) and decodes the JSON answer. */
  async getJson(path: string, query: QueryParams, signal: AbortSignal, accept?: string): Promise<unknown> {
    const response = await this.open(path, query, signal, accept);
    const text = await readBody(response, Number.POSITIVE_INFINITY);
    return JSON.parse(text) as unknown;
  }
}
