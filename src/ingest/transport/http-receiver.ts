import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { ReceiverOptions } from "../../config/options.ts";
import { receiverAuthenticationProblem } from "../../config/receiver-authentication.ts";
import type { CloudEventEnvelope } from "../decode/cloudevent-envelope.ts";
import type { HeaderValue } from "../decode/header-map.ts";
import { TokenFileAuthenticator } from "./http-auth.ts";
import { InflightBudget, type BudgetAmount } from "../inflight-budget.ts";
import { readBody, reservedBodyBytes } from "./http-body.ts";
import { sendError, sendJson, statusForReason, type ErrorBody } from "./http-response.ts";
import type { IntakeMetrics } from "../intake-metrics.ts";
import { EventTooLargeError, type EventPublisher } from "./nats-publisher.ts";
import type { Result } from "../rejection.ts";
import { RefusalLog } from "./refusal-log.ts";
import { startHttpListener } from "../../observability/http-listener.ts";
import { warnWhileUnauthenticated } from "../../observability/unauthenticated-warning.ts";
import { EventLoopTurns } from "../../runtime/event-loop-turns.ts";

/**
 * Request headers by lower-case name. The receiver hands its decoders every value of a header
 * (Node's `headersDistinct`), so that a header given more than once is seen, not joined.
 */
export type RequestHeaders = Readonly<Record<string, HeaderValue>>;

/** Decodes one request body into the events it carries, or says why it is refused. */
export type RouteDecoder = (headers: RequestHeaders, body: Uint8Array) => Result<readonly CloudEventEnvelope[]>;

/** The receiver's POST endpoints, each with its decoder and the subject kind its events are stored under. */
export interface ReceiverRoutes {
  /** `POST /events`: CloudEvents in binary, structured or batch mode. */
  events: RouteDecoder;
  /** `POST /alertmanager`: Alertmanager webhook version 4. */
  alertmanager: RouteDecoder;
  /** `POST /falco`: plain Falco JSON or Falcosidekick's CloudEvents output. */
  falco: RouteDecoder;
}

const UNAUTHENTICATED_WARNING = "receiver accepts unauthenticated requests (--receiver-allow-unauthenticated): anyone who reaches it can open Incidents and start Playbooks";

/**
 * The kind of events each endpoint `/<route>` accepts, which names the subject they are
 * stored under (`soar.events.http.<kind>`).
 */
export const RECEIVER_ROUTE_KINDS: Readonly<Record<keyof ReceiverRoutes, string>> = {
  events: "cloudevent",
  alertmanager: "alertmanager",
  falco: "falco",
};

const routeKinds: Readonly<Record<string, { route: keyof ReceiverRoutes; kind: string }>> = Object.fromEntries(
  (Object.entries(RECEIVER_ROUTE_KINDS) as [keyof ReceiverRoutes, string][]).map(([route, kind]) => [`/${route}`, { route, kind }]),
);

/** Options of {@link startHttpReceiver}. */
export interface HttpReceiverOptions {
  receiver: ReceiverOptions;
  routes: ReceiverRoutes;
  publisher: EventPublisher;
  logger: Logger;
  metrics: IntakeMetrics;
  /** Turns decoding waits for, shared with the rest of intake; a private queue when absent. */
  turns?: EventLoopTurns;
  /** How often the token file is checked for changes. */
  tokenRefreshMs?: number;
  /** How often running without authentication is warned about again; default `UNAUTHENTICATED_WARNING_INTERVAL_MS`. */
  unauthenticatedWarningMs?: number;
}

/** A running receiver. */
export interface HttpReceiver {
  /** The bound address (useful with port 0). */
  address(): AddressInfo;
  /** POSTs being handled and the body bytes reserved for them. */
  inflight(): BudgetAmount;
  /** Stops accepting connections and closes idle and open ones; idempotent. */
  close(): Promise<void>;
}

