import type { IncomingMessage } from "node:http";
import https from "node:https";
import { pipeline, type Readable } from "node:stream";
import { createGunzip, createInflate } from "node:zlib";
import { Reason } from "../../api/v1alpha1/reasons.ts";
import { checkedLookup, DestinationRefusedError, ipLiteralHost, systemResolver, type Resolver } from "../../connectors/index.ts";
import type { DestinationPolicy } from "../../policy/index.ts";

/** The validators of the last body fetched, sent back to make the next request conditional. */
export interface FeedValidators {
  readonly etag?: string;
  readonly lastModified?: string;
}

/** One fetch of a feed's URL. */
export interface FeedFetchRequest {
  readonly url: URL;
  /** The feed's namespace: which rows of the destination policy apply. */
  readonly namespace: string;
  /** PEM CA certificates trusted instead of the system roots. */
  readonly ca?: Buffer;
  readonly serverName?: string;
  /** Extra request headers (the auth header); never logged or reported. */
  readonly headers: Readonly<Record<string, string>>;
  /** Makes the request conditional when given. */
  readonly validators?: FeedValidators;
  readonly timeoutMs: number;
  /** The largest body accepted, after decompression. */
  readonly maxBytes: number;
  readonly signal: AbortSignal;
}

/** Why a fetch failed, as the feed's Ready reason. */
export type FeedFetchFailureReason = typeof Reason.FetchFailed | typeof Reason.TooLarge | typeof Reason.DestinationRefused;

/** What a fetch brought: a body, confirmation that the last one is current, or a failure naming its cause. */
export type FeedFetchResult =
  | { readonly kind: "fetched"; readonly text: string; readonly bytes: number; readonly validators: FeedValidators }
  | { readonly kind: "not-modified" }
  | { readonly kind: "failed"; readonly reason: FeedFetchFailureReason; readonly message: string };

/** Fetches feeds over HTTPS. */
export interface FeedFetcher {
  /** Never throws: every problem is a failure whose message names the cause and holds no header value. */
  fetch(request: FeedFetchRequest): Promise<FeedFetchResult>;
}

/** What a {@link FeedFetcher} needs. */
export interface FeedFetcherOptions {
  /** Which addresses feeds may be fetched from: the Connectors' policy. */
  readonly destinations: DestinationPolicy;
  /** Resolves host names; the system resolver when absent. */
  readonly resolver?: Resolver;
  readonly userAgent?: string;
}

class BodyTooLarge extends Error {
  override readonly name = "BodyTooLarge";
}

const tlsErrorCode = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|EPROTO$|HOSTNAME_MISMATCH$)/;

function errorCode(error: unknown, depth = 0): string | undefined {
  if (!(error instanceof Error) || depth > 4) return undefined;
  const code: unknown = (error as { code?: unknown }).code;
  if (typeof code === "string" && code !== "ABORT_ERR") return code;
  return errorCode(error.cause, depth + 1);
}

function refusal(error: unknown, depth = 0): DestinationRefusedError | undefined {
  if (error instanceof DestinationRefusedError) return error;
  if (!(error instanceof Error) || depth > 4) return undefined;
  return refusal(error.cause, depth + 1);
}

function failed(reason: FeedFetchFailureReason, message: string): FeedFetchResult {
  return { kind: "failed", reason, message };
}

function tooLarge(maxBytes: number): FeedFetchResult {
  return failed(Reason.TooLarge, `the body is larger than spec.http.maxBytes (${maxBytes} bytes)`);
}

// An error on either side destroys both, so a reader of the decoder sees the response fail.
function decoded(response: IncomingMessage, decoder: Readable & NodeJS.WritableStream): Readable {
  return pipeline(response, decoder, () => undefined);
}

/** The decoded body stream of `response`, or why its encoding cannot be read. */
function decodedBody(response: IncomingMessage): Readable | string {
  const encoding = (response.headers["content-encoding"] ?? "identity").trim().toLowerCase();
  switch (encoding) {
    case "identity":
    case "":
      return response;
    case "gzip":
    case "x-gzip":
      return decoded(response, createGunzip());
    case "deflate":
      return decoded(response, createInflate());
    default:
      return `the server sent the content encoding ${JSON.stringify(encoding.slice(0, 32))}, which is not supported (gzip, deflate or none)`;
  }
}

