import { readFileSync } from "node:fs";
import {
  connect,
  credsAuthenticator,
  nkeyAuthenticator,
  tokenAuthenticator,
  usernamePasswordAuthenticator,
  type Authenticator,
  type NatsConnection,
  type NodeConnectionOptions,
  type Status,
} from "@nats-io/transport-node";
import type { Logger } from "pino";

/** How to reach and authenticate to NATS; every credential is a file path so secrets stay out of argv. */
export interface NatsConnectionSettings {
  servers: string[];
  credsFile?: string;
  nkeySeedFile?: string;
  tokenFile?: string;
  user?: string;
  passwordFile?: string;
  tls?: { caFile?: string; certFile?: string; keyFile?: string };
}

/** A NATS connection plus whether it is currently usable, as its status stream reports it. */
export interface NatsLink {
  readonly connection: NatsConnection;
  /** True between a (re)connect and the next disconnect; false once closed. */
  connected(): boolean;
  /** Drains and closes the connection; idempotent. */
  close(): Promise<void>;
}

/** A NATS setting that cannot be used; the message names the option and the reason. */
export class NatsSettingsError extends Error {
  override readonly name = "NatsSettingsError";
}

function fileReader(option: string, path: string): () => Uint8Array {
  // Read at every (re)connect so that rotated credentials are picked up without a restart.
  return () => {
    try {
      return readFileSync(path);
    } catch (error: unknown) {
      throw new NatsSettingsError(`nats.${option}: cannot read ${path}: ${errorText(error)}`, { cause: error });
    }
  };
}

function textReader(option: string, path: string): () => string {
  const read = fileReader(option, path);
  return () => new TextDecoder().decode(read()).trim();
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Builds the authenticators for the configured credentials, reading each file once now so that a
 * missing or unreadable file is reported at startup (naming the option) rather than at connect time.
 */
export function natsAuthenticators(settings: NatsConnectionSettings): Authenticator[] {
  const authenticators: Authenticator[] = [];
  if (settings.credsFile !== undefined) {
    const read = fileReader("credsFile", settings.credsFile);
    read();
    authenticators.push(credsAuthenticator(read));
  }
  if (settings.nkeySeedFile !== undefined) {
    const read = textReader("nkeySeedFile", settings.nkeySeedFile);
    if (read() === "") throw new NatsSettingsError(`nats.nkeySeedFile: ${settings.nkeySeedFile} is empty`);
    authenticators.push(nkeyAuthenticator(() => new TextEncoder().encode(read())));
  }
  if (settings.tokenFile !== undefined) {
    const read = textReader("tokenFile", settings.tokenFile);
    if (read() === "") throw new NatsSettingsError(`nats.tokenFile: ${settings.tokenFile} is empty`);
    authenticators.push(tokenAuthenticator(read));
  }
  if (settings.user !== undefined) {
    if (settings.passwordFile === undefined) {
      throw new NatsSettingsError("nats.passwordFile: required when nats.user is set");
    }
    authenticators.push(usernamePasswordAuthenticator(settings.user, textReader("passwordFile", settings.passwordFile)));
  } else if (settings.passwordFile !== undefined) {
    throw new NatsSettingsError("nats.user: required when nats.passwordFile is set");
  }
  return authenticators;
}

/** The `connect()` options for the settings: reconnect forever, credentials and TLS from files. */
export function natsConnectOptions(settings: NatsConnectionSettings, name: string): NodeConnectionOptions {
  if (settings.servers.length === 0) throw new NatsSettingsError("nats.servers: at least one server URL is required");
  const options: NodeConnectionOptions = {
    servers: settings.servers,
    name,
    maxReconnectAttempts: -1,
    waitOnFirstConnect: true,
    reconnectTimeWait: 1_000,
    ignoreAuthErrorAbort: true,
  };
  const authenticators = natsAuthenticators(settings);
  if (authenticators.length > 0) options.authenticator = authenticators;
  if (settings.tls !== undefined) {
    const tls: NonNullable<NodeConnectionOptions["tls"]> = {};
    if (settings.tls.caFile !== undefined) tls.caFile = settings.tls.caFile;
    if (settings.tls.certFile !== undefined) tls.certFile = settings.tls.certFile;
    if (settings.tls.keyFile !== undefined) tls.keyFile = settings.tls.keyFile;
    if ((tls.certFile === undefined) !== (tls.keyFile === undefined)) {
      throw new NatsSettingsError("nats.tls: certFile and keyFile must be given together");
    }
    options.tls = tls;
  }
  return options;
}

function logStatus(logger: Logger, status: Status): void {
  switch (status.type) {
    case "disconnect":
      logger.warn({ server: status.server }, "nats disconnected");
      return;
    case "reconnecting":
      logger.debug("nats reconnecting");
      return;
    case "reconnect":
      logger.info({ server: status.server }, "nats reconnected");
      return;
    case "error":
      logger.error({ err: status.error }, "nats connection error");
      return;
    case "ldm":
      logger.warn({ server: status.server }, "nats server entering lame duck mode");
      return;
    case "staleConnection":
      logger.warn("nats connection stale");
      return;
    case "slowConsumer":
      logger.warn({ pending: status.pending }, "nats slow consumer");
      return;
    case "update":
      logger.info({ added: status.added, deleted: status.deleted }, "nats cluster servers changed");
      return;
    case "forceReconnect":
      logger.info("nats forced reconnect");
      return;
    case "close":
      logger.info("nats connection closed");
      return;
    case "ping":
      return;
  }
}

/**
 * Connects to NATS and keeps the connection forever: every reconnect attempt is retried, each
 * state change is logged with a constant message, and `connected()` follows the state. The
 * returned promise settles once the first connection is up, or rejects when `signal` aborts first
 * or the settings cannot be used.
 */
export async function connectNats(
  settings: NatsConnectionSettings,
  logger: Logger,
  options: { name: string; signal?: AbortSignal },
): Promise<NatsLink> {
  const connectOptions = natsConnectOptions(settings, options.name);
  logger.info({ servers: settings.servers }, "nats connecting");
  const connection = await abortable(connect(connectOptions), options.signal);
  let up = true;
  logger.info({ server: connection.getServer() }, "nats connected");
  void (async () => {
    for await (const status of connection.status()) {
      if (status.type === "disconnect") up = false;
      if (status.type === "reconnect") up = true;
      logStatus(logger, status);
    }
  })();
  void connection.closed().then((error) => {
    up = false;
    if (error instanceof Error) logger.error({ err: error }, "nats connection closed with error");
  });
  let closing: Promise<void> | undefined;
  return {
    connection,
    connected: () => up && !connection.isClosed(),
    close: () => {
      closing ??= closeConnection(connection);
      return closing;
    },
  };
}

async function closeConnection(connection: NatsConnection): Promise<void> {
  if (connection.isClosed()) return;
  try {
    await connection.drain();
  } catch {
    // Draining fails when the connection is already down; closing is what matters here.
    await connection.close();
  }
}

async function abortable(connecting: Promise<NatsConnection>, signal: AbortSignal | undefined): Promise<NatsConnection> {
  if (signal === undefined) return connecting;
  signal.throwIfAborted();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => {
      reject(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([connecting, aborted]);
  } catch (error: unknown) {
    // A connection that comes up after the abort must not leak.
    void connecting.then((late) => late.close()).catch(() => undefined);
    throw error;
  } finally {
    if (onAbort !== undefined) signal.removeEventListener("abort", onAbort);
  }
}