function pathOf(url: string | undefined): string {
  const raw = url ?? "/";
  const query = raw.indexOf("?");
  return query === -1 ? raw : raw.slice(0, query);
}

/**
 * Serves the alert receiver: `POST /events`, `POST /alertmanager`, `POST /falco` and
 * `GET /healthz`. A POST is answered 202 only after every event it carries is stored in
 * JetStream; 401 without an accepted token (`Bearer <token>`, or `Basic` with any user name
 * and a token as password), 413 above the body limit or for an event too large to store once
 * encoded (never stored, so never worth a retry), 415 for an unsupported content type, 400 for
 * any other invalid input (a `ce-*` header given more than once among them), each with
 * `{ "error": { reason, field, message } }` and logged through a {@link RefusalLog}; 503 when
 * NATS cannot store events. A request refused before its body is read (401, 404, 405) is
 * answered with `Connection: close` and its body is never read. At most `maxInflight.count` POSTs
 * reserving at most `maxInflight.bytes` of body (their `Content-Length`, or `maxBodyBytes` when
 * the length is not declared) are handled at once, from authentication until answered: beyond
 * that a POST is answered 503 `receiver-busy` with `Retry-After` and `Connection: close`, its
 * body unread, so that load beyond the bound costs no memory. Rejects without a token file
 * unless `allowUnauthenticated`, which is warned about at start and every
 * `unauthenticatedWarningMs` while it runs. Resolves once listening.
 */
export async function startHttpReceiver(options: HttpReceiverOptions): Promise<HttpReceiver> {
  const { receiver, logger } = options;
  const unauthenticated = receiverAuthenticationProblem(receiver);
  if (unauthenticated !== undefined) throw new Error(unauthenticated);
  const authenticator = receiver.tokenFile === undefined ? undefined : new TokenFileAuthenticator(receiver.tokenFile, logger);
  const refusals = new RefusalLog(logger);
  const budget = new InflightBudget(receiver.maxInflight);
  const turns = options.turns ?? new EventLoopTurns();
  const handler = (request: IncomingMessage, response: ServerResponse): void => {
    handle({ ...options, turns }, authenticator, refusals, budget, request, response).catch((error: unknown) => {
      logger.error({ err: error }, "receiver request failed");
      if (!response.headersSent) {
        sendError(response, 500, { reason: "internal", field: "", message: "the request could not be processed" }, { close: true });
      } else {
        response.destroy();
      }
    });
  };
  const listener = await startHttpListener({
    host: receiver.host,
    port: receiver.port,
    tls: receiver.tls,
    handler,
    onError: (error) => {
      logger.error({ err: error }, "receiver server error");
    },
  });
  const refresh = authenticator === undefined ? undefined : setInterval(() => {
    authenticator.refresh();
  }, options.tokenRefreshMs ?? 2_000);
  refresh?.unref();
  const { address } = listener;
  logger.info({ host: address.address, port: address.port, tls: receiver.tls !== undefined, authenticated: authenticator !== undefined }, "receiver listening");
  const stopWarning = authenticator === undefined ? warnWhileUnauthenticated(logger, UNAUTHENTICATED_WARNING, options.unauthenticatedWarningMs) : undefined;
  return {
    address: () => address,
    inflight: () => budget.used,
    close: () => {
      clearInterval(refresh);
      stopWarning?.();
      return listener.close();
    },
  };
}

