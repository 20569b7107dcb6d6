import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Registry } from "prom-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ReceiverOptions } from "../../config/options.ts";
import { capturedLogger } from "../../testing/captured-logger.ts";
import { silentLogger } from "../../testing/silent-logger.ts";
import { DEFAULT_DECODE_LIMITS } from "../decode/decode-limits.ts";
import { createIntakeMetrics } from "../intake-metrics.ts";
import { startHttpReceiver, type HttpReceiver, type HttpReceiverOptions } from "./http-receiver.ts";
import { receiverRoutes } from "./http-routes.ts";

const TOKEN = "unit-receiver-token";
const BODY_LIMIT = 64 * 1024;

const receiverOptions = (overrides: Partial<ReceiverOptions>): ReceiverOptions => ({
  enabled: true,
  host: "127.0.0.1",
  port: 0,
  allowUnauthenticated: false,
  maxBodyBytes: BODY_LIMIT,
  maxJsonDepth: 32,
  maxInflight: { count: 64, bytes: 32 * 1024 * 1024 },
  ...overrides,
});

function receiverInput(receiver: ReceiverOptions, logger = silentLogger): HttpReceiverOptions {
  return {
    receiver,
    routes: receiverRoutes(DEFAULT_DECODE_LIMITS),
    publisher: { available: () => true, publish: (_kind, events) => Promise.resolve({ stored: events.length, duplicates: 0 }) },
    logger,
    metrics: createIntakeMetrics(new Registry()),
  };
}

interface RawAnswer {
  status: number;
  head: string;
  body: string;
  /** Whether the receiver closed the connection after answering. */
  closed: boolean;
}

/**
 * Writes `head` (request line and headers, without the blank line) and `bodyStart`, then waits
 * for one answer without sending anything more. Resolves once the answer is complete and the
 * connection closed, or `waitMs` passed.
 */
function sendAndWait(port: number, head: string, bodyStart: Buffer, waitMs = 2_000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    let received = Buffer.alloc(0);
    const finish = (closed: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      const text = received.toString("utf8");
      const headEnd = text.indexOf("\r\n\r\n");
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), head: text.slice(0, headEnd), body: text.slice(headEnd + 4), closed });
    };
    const timer = setTimeout(() => {
      finish(false);
    }, waitMs);
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
    });
    socket.on("end", () => {
      finish(true);
    });
    socket.on("error", reject);
    socket.write(Buffer.concat([Buffer.from(`${head}\r\n\r\n`, "latin1"), bodyStart]));
  });
}

const event = (id: string): Buffer => Buffer.from(JSON.stringify({ specversion: "1.0", id, source: "//unit", type: "com.example.unit" }));

describe("startHttpReceiver without tokens", () => {
  it("refuses to start unless running unauthenticated was chosen, naming both flags", async () => {
    await expect(startHttpReceiver(receiverInput(receiverOptions({})))).rejects.toThrow(/--receiver-token-file.*--receiver-allow-unauthenticated/);
  });

  describe("with allowUnauthenticated", () => {
    let receiver: HttpReceiver | undefined;
    afterEach(async () => {
      await receiver?.close();
    });

    it("warns at start and again every interval while it runs, and not after it closed", async () => {
      const { logger, lines } = capturedLogger("info");
      receiver = await startHttpReceiver({ ...receiverInput(receiverOptions({ allowUnauthenticated: true }), logger), unauthenticatedWarningMs: 20 });
      const warnings = (): number => lines.filter((line) => line.includes("receiver accepts unauthenticated requests (--receiver-allow-unauthenticated)")).length;
      expect(warnings()).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 110));
      expect(warnings()).toBeGreaterThanOrEqual(3);
      await receiver.close();
      const afterClose = warnings();
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(warnings()).toBe(afterClose);
    });

    it("accepts a request without credentials", async () => {
      receiver = await startHttpReceiver(receiverInput(receiverOptions({ allowUnauthenticated: true })));
      const response = await fetch(`http://127.0.0.1:${String(receiver.address().port)}/events`, {
        method: "POST",
        headers: { "content-type": "application/cloudevents+json" },
        body: event("open-1"),
      });
      expect(response.status).toBe(202);
    });
  });
});