/** Reads `body` whole, throwing {@link BodyTooLarge} as soon as it passes `maxBytes`. */
async function readCapped(body: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) {
      body.destroy();
      throw new BodyTooLarge();
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, size);
}

function validatorsOf(response: IncomingMessage): FeedValidators {
  const etag = response.headers.etag;
  const lastModified = response.headers["last-modified"];
  return { ...(etag === undefined ? {} : { etag }), ...(lastModified === undefined ? {} : { lastModified }) };
}

function statusFailure(status: number): FeedFetchResult {
  const redirect = status >= 300 && status < 400 ? ": redirects are not followed, name the final URL" : "";
  return failed(Reason.FetchFailed, `the server answered HTTP ${status}, not 200 or 304${redirect}`);
}

/**
 * A fetcher that sends one GET per fetch over a connection of its own, resolving the host once
 * and checking every address against the destination policy before connecting (an IP-literal
 * host is checked before anything is sent), verifying TLS with the given CA and server name,
 * asking for gzip, and reading at most `maxBytes` of the decoded body (a larger body is
 * abandoned while it streams). 304 is "not modified", 200 a body, anything else a failure;
 * redirects are not followed.
 */
export function createFeedFetcher(options: FeedFetcherOptions): FeedFetcher {
  const resolver = options.resolver ?? systemResolver;
  const userAgent = options.userAgent ?? "kube-soar";

  async function send(request: FeedFetchRequest, signal: AbortSignal, agent: https.Agent): Promise<FeedFetchResult> {
    const headers: Record<string, string> = { Accept: "*/*", "Accept-Encoding": "gzip, deflate", "User-Agent": userAgent, ...request.headers };
    if (request.validators?.etag !== undefined) headers["If-None-Match"] = request.validators.etag;
    if (request.validators?.lastModified !== undefined) headers["If-Modified-Since"] = request.validators.lastModified;
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const outgoing = https.request(request.url, { method: "GET", headers, agent, signal }, resolve);
      outgoing.on("error", reject);
      outgoing.end();
    });
    const status = response.statusCode ?? 0;
    if (status === 304) {
      response.resume();
      return { kind: "not-modified" };
    }
    if (status !== 200) {
      response.destroy();
      return statusFailure(status);
    }
    const declared = Number(response.headers["content-length"]);
    if (response.headers["content-encoding"] === undefined && Number.isFinite(declared) && declared > request.maxBytes) {
      response.destroy();
      return tooLarge(request.maxBytes);
    }
    const body = decodedBody(response);
    if (typeof body === "string") {
      response.destroy();
      return failed(Reason.FetchFailed, body);
    }
    const bytes = await readCapped(body, request.maxBytes);
    return { kind: "fetched", text: new TextDecoder().decode(bytes), bytes: bytes.length, validators: validatorsOf(response) };
  }

  return {
    async fetch(request) {
      const literal = ipLiteralHost(request.url);
      if (literal !== undefined) {
        const decision = options.destinations.check(literal, request.namespace);
        if (!decision.allowed) return failed(Reason.DestinationRefused, decision.reason);
      }
      const timeout = AbortSignal.timeout(request.timeoutMs);
      const signal = AbortSignal.any([request.signal, timeout]);
      const agent = new https.Agent({
        keepAlive: false,
        lookup: checkedLookup(options.destinations, request.namespace, resolver),
        ...(request.ca === undefined ? {} : { ca: request.ca }),
        ...(request.serverName === undefined ? {} : { servername: request.serverName }),
      });
      try {
        return await send(request, signal, agent);
      } catch (error: unknown) {
        if (error instanceof BodyTooLarge) return tooLarge(request.maxBytes);
        const refused = refusal(error);
        if (refused !== undefined) return failed(Reason.DestinationRefused, refused.message);
        if (request.signal.aborted) return failed(Reason.FetchFailed, "the fetch was cancelled");
        if (timeout.aborted) return failed(Reason.FetchFailed, `no complete answer within spec.http.timeout (${request.timeoutMs}ms)`);
        const code = errorCode(error);
        if (code !== undefined && tlsErrorCode.test(code)) return failed(Reason.FetchFailed, `the TLS handshake failed (${code})`);
        if (code === "Z_DATA_ERROR" || code === "Z_BUF_ERROR") return failed(Reason.FetchFailed, "the compressed body cannot be decoded");
        return failed(Reason.FetchFailed, `the connection failed (${code ?? "network error"})`);
      } finally {
        agent.destroy();
      }
    },
  };
}