async function handle(
  options: HttpReceiverOptions & { turns: EventLoopTurns },
  authenticator: TokenFileAuthenticator | undefined,
  refusals: RefusalLog,
  budget: InflightBudget,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const path = pathOf(request.url);
  const refuse = (status: number, error: ErrorBody["error"], logReason: string, answer: { close?: boolean; headers?: Record<string, string> } = {}): void => {
    refusals.refused({ reason: logReason, status, remoteAddress: request.socket.remoteAddress, path: path.slice(0, 128), message: error.message });
    sendError(response, status, error, answer);
  };
  if (path === "/healthz") {
    if (request.method !== "GET" && request.method !== "HEAD") {
      refuse(405, { reason: "method-not-allowed", field: "method", message: "method: /healthz accepts GET" }, "method-not-allowed", { headers: { Allow: "GET, HEAD" } });
      return;
    }
    const nats = options.publisher.available();
    sendJson(response, 200, { status: "ok", nats: nats ? "connected" : "disconnected" });
    return;
  }
  const target = routeKinds[path];
  // Refusals before authentication never read the body: the connection is closed under it.
  if (target === undefined) {
    refuse(404, { reason: "not-found", field: "path", message: `path: ${JSON.stringify(path.slice(0, 128))} is not an endpoint of this receiver` }, "not-found", { close: true });
    return;
  }
  if (request.method !== "POST") {
    refuse(405, { reason: "method-not-allowed", field: "method", message: `method: ${path} accepts POST` }, "method-not-allowed", { close: true, headers: { Allow: "POST" } });
    return;
  }
  if (authenticator !== undefined) {
    const auth = authenticator.check(request.headers.authorization);
    if (!auth.ok) {
      options.metrics.rejected.inc({ reason: "unauthorized" });
      refuse(401, { reason: "unauthorized", field: "Authorization", message: auth.message }, auth.refusal, {
        close: true,
        headers: { "WWW-Authenticate": 'Bearer realm="kube-soar", Basic realm="kube-soar"' },
      });
      return;
    }
  }
  if (!options.publisher.available()) {
    request.resume();
    sendUnavailable(response);
    return;
  }
  const lease = budget.tryTake(1, reservedBodyBytes(request, options.receiver.maxBodyBytes));
  if (lease === undefined) {
    options.metrics.receiverBusy.inc();
    sendError(
      response,
      503,
      { reason: "receiver-busy", field: "body", message: "body: the receiver is handling as many requests as it may hold; retry later" },
      { close: true, headers: { "Retry-After": "1" } },
    );
    return;
  }
  try {
    await accept(options, refuse, target, request, response);
  } finally {
    lease.release();
  }
}

async function accept(
  options: HttpReceiverOptions & { turns: EventLoopTurns },
  refuse: (status: number, error: ErrorBody["error"], logReason: string, answer?: { close?: boolean }) => void,
  target: { route: keyof ReceiverRoutes; kind: string },
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const body = await readBody(request, options.receiver.maxBodyBytes);
  if (!body.ok) {
    const reason = body.status === 413 ? "too-large" : "invalid-request";
    options.metrics.rejected.inc({ reason });
    refuse(body.status, { reason, field: "body", message: body.message }, reason, { close: true });
    return;
  }
  // Decoding a large body is long synchronous work: each waits for an event-loop turn of its own.
  await options.turns.next();
  const decoded = options.routes[target.route](request.headersDistinct, body.body);
  if (!decoded.ok) {
    options.metrics.rejected.inc({ reason: decoded.reason });
    refuse(statusForReason(decoded.reason), { reason: decoded.reason, field: decoded.field, message: decoded.message }, decoded.reason);
    return;
  }
  try {
    const outcome = await options.publisher.publish(target.kind, decoded.value);
    sendJson(response, 202, { accepted: decoded.value.length, stored: outcome.stored, duplicates: outcome.duplicates });
  } catch (error: unknown) {
    if (error instanceof EventTooLargeError) {
      options.metrics.rejected.inc({ reason: "too-large" });
      refuse(413, { reason: "too-large", field: "body", message: error.message }, "too-large");
      return;
    }
    options.logger.warn({ err: error, path: pathOf(request.url) }, "receiver could not store events");
    sendUnavailable(response);
  }
}

function sendUnavailable(response: ServerResponse): void {
  sendError(
    response,
    503,
    { reason: "nats-unavailable", field: "nats", message: "nats: the event store is unavailable; retry later" },
    { headers: { "Retry-After": "5" } },
  );
}
