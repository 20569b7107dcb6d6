import type { IncomingMessage, ServerResponse } from "node:http";
import { startHttpListener, type HttpListener } from "./http-listener.ts";

/** A named readiness check; the operator is ready when every check returns true. */
export interface ReadinessCheck {
  name: string;
  ready(): boolean;
}

/** The running probe server. */
export type ProbeServer = HttpListener;

function answerProbe(checks: readonly ReadinessCheck[], request: IncomingMessage, response: ServerResponse): void {
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
    const results = checks.map((check) => ({ name: check.name, ok: check.ready() }));
    const body = results.map((result) => `[${result.ok ? "+" : "-"}]${result.name} ${result.ok ? "ok" : "not ready"}`).join("\n");
    const ready = results.every((result) => result.ok);
    response.writeHead(ready ? 200 : 503, { "content-type": "text/plain" }).end(`${body}\nreadyz check ${ready ? "passed" : "failed"}\n`);
    return;
  }
  response.writeHead(404).end();
}

/**
 * Serves the kubelet's probes without authentication, as they need: `/healthz` and `/livez`
 * (the process answers) and `/readyz` (200 only while every readiness check passes; the body
 * lists each check, as kube-apiserver does). They reveal only ok or not ready; everything else
 * is 404 (metrics have their own listener, so a storm of scrapes never delays a probe's answer).
 */
export async function startProbeServer(options: { host: string; port: number; checks: readonly ReadinessCheck[] }): Promise<ProbeServer> {
  return await startHttpListener({
    host: options.host,
    port: options.port,
    handler: (request, response) => { answerProbe(options.checks, request, response); },
  });
}
