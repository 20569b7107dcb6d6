import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { ManagedProcess } from "./managed-process.ts";
import { errorMessage, waitFor } from "./wait-for.ts";

/** TLS material for probing an https endpoint (PEM text). */
export interface ProbeTls {
  ca?: string;
  cert?: string;
  key?: string;
  /** Skips server verification, for components that serve a self-signed certificate. */
  insecure?: boolean;
}

/** An HTTP response reduced to what health checks look at. */
export interface ProbeResponse {
  status: number;
  body: string;
}

const PROBE_TIMEOUT_MS = 2_000;

/** GETs `url` once; rejects on connection errors or after 2 s without a response. */
export async function httpGet(url: string, tls: ProbeTls = {}): Promise<ProbeResponse> {
  return await new Promise<ProbeResponse>((resolve, reject) => {
    const onResponse = (response: IncomingMessage): void => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") });
      });
      response.on("error", reject);
    };
    const request = url.startsWith("https:")
      ? httpsRequest(
          url,
          {
            method: "GET",
            timeout: PROBE_TIMEOUT_MS,
            rejectUnauthorized: tls.insecure !== true,
            ...(tls.ca === undefined ? {} : { ca: tls.ca }),
            ...(tls.cert === undefined ? {} : { cert: tls.cert }),
            ...(tls.key === undefined ? {} : { key: tls.key }),
          },
          onResponse,
        )
      : httpRequest(url, { method: "GET", timeout: PROBE_TIMEOUT_MS }, onResponse);
    request.on("timeout", () => request.destroy(new Error(`no response from ${url} within ${PROBE_TIMEOUT_MS} ms`)));
    request.on("error", reject);
    request.end();
  });
}

/** What {@link waitUntilHealthy} polls and for how long. */
export interface HealthWait {
  process: ManagedProcess;
  url: string;
  tls?: ProbeTls;
  timeoutMs: number;
}

/**
 * Resolves once `url` answers 200. Rejects as soon as the process exits, or when the deadline
 * passes, with an error naming the component, the last response or connection error, and the
 * tail of the component's log.
 */
export async function waitUntilHealthy(wait: HealthWait): Promise<void> {
  await waitWhileRunning(wait.process, {
    description: `${wait.process.name} to answer 200 on ${wait.url}`,
    timeoutMs: wait.timeoutMs,
    probe: async () => {
      const response = await httpGet(wait.url, wait.tls);
      return response.status === 200 ? true : `HTTP ${response.status}: ${response.body.slice(0, 2_000)}`;
    },
  });
}

/** A readiness condition of a running component. */
export interface ReadinessCheck {
  /** What is awaited, for the error message. */
  description: string;
  timeoutMs: number;
  /** `true` when ready; otherwise (or by throwing) a description of what it saw instead. */
  probe: () => Promise<true | string>;
}

/**
 * Polls `check.probe` every 100 ms until it returns `true`. Rejects as soon as `child`
 * exits, or when the deadline passes, with an error holding the last observation and the
 * tail of the process's log.
 */
export async function waitWhileRunning(child: ManagedProcess, check: ReadinessCheck): Promise<void> {
  let last = "nothing observed yet";
  const poll = async (): Promise<"ready" | "exited" | undefined> => {
    if (child.exitStatus !== undefined) return "exited";
    try {
      const outcome = await check.probe();
      if (outcome === true) return "ready";
      last = outcome;
    } catch (error: unknown) {
      last = errorMessage(error);
    }
    return undefined;
  };
  let outcome: "ready" | "exited";
  try {
    outcome = await waitFor(poll, { timeoutMs: check.timeoutMs, intervalMs: 100, description: check.description });
  } catch (error: unknown) {
    throw new Error(`${errorMessage(error)}; last seen: ${last}\n${await child.describe()}`, { cause: error });
  }
  if (outcome === "exited") {
    throw new Error(`${child.name} exited while waiting for ${check.description}\n${await child.describe()}`);
  }
}