describe("startHttpReceiver with tokens", () => {
  let dir: string;
  let receiver: HttpReceiver;
  let url: string;
  let port: number;
  const auth = { authorization: `Bearer ${TOKEN}` };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "soar-receiver-unit-"));
    const tokenFile = join(dir, "tokens");
    writeFileSync(tokenFile, `${TOKEN}\n`);
    receiver = await startHttpReceiver(receiverInput(receiverOptions({ tokenFile })));
    port = receiver.address().port;
    url = `http://127.0.0.1:${String(port)}`;
  });

  afterAll(async () => {
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ["text/plain", "text/plain;charset=UTF-8"],
    ["a form", "application/x-www-form-urlencoded"],
    ["multipart form data", "multipart/form-data; boundary=x"],
  ])("answers 415 to a structured event sent as %s on /events", async (_name, contentType) => {
    const response = await fetch(`${url}/events`, { method: "POST", headers: { ...auth, "content-type": contentType }, body: event("simple-1") });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ error: { reason: "unsupported-content-type", field: "content-type" } });
  });

  it.each([
    ["structured", { "content-type": "application/cloudevents+json" }, event("structured-1")],
    ["batch", { "content-type": "application/cloudevents-batch+json" }, Buffer.from(`[${event("batch-1").toString()}]`)],
    ["JSON with specversion", { "content-type": "application/json; charset=utf-8" }, event("json-1")],
    ["binary with a text data content type", { "content-type": "text/plain", "ce-specversion": "1.0", "ce-id": "binary-1", "ce-source": "//unit", "ce-type": "com.example.unit" }, Buffer.from("hello")],
  ])("accepts a %s CloudEvent on /events", async (_name, headers, body) => {
    const response = await fetch(`${url}/events`, { method: "POST", headers: { ...auth, ...headers }, body });
    expect(response.status).toBe(202);
  });

  it("answers 400 naming the header to a binary CloudEvent with ce-id given twice", async () => {
    const head = [
      "POST /events HTTP/1.1",
      "Host: 127.0.0.1",
      `Authorization: Bearer ${TOKEN}`,
      "Content-Type: application/json",
      "Ce-Specversion: 1.0",
      "Ce-Id: first",
      "Ce-Id: second",
      "Ce-Source: //unit",
      "Ce-Type: com.example.unit",
      "Content-Length: 2",
    ].join("\r\n");
    const answer = await sendAndWait(port, head, Buffer.from("{}"), 300);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { field: "ce-id" } });
    expect((JSON.parse(answer.body) as { error: { message: string } }).error.message).toContain("more than once");
  });

  it("answers 401 and closes the connection without reading a large body", async () => {
    const head = ["POST /events HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/cloudevents+json", `Content-Length: ${String(64 * 1024 * 1024)}`].join("\r\n");
    const started = Date.now();
    const answer = await sendAndWait(port, head, Buffer.alloc(1024, 0x20));
    expect(answer.status).toBe(401);
    expect(answer.head.toLowerCase()).toContain("connection: close");
    expect(answer.closed).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { reason: "unauthorized", field: "Authorization" } });
  });
});

describe("startHttpReceiver's in-flight budget", () => {
  let receiver: HttpReceiver | undefined;
  afterEach(async () => {
    await receiver?.close();
  });

  const post = (port: number, id: string): Promise<Response> =>
    fetch(`http://127.0.0.1:${String(port)}/events`, { method: "POST", headers: { "content-type": "application/cloudevents+json" }, body: event(id) });

  it("answers 503 receiver-busy with Retry-After while as many POSTs as it may hold are in flight, and takes the next once one is done", async () => {
    let publishes = 0;
    let unblock: () => void = () => undefined;
    const blocked = new Promise<void>((resolve) => {
      unblock = resolve;
    });
    const input = receiverInput(receiverOptions({ allowUnauthenticated: true, maxInflight: { count: 1, bytes: BODY_LIMIT } }));
    receiver = await startHttpReceiver({
      ...input,
      publisher: {
        available: () => true,
        publish: async (_kind, events) => {
          if (publishes++ === 0) await blocked;
          return { stored: events.length, duplicates: 0 };
        },
      },
    });
    const port = receiver.address().port;
    const first = post(port, "held-1");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver.inflight().count).toBe(1);
    const refused = await post(port, "refused-1");
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(refused.headers.get("connection")).toBe("close");
    expect(await refused.json()).toMatchObject({ error: { reason: "receiver-busy" } });
    unblock();
    expect((await first).status).toBe(202);
    expect(receiver.inflight()).toEqual({ count: 0, bytes: 0 });
    expect((await post(port, "after-1")).status).toBe(202);
  });

  it("refuses a POST whose declared body does not fit in the bytes left, without reading it", async () => {
    receiver = await startHttpReceiver(receiverInput(receiverOptions({ allowUnauthenticated: true, maxInflight: { count: 8, bytes: BODY_LIMIT } })));
    const port = receiver.address().port;
    const head = (length: number): string =>
      ["POST /events HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/cloudevents+json", `Content-Length: ${String(length)}`].join("\r\n");
    // Half the budget, its body never finished: it stays in flight until the test ends.
    const holding = sendAndWait(port, head(BODY_LIMIT / 2), Buffer.alloc(16, 0x20), 1_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver.inflight()).toEqual({ count: 1, bytes: BODY_LIMIT / 2 });
    const answer = await sendAndWait(port, head(BODY_LIMIT / 2 + 1), Buffer.alloc(1024, 0x20), 500);
    expect(answer.status).toBe(503);
    expect(answer.closed).toBe(true);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { reason: "receiver-busy" } });
    await holding;
  });
});
