import { createHash } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";

/** TLS material of a Connector, read from its Secrets. */
export interface TlsMaterial {
  /** PEM CA certificates trusted instead of the system roots. */
  readonly ca?: Buffer;
  /** PEM client certificate and key, for mutual TLS. */
  readonly cert?: Buffer;
  readonly key?: Buffer;
  /** Server name sent as SNI and verified in the certificate. */
  readonly serverName?: string;
}

/** Keep-alive agents per Connector, rebuilt when the Connector's TLS material changes. */
export interface AgentPool {
  /**
   * The agent for `connector` (`namespace/name`) with this TLS material and protocol. Its sockets
   * resolve host names with `lookup` (given when the agent is created: it must be the same for
   * every call of one Connector).
   */
  agentFor(connector: string, protocol: "http:" | "https:", tls: TlsMaterial, lookup: LookupFunction): http.Agent;
  /** Destroys the agent of a Connector that was deleted; a no-op for an unknown one. */
  release(connector: string): void;
  /** Agents currently pooled. */
  readonly size: number;
  /** Destroys every agent and its sockets. */
  close(): void;
}

function fingerprint(protocol: string, tls: TlsMaterial): string {
  const hash = createHash("sha256").update(protocol);
  for (const part of [tls.ca, tls.cert, tls.key]) hash.update(part === undefined ? "\u0000-" : Buffer.concat([Buffer.from("\u0000+"), part]));
  hash.update(`\u0000${tls.serverName ?? ""}`);
  return hash.digest("hex");
}

/** Options of the pooled agents. */
export interface AgentPoolOptions {
  /** Most concurrent connections per Connector. */
  readonly maxSockets?: number;
  /** Most idle connections kept open per Connector. */
  readonly maxFreeSockets?: number;
}

/**
 * A pool with one keep-alive agent per Connector, keyed by a hash of its protocol and TLS
 * material: calls of one Connector reuse connections, and a rotated CA or client certificate
 * replaces the agent (the old one is destroyed) instead of reusing connections made with stale TLS material.
 */
export function createAgentPool(options: AgentPoolOptions = {}): AgentPool {
  const agents = new Map<string, { fingerprint: string; agent: http.Agent }>();
  const maxSockets = options.maxSockets ?? 8;
  const maxFreeSockets = options.maxFreeSockets ?? 2;
  return {
    agentFor(connector, protocol, tls, lookup) {
      const key = fingerprint(protocol, tls);
      const pooled = agents.get(connector);
      if (pooled?.fingerprint === key) return pooled.agent;
      pooled?.agent.destroy();
      const agent =
        protocol === "http:"
          ? new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets, lookup })
          : new https.Agent({
              keepAlive: true,
              maxSockets,
              maxFreeSockets,
              lookup,
              ...(tls.ca === undefined ? {} : { ca: tls.ca }),
              ...(tls.cert === undefined ? {} : { cert: tls.cert }),
              ...(tls.key === undefined ? {} : { key: tls.key }),
              ...(tls.serverName === undefined ? {} : { servername: tls.serverName }),
            });
      agents.set(connector, { fingerprint: key, agent });
      return agent;
    },
    release(connector) {
      agents.get(connector)?.agent.destroy();
      agents.delete(connector);
    },
    get size() {
      return agents.size;
    },
    close() {
      for (const { agent } of agents.values()) agent.destroy();
      agents.clear();
    },
  };
}
