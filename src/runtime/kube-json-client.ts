import http from "node:http";
import https from "node:https";
import { ApiException, type KubeConfig } from "@kubernetes/client-node";

/** HTTP methods of {@link KubeJsonClient}. */
export type WriteMethod = "GET" | "POST" | "PUT" | "PATCH";

/** Media types of a PATCH body, by the patch strategy the API server applies. */
export const PatchType = {
  /** RFC 6902: a list of operations, `test` among them, applied in order; all or nothing. */
  JsonPatch: "application/json-patch+json",
  /** RFC 7386: an object merged into the stored one; `null` removes a member. */
  MergePatch: "application/merge-patch+json",
} as const;
/** One of the patch media types. */
export type PatchType = (typeof PatchType)[keyof typeof PatchType];

const maxResponseBytes = 16 * 1024 * 1024;

/** Also the field manager name the API server records for these writes. */
export const USER_AGENT = "kube-soar";

function headersOf(response: http.IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function timeoutError(method: string, path: string, timeoutMs: number): Error {
  return Object.assign(new Error(`${method} ${path}: no answer within ${String(timeoutMs)} ms`), { code: "ETIMEDOUT" });
}

/**
 * JSON requests to the API server of a KubeConfig's current context over kept-alive
 * connections, for the hot paths (Incident writes, status writes, Events): plain `node:https`
 * and `JSON.parse`, without the generated clients' model (de)serialisation and fetch streams.
 * Reuses up to `maxSockets` connections. Credentials are applied per request (so refreshed
 * tokens are used); TLS material is read once. A non-2xx answer rejects with client-node's
 * `ApiException` (status and decoded `Status` body), network failures and timeouts with their
 * `code`, so errors classify exactly like those of the generated clients.
 */
export class KubeJsonClient {
  readonly #kubeConfig: KubeConfig;
  readonly #maxSockets: number;
  readonly #timeoutMs: number;
  readonly #userAgent: string;
  #agent: http.Agent | undefined;

  /** `userAgent` (default {@link USER_AGENT}) also names the field manager of the writes. */
  constructor(kubeConfig: KubeConfig, options: { maxSockets: number; timeoutMs?: number; userAgent?: string }) {
    this.#kubeConfig = kubeConfig;
    this.#maxSockets = options.maxSockets;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#userAgent = options.userAgent ?? USER_AGENT;
  }

  /**
   * Sends `body` (when given) as JSON, or for a PATCH as the `patchType` it is, and resolves with
   * the decoded JSON answer.
   */
  async request(method: WriteMethod, path: string, body?: unknown, patchType: PatchType = PatchType.MergePatch): Promise<unknown> {
    const cluster = this.#kubeConfig.getCurrentCluster();
    if (cluster === null) throw new Error("kubeconfig: no current cluster");
    const url = new URL(cluster.server.replace(/\/+$/, "") + path);
    const options: https.RequestOptions = {};
    await this.#kubeConfig.applyToHTTPSOptions(options);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), "utf8");
    const secure = url.protocol === "https:";
    const requestOptions: https.RequestOptions = {
      method,
      agent: this.#agentFor(secure, options),
      headers: {
        ...(options.headers as Record<string, string> | undefined),
        Accept: "application/json",
        "User-Agent": this.#userAgent,
        ...(payload === undefined ? {} : { "Content-Type": method === "PATCH" ? patchType : "application/json", "Content-Length": String(payload.length) }),
      },
    };
    if (options.auth !== undefined) requestOptions.auth = options.auth;
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const request = (secure ? https : http).request(url, requestOptions, resolve);
      request.setTimeout(this.#timeoutMs, () => {
        request.destroy(timeoutError(method, url.pathname, this.#timeoutMs));
      });
      request.on("error", reject);
      request.end(payload);
    });
    const text = await this.#readText(response);
    const status = response.statusCode ?? 0;
    if (status >= 200 && status < 300) return JSON.parse(text) as unknown;
    throw new ApiException(status, `${method} ${url.pathname} answered HTTP ${String(status)}`, parsed(text), headersOf(response));
  }

  /** Closes idle connections; in-flight requests finish. */
  close(): void {
    this.#agent?.destroy();
    this.#agent = undefined;
  }

  #agentFor(secure: boolean, options: https.RequestOptions): http.Agent {
    if (this.#agent !== undefined) return this.#agent;
    const common = { keepAlive: true, maxSockets: this.#maxSockets, maxFreeSockets: this.#maxSockets };
    this.#agent = secure
      ? new https.Agent({
          ...common,
          ...(options.ca === undefined ? {} : { ca: options.ca }),
          ...(options.cert === undefined ? {} : { cert: options.cert }),
          ...(options.key === undefined ? {} : { key: options.key }),
          ...(options.pfx === undefined ? {} : { pfx: options.pfx }),
          ...(options.passphrase === undefined ? {} : { passphrase: options.passphrase }),
          ...(options.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: options.rejectUnauthorized }),
          ...(options.servername === undefined ? {} : { servername: options.servername }),
        })
      : new http.Agent(common);
    return this.#agent;
  }

  async #readText(response: http.IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      size += buffer.length;
      if (size > maxResponseBytes) {
        response.destroy();
        throw new Error(`response larger than ${String(maxResponseBytes)} bytes`);
      }
      chunks.push(buffer);
    }
    return Buffer.concat(chunks, size).toString("utf8");
  }
}
