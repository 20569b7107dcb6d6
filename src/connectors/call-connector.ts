import type { Logger } from "pino";
import { parseDuration } from "../api/duration.ts";
import { redactSecrets } from "../redaction/free-text.ts";
import type { DestinationPolicy } from "../policy/destination-policy.ts";
import { sleep, type RuntimeClock } from "../runtime/clock.ts";
import { createAgentPool, type AgentPool, type TlsMaterial } from "./agent-pool.ts";
import { checkedLookup, DestinationRefusedError, ipLiteralHost, type Resolver } from "./checked-lookup.ts";
import type { ConnectorCallContext, ConnectorCallResult } from "./connector-contract.ts";
import { connectorFailure, type ConnectorFailure } from "./connector-failure.ts";
import type { ConnectorTypeDefinition } from "./connector-type.ts";
import { credentialText, resolveAuth, secretFailure, type ResolvedAuth } from "./credentials.ts";
import { sendRequest, type IncomingResponse } from "./http-transport.ts";
import { Redactor } from "./redactor.ts";
import { connectorTypes } from "./registry.ts";
import { payloadText } from "./payload-body.ts";
import { parseRetryAfter } from "./retry-after.ts";
import { backoffDelay, isRetryableStatus, isSuccessStatus } from "./retry-policy.ts";
import { DEFAULT_BACKOFF_MS, DEFAULT_TIMEOUT_MS, specProblem, urlProblem } from "./spec-check.ts";
import { resolveTls } from "./tls-material.ts";
import { signatureHeader } from "./webhook-signature.ts";

/** Dependencies and limits of a {@link ConnectorCaller}. */
export interface ConnectorCallerOptions {
  /** Backoff waits and signature timestamps use this clock. */
  readonly clock: RuntimeClock;
  readonly logger: Logger;
  /**
   * Which addresses Connectors may connect to. An IP-literal host is checked before anything is
   * sent; a host name is resolved once per connection and every address checked before the
   * socket connects to it (see `checkedLookup`).
   */
  readonly destinations: DestinationPolicy;
  /** Resolves host names; the system resolver when absent. */
  readonly resolver?: Resolver;
  /** Keep-alive agents; a private pool when absent (closed by `close`). */
  readonly agents?: AgentPool;
  /** Most response bytes read (default 64 KiB); the rest is dropped. */
  readonly maxResponseBytes?: number;
  /** Longest `Retry-After` honoured inside a call (default 60 s); longer fails as `RetryAfterTooLong`. */
  readonly maxRetryAfterMs?: number;
  /** The `User-Agent` header. */
  readonly userAgent?: string;
}

/** Calls Connectors. */
export interface ConnectorCaller {
  /**
   * Sends one call, with the Connector's retries. Never throws: every problem is a failure
   * value whose message names the field or cause and contains no credential (credentials are
   * scrubbed from messages and outputs even when an endpoint echoes them).
   */
  call(context: ConnectorCallContext): Promise<ConnectorCallResult>;
  /** Destroys pooled connections (only those of a private pool). */
  close(): void;
}

/** A request ready to send, every Secret resolved. */
interface PreparedCall {
  readonly type: ConnectorTypeDefinition;
  readonly url: URL;
  readonly method: string;
  readonly body: string | undefined;
  readonly auth: ResolvedAuth;
  readonly tls: TlsMaterial;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly backoffMs: number;
}

const tlsErrorCode = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|EPROTO$|HOSTNAME_MISMATCH$)/;

function errorCode(error: unknown, depth = 0): string | undefined {
  if (!(error instanceof Error) || depth > 4) return undefined;
  const code: unknown = (error as { code?: unknown }).code;
  if (typeof code === "string" && code !== "ABORT_ERR") return code;
  return errorCode(error.cause, depth + 1);
}

async function resolveUrl(context: ConnectorCallContext, defaultUrl: string | undefined): Promise<URL | ConnectorFailure> {
  const { spec } = context.connector;
  let text: string | undefined = spec.url;
  let secret = false;
  if (text === undefined && spec.urlSecretRef !== undefined) {
    const lookup = await context.secrets.key(spec.urlSecretRef);
    if (!lookup.ok) return secretFailure("spec.urlSecretRef", lookup);
    text = credentialText(lookup.value.reveal()).trim();
    secret = true;
  }
  text ??= defaultUrl;
  if (text === undefined) return connectorFailure("InvalidSpec", "spec.url: required (or spec.urlSecretRef)");
  const field = secret ? "spec.urlSecretRef" : "spec.url";
  const problem = urlProblem(text, spec.allowInsecureHTTP === true, field, secret);
  if (problem !== undefined) return connectorFailure("InvalidSpec", problem);
  return new URL(text);
}

