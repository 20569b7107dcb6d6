import { createHash, type Hash } from "node:crypto";
import type https from "node:https";
import {
  createConfiguration,
  ServerConfiguration,
  setHeaderMiddleware,
  type Configuration,
  type KubeConfig,
  type RequestContext,
  type SecurityAuthentication,
} from "@kubernetes/client-node";
import { KubeJsonClient, USER_AGENT } from "./kube-json-client.ts";

type Dispatcher = NonNullable<ReturnType<RequestContext["getDispatcher"]>>;

function hashInto(hash: Hash, value: unknown): void {
  if (typeof value === "string" || Buffer.isBuffer(value)) hash.update(value);
  else if (Array.isArray(value)) for (const item of value as unknown[]) hashInto(hash, item);
  else if (typeof value === "object" && value !== null) for (const item of Object.values(value)) hashInto(hash, item);
  else hash.update(String(value));
  hash.update("\u0000");
}

/** Identity of the TLS material a dispatcher was built for; changes when certificates rotate. */
function tlsKey(options: https.RequestOptions): string {
  const hash = createHash("sha256");
  for (const value of [options.ca, options.cert, options.key, options.pfx, options.passphrase, options.servername, options.rejectUnauthorized]) {
    hashInto(hash, value);
  }
  return hash.digest("hex");
}

/**
 * client-node's kubeconfig authentication, but with one connection pool per TLS identity.
 * client-node 2.0 builds a new undici dispatcher for every call, so every request opens a new
 * connection and pays a TLS handshake on both ends (several milliseconds of CPU each side).
 * This keeps the headers client-node sets (tokens, exec plugins, basic auth: refreshed per
 * request) and swaps the dispatcher for the one cached for the same TLS material; when the
 * material changes (rotated client certificates) a new pool is built and the old one closed
 * once its requests finish.
 */
export class KeptAliveAuthentication implements SecurityAuthentication {
  readonly #kubeConfig: KubeConfig;
  #pool: { key: string; dispatcher: Dispatcher } | undefined;

  constructor(kubeConfig: KubeConfig) {
    this.#kubeConfig = kubeConfig;
  }

  getName(): string {
    return "kubeconfig authentication with kept-alive connections";
  }

  async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await this.#kubeConfig.applySecurityAuthentication(context);
    const fresh = context.getDispatcher();
    // Plain HTTP without TLS options: client-node leaves the default global dispatcher, which pools.
    if (fresh === undefined) return;
    const options: https.RequestOptions = {};
    await this.#kubeConfig.applyToHTTPSOptions(options);
    const key = tlsKey(options);
    const pool = this.#pool;
    if (pool?.key === key) {
      context.setDispatcher(pool.dispatcher);
      void fresh.close();
      return;
    }
    this.#pool = { key, dispatcher: fresh };
    if (pool !== undefined) void pool.dispatcher.close();
  }

  /** Closes the pooled connections once their requests finish. */
  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = undefined;
    await pool?.dispatcher.close();
  }
}

const authentications = new WeakMap<KubeConfig, KeptAliveAuthentication>();
const jsonClients = new WeakMap<KubeConfig, KubeJsonClient>();

/** Connections the shared {@link KubeJsonClient} of a KubeConfig keeps. */
export const JSON_CLIENT_MAX_SOCKETS = 16;

/** The one {@link KubeJsonClient} of a KubeConfig, shared by the controllers' status writes and Events. */
export function jsonClientFor(kubeConfig: KubeConfig): KubeJsonClient {
  let client = jsonClients.get(kubeConfig);
  if (client === undefined) {
    client = new KubeJsonClient(kubeConfig, { maxSockets: JSON_CLIENT_MAX_SOCKETS });
    jsonClients.set(kubeConfig, client);
  }
  return client;
}

/** The one {@link KeptAliveAuthentication} of a KubeConfig, so all its API clients share one pool. */
function authenticationOf(kubeConfig: KubeConfig): KeptAliveAuthentication {
  let authentication = authentications.get(kubeConfig);
  if (authentication === undefined) {
    authentication = new KeptAliveAuthentication(kubeConfig);
    authentications.set(kubeConfig, authentication);
  }
  return authentication;
}

/** Closes the pooled connections of every client made for `kubeConfig` by {@link makeApiClient} and {@link jsonClientFor}. */
export async function closeApiClients(kubeConfig: KubeConfig): Promise<void> {
  jsonClients.get(kubeConfig)?.close();
  jsonClients.delete(kubeConfig);
  await authentications.get(kubeConfig)?.close();
  authentications.delete(kubeConfig);
}

/**
 * A generated client-node API client (CoreV1Api, BatchV1Api, ...) for the current context of
 * `kubeConfig`, like `kubeConfig.makeApiClient`, whose requests reuse kept-alive connections.
 */
export function makeApiClient<T>(kubeConfig: KubeConfig, apiClientType: new (configuration: Configuration) => T): T {
  const cluster = kubeConfig.getCurrentCluster();
  if (cluster === null) throw new Error("kubeconfig: no current cluster");
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(cluster.server, {}),
    authMethods: { default: authenticationOf(kubeConfig) },
    middleware: [setHeaderMiddleware("User-Agent", USER_AGENT)],
  });
  return new apiClientType(configuration);
}
