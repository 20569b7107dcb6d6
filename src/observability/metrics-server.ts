import type { IncomingMessage, ServerResponse } from "node:http";
import { isIP } from "node:net";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { startHttpListener, type HttpListener, type ListenerTls } from "./http-listener.ts";
import { warnWhileUnauthenticated } from "./unauthenticated-warning.ts";

/**
 * What the check of a bearer token says about a scrape: `unauthenticated` (the token is not
 * valid), `forbidden` (valid, but its user may not read `/metrics`), `unavailable` (the check
 * could not be made: never taken as an allow).
 */
export type MetricsAccessDecision = "allowed" | "unauthenticated" | "forbidden" | "unavailable";

/** Decides whether the holder of a bearer token may read `/metrics`; never rejects. */
export interface MetricsAccess {
  decide(token: string): Promise<MetricsAccessDecision>;
}

/** The running metrics server. */
export type MetricsServer = HttpListener;

/** Options of {@link startMetricsServer}. */
export interface MetricsServerOptions {
  host: string;
  port: number;
  registry: Registry;
  /** HTTPS with these files; plain HTTP without. */
  tls?: ListenerTls | undefined;
  /** Checks each scrape's bearer token; undefined serves `/metrics` to anyone who reaches it. */
  access: MetricsAccess | undefined;
  logger: Logger;
  /** How often serving without authentication on a non-loopback address is warned about again. */
  unauthenticatedWarningMs?: number;
}

const refusals = {
  unauthenticated: { status: 401, text: "unauthorized: send Authorization: Bearer <token> with a valid token\n" },
  forbidden: { status: 403, text: "forbidden: the token's user may not get /metrics\n" },
  unavailable: { status: 503, text: "the token could not be checked; try again\n" },
} as const;

/** Whether `host` names only this machine: `localhost`, 127.0.0.0/8, `::1` (an empty or wildcard host is every interface). */
export function isLoopbackHost(host: string): boolean {
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return host === "::1" || host.toLowerCase() === "::ffff:127.0.0.1";
}

/** The token of an `Authorization: Bearer <token>` header, or undefined for any other header or none. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? "");
  return match?.[1];
}

function refuse(response: ServerResponse, decision: keyof typeof refusals): void {
  const { status, text } = refusals[decision];
  const headers: Record<string, string> = { "content-type": "text/plain", connection: "close" };
  if (status === 401) headers["www-authenticate"] = 'Bearer realm="kube-soar metrics"';
  if (status === 503) headers["retry-after"] = "5";
  response.writeHead(status, headers).end(text);
}

async function answer(options: MetricsServerOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = (request.url ?? "/").split("?")[0];
  if (path !== "/metrics") {
    response.writeHead(404, { connection: "close" }).end();
    return;
  }
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.writeHead(405, { allow: "GET, HEAD", connection: "close" }).end();
    return;
  }
  if (options.access !== undefined) {
    const token = bearerToken(request.headers.authorization);
    const decision = token === undefined ? "unauthenticated" : await options.access.decide(token);
    if (decision !== "allowed") {
      refuse(response, decision);
      return;
    }
  }
  const text = await options.registry.metrics();
  response.writeHead(200, { "content-type": options.registry.contentType }).end(request.method === "HEAD" ? undefined : text);
}

function sayHowItIsServed(options: MetricsServerOptions, port: number): (() => void) | undefined {
  const { logger, host } = options;
  const tls = options.tls !== undefined;
  logger.info({ host, port, tls, authentication: options.access === undefined ? "none" : "kubernetes" }, "metrics listening");
  if (options.access !== undefined) {
    if (!tls) logger.warn("metrics are served over plain HTTP: scrapers' bearer tokens travel unencrypted; set --metrics-tls-cert-file and --metrics-tls-key-file to serve HTTPS");
    return undefined;
  }
  if (isLoopbackHost(host)) {
    logger.info(`metrics are served without authentication (--metrics-auth none) on the loopback address ${host}: only processes of this host reach them`);
    return undefined;
  }
  return warnWhileUnauthenticated(
    logger,
    `metrics are served without authentication (--metrics-auth none) on ${host}: anyone who reaches it reads the operator's metrics`,
    options.unauthenticatedWarningMs,
  );
}

/**
 * Serves `GET /metrics` (the one registry) on a listener of its own, everything else 404 and
 * other methods 405. With `access`, a scrape needs `Authorization: Bearer <token>`: 401 without
 * one or when the token is not valid, 403 when its user may not read `/metrics`, 503 when the
 * check cannot be made; a refused request is answered with `Connection: close`, its body never
 * read. How it serves is logged at start: without TLS, that tokens travel unencrypted; without
 * `access`, that anyone who reaches it reads the metrics (on a loopback address once, at info;
 * elsewhere a warning at start and every `unauthenticatedWarningMs` while it runs).
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const listener = await startHttpListener({
    host: options.host,
    port: options.port,
    tls: options.tls,
    handler: (request, response) => {
      answer(options, request, response).catch((error: unknown) => {
        options.logger.error({ err: error }, "metrics request failed");
        if (response.headersSent) response.destroy();
        else response.writeHead(500, { connection: "close" }).end();
      });
    },
  });
  const stopWarning = sayHowItIsServed(options, listener.port);
  return {
    port: listener.port,
    address: listener.address,
    close: async () => {
      stopWarning?.();
      await listener.close();
    },
  };
}