/** A refusal of the destination policy as a call failure (never retried). */
function destinationFailure(context: ConnectorCallContext, reason: string, attempts = 0): ConnectorFailure {
  return connectorFailure("DestinationRefused", `connector ${context.connector.namespace}/${context.connector.name}: ${reason}`, { attempts });
}

/** The policy's verdict on a URL whose host is an IP literal (Node calls no lookup for those); undefined for a host name. */
function literalHostFailure(context: ConnectorCallContext, url: URL, destinations: DestinationPolicy): ConnectorFailure | undefined {
  const host = ipLiteralHost(url);
  if (host === undefined) return undefined;
  const decision = destinations.check(host, context.connector.namespace);
  return decision.allowed ? undefined : destinationFailure(context, decision.reason);
}

async function prepare(context: ConnectorCallContext, redactor: Redactor, destinations: DestinationPolicy): Promise<PreparedCall | ConnectorFailure> {
  const { spec } = context.connector;
  const problem = specProblem(spec);
  if (problem !== undefined) return connectorFailure("InvalidSpec", problem);
  const type = connectorTypes[spec.type];
  const payload = payloadText(context.payload, type.escapeInserted);
  const prepared = await type.prepareBody({ spec, payload, incident: context.incident, secrets: context.secrets, redactor });
  if (!prepared.ok) return prepared;
  const url = await resolveUrl(context, prepared.defaultUrl);
  if (!(url instanceof URL)) return url;
  if (spec.urlSecretRef !== undefined) redactor.add(url.href, url.pathname + url.search);
  const refused = literalHostFailure(context, url, destinations);
  if (refused !== undefined) return refused;
  const auth = await resolveAuth(spec, context.secrets, redactor);
  if ("ok" in auth) return auth;
  const tls = await resolveTls(spec, context.secrets, redactor);
  if ("ok" in tls) return tls;
  return {
    type,
    url,
    method: spec.method ?? "POST",
    body: prepared.body,
    auth,
    tls,
    timeoutMs: spec.timeout === undefined ? DEFAULT_TIMEOUT_MS : (parseDuration(spec.timeout) ?? DEFAULT_TIMEOUT_MS),
    retries: spec.retries?.limit ?? 0,
    backoffMs: spec.retries?.backoff === undefined ? DEFAULT_BACKOFF_MS : (parseDuration(spec.retries.backoff) ?? DEFAULT_BACKOFF_MS),
  };
}

function requestHeaders(context: ConnectorCallContext, call: PreparedCall, userAgent: string, nowSeconds: number): Record<string, string> {
  const headers: Record<string, string> = {
    Accept: "application/json",
    "User-Agent": userAgent,
    ...context.connector.spec.headers,
    "Idempotency-Key": context.idempotencyKey,
    ...call.auth.headers,
  };
  if (call.body !== undefined) headers["Content-Type"] = "application/json";
  if (call.auth.signing !== undefined) headers[call.auth.signing.header] = signatureHeader(call.auth.signing.key, nowSeconds, call.body ?? "");
  return headers;
}

/** A failed attempt: the failure to report, and the wait the endpoint asked for. */
interface AttemptFailure {
  readonly failure: ConnectorFailure;
  readonly retryAfterMs?: number;
}

function transportFailure(error: unknown, context: ConnectorCallContext, timeout: AbortSignal, call: PreparedCall, attempts: number): ConnectorFailure {
  const name = `connector ${context.connector.namespace}/${context.connector.name}`;
  if (context.signal.aborted) return connectorFailure("Aborted", `${name}: call cancelled`, { attempts });
  if (error instanceof DestinationRefusedError) return destinationFailure(context, error.message, attempts);
  if (timeout.aborted) return connectorFailure("Timeout", `${name}: no answer within ${call.timeoutMs}ms`, { attempts });
  const code = errorCode(error);
  if (code !== undefined && tlsErrorCode.test(code)) return connectorFailure("TLSError", `${name}: TLS handshake failed (${code})`, { attempts });
  return connectorFailure("NetworkError", `${name}: connection failed (${code ?? "network error"})`, { attempts });
}

function statusFailure(context: ConnectorCallContext, response: IncomingResponse, attempts: number, redactor: Redactor): AttemptFailure {
  const name = `connector ${context.connector.namespace}/${context.connector.name}`;
  const accepted = context.connector.spec.successCodes?.join(", ") ?? "2xx";
  // The body is the endpoint's: credentials it echoes or holds are redacted like outputs.
  const snippet = redactSecrets(redactor.scrub(response.body.slice(0, 200)));
  const message = `${name}: HTTP ${response.status} (accepted: ${accepted})${snippet === "" ? "" : `: ${JSON.stringify(snippet)}`}`;
  return {
    failure: connectorFailure("UnexpectedStatus", message, { attempts, status: response.status, retryable: isRetryableStatus(response.status) }),
  };
}

