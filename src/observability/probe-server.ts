import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";

/** A named readiness check; the operator is ready when every check returns true. */
export interface ReadinessCheck {
  name: string;
  ready(): boolean;
}

/** The running probe server. */
export interface ProbeServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Serves `/metrics` (the one registry), `/healthz` (the process answers) and `/readyz` (200
 * only while every readiness check passes; the body lists each check, as kube-apiserver does).
 */
export async function startProbeServer(options: {
  host: string;
  port: number;
  registry: Registry;
  checks: readonly ReadinessCheck[];
}): Promise<ProbeServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    if (path === "/healthz" || path === "/livez") {
      response.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
      return;
    }
    if (path === "/readyz") {
      const results = options.checks.map((check) => ({ name: check.name, ok: check.ready() }));
      const body = results.map((result) => `[${result.ok ? "+" : "-"}]${result.name} ${result.ok ? "ok" : "not ready"}`).join("\n");
      const ready = results.every((result) => result.ok);
      response.writeHead(ready ? 200 : 503, { "content-type": "text/plain" }).end(`${body}\nreadyz check ${ready ? "passed" : "failed"}\n`);
      return;
    }
    if (path === "/metrics") {
      options.registry.metrics().then(
        (text) => response.writeHead(200, { "content-type": options.registry.contentType }).end(text),
        () => response.writeHead(500).end(),
      );
      return;
    }
    response.writeHead(404).end();
  });
  await listen(server, options.host, options.port);
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => { resolve(); });
      server.closeAllConnections();
    }),
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