/**
 * Creates a caller. Calls of one Connector share keep-alive connections through an agent keyed
 * by the Connector's TLS material; each call resolves its Secrets again.
 */
export function createConnectorCaller(options: ConnectorCallerOptions): ConnectorCaller {
  const agents = options.agents ?? createAgentPool();
  const ownsAgents = options.agents === undefined;
  const maxResponseBytes = options.maxResponseBytes ?? 64 * 1024;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  const userAgent = options.userAgent ?? "kube-soar";
  const { clock, logger, destinations } = options;

  async function attempt(context: ConnectorCallContext, call: PreparedCall, number: number, redactor: Redactor): Promise<ConnectorCallResult | AttemptFailure> {
    const timeout = AbortSignal.timeout(call.timeoutMs);
    const signal = AbortSignal.any([context.signal, timeout]);
    const { namespace, name } = context.connector;
    const lookup = checkedLookup(destinations, namespace, options.resolver);
    const agent = agents.agentFor(`${namespace}/${name}`, call.url.protocol === "http:" ? "http:" : "https:", call.tls, lookup);
    const headers = requestHeaders(context, call, userAgent, Math.floor(clock.now().getTime() / 1000));
    let response: IncomingResponse;
    try {
      response = await sendRequest({ url: call.url, method: call.method, headers, agent, ...(call.body === undefined ? {} : { body: call.body }) }, maxResponseBytes, signal);
    } catch (error: unknown) {
      return { failure: transportFailure(error, context, timeout, call, number) };
    }
    if (isSuccessStatus(response.status, context.connector.spec.successCodes)) {
      return { ok: true, status: response.status, attempts: number, outputs: redactor.scrubRecord(call.type.outputs(response)) };
    }
    const failed = statusFailure(context, response, number, redactor);
    const retryAfterMs = parseRetryAfter(response.headers["retry-after"], clock.now());
    return retryAfterMs === undefined ? failed : { ...failed, retryAfterMs };
  }

  async function send(context: ConnectorCallContext, call: PreparedCall, redactor: Redactor): Promise<ConnectorCallResult> {
    const connector = `${context.connector.namespace}/${context.connector.name}`;
    for (let number = 1; ; number++) {
      const result = await attempt(context, call, number, redactor);
      if ("ok" in result) return result;
      const { failure, retryAfterMs } = result;
      const withWait = retryAfterMs === undefined ? failure : { ...failure, retryAfterMs };
      if (!failure.retryable || failure.reason === "Aborted" || number > call.retries) return withWait;
      if (retryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs) {
        return connectorFailure("RetryAfterTooLong", `connector ${connector}: asked to retry after ${retryAfterMs}ms, longer than ${maxRetryAfterMs}ms`, {
          attempts: number,
          retryAfterMs,
          ...(failure.status === undefined ? {} : { status: failure.status }),
        });
      }
      const delayMs = retryAfterMs ?? backoffDelay(call.backoffMs, number);
      logger.warn({ connector, type: context.connector.spec.type, attempt: number, reason: failure.reason, status: failure.status, delayMs }, "connector call retrying");
      if (!(await sleep(clock, delayMs, context.signal))) return connectorFailure("Aborted", `connector ${connector}: call cancelled`, { attempts: number });
    }
  }

  return {
    async call(context) {
      const redactor = new Redactor();
      const connector = `${context.connector.namespace}/${context.connector.name}`;
      let result: ConnectorCallResult;
      try {
        const call = await prepare(context, redactor, destinations);
        if ("ok" in call) result = call;
        else if (context.dryRun === true) {
          result = { ok: true, status: 0, attempts: 0, outputs: { dryRun: "true", method: call.method, bodyBytes: String(Buffer.byteLength(call.body ?? "")) } };
        } else result = await send(context, call, redactor);
      } catch (error: unknown) {
        logger.error({ connector, err: error instanceof Error ? error.name : "error" }, "connector call failed unexpectedly");
        result = connectorFailure("NetworkError", `connector ${connector}: failed unexpectedly`, { retryable: true });
      }
      const scrubbed = result.ok ? result : { ...result, message: redactor.scrub(result.message) };
      logger.info(
        { connector, type: context.connector.spec.type, ok: scrubbed.ok, attempts: scrubbed.attempts, status: scrubbed.status, reason: scrubbed.ok ? undefined : scrubbed.reason },
        "connector call finished",
      );
      return scrubbed;
    },
    close() {
      if (ownsAgents) agents.close();
    },
  };
}
