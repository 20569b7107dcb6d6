import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Registry } from "prom-client";
import { afterAll, describe, expect, it } from "vitest";
import { createTestNamespace, waitFor } from "../support/kube.ts";
import { listIncidents, publish, RECEIVER_AUTH, testOptions, useIntakeSuite } from "./intake-helpers.ts";

/** An HTTP answer read off a raw socket. */
interface RawAnswer {
  status: number;
  body: string;
}

/**
 * Writes `request` (a complete HTTP/1.1 request) byte for byte to the receiver, so header bytes
 * reach it exactly as a Go producer sends them, and reads one answer (the receiver always sends
 * `Content-Length`).
 */
function rawRequest(receiverUrl: string, request: Buffer): Promise<RawAnswer> {
  const { hostname, port } = new URL(receiverUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let received = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const headEnd = received.indexOf("\r\n\r\n");
      if (headEnd === -1) return;
      const head = received.subarray(0, headEnd).toString("latin1");
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
      if (received.length < headEnd + 4 + length) return;
      socket.destroy();
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), body: received.subarray(headEnd + 4, headEnd + 4 + length).toString("utf8") });
    });
    socket.on("error", reject);
    socket.on("close", () => {
      reject(new Error(`the receiver closed the connection after ${String(received.length)} bytes without a complete answer`));
    });
    socket.write(request);
  });
}

/**
 * POSTs `size` bytes as a simple client does: the whole body first (in 64 KiB writes, with a
 * `Content-Length` or chunked), and only then the answer, which must still be there.
 */
async function sendThenRead(receiverUrl: string, path: string, size: number, declared: boolean): Promise<RawAnswer> {
  const { hostname, port } = new URL(receiverUrl);
  const socket = connect({ host: hostname, port: Number(port) });
  socket.pause();
  const failed = new Promise<never>((_resolve, reject) => socket.once("error", reject));
  // Raced below wherever it matters; an error after the answer was read is of no interest.
  failed.catch(() => undefined);
  const written = (bytes: Buffer): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      socket.write(bytes, (error) => {
        if (error == null) resolve();
        else reject(error);
      });
    });
  const write = (bytes: Buffer): Promise<void> => Promise.race([failed, written(bytes)]);
  const framing = declared ? `Content-Length: ${String(size)}` : "Transfer-Encoding: chunked";
  await write(Buffer.from(`POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/cloudevents+json\r\n${AUTHORIZATION_LINE}\r\n${framing}\r\n\r\n`, "latin1"));
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  for (let written = 0; written < size; written += chunk.length) {
    await write(declared ? chunk : Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]));
  }
  if (!declared) await write(Buffer.from("0\r\n\r\n"));
  const chunks: Buffer[] = [];
  socket.on("data", (data: Buffer) => chunks.push(data));
  socket.resume();
  await Promise.race([failed, new Promise((resolve) => socket.once("close", resolve))]);
  const text = Buffer.concat(chunks).toString("utf8");
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), body: text.slice(text.indexOf("\r\n\r\n") + 4) };
}

/** POSTs `body` with the given header lines (raw bytes each) over a raw socket. */
function rawPost(receiverUrl: string, path: string, headerLines: readonly Buffer[], body: Buffer): Promise<RawAnswer> {
  const head = [
    Buffer.from(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${String(body.length)}\r\n${AUTHORIZATION_LINE}\r\n`, "latin1"),
    ...headerLines.flatMap((line) => [line, Buffer.from("\r\n", "latin1")]),
    Buffer.from("\r\n", "latin1"),
  ];
  return rawRequest(receiverUrl, Buffer.concat([...head, body]));
}

/** A byte-exact Falcosidekick output under test/fixtures/falcosidekick/. */
function falcosidekickFixture(name: string): Buffer {
  return readFileSync(new URL(`../fixtures/falcosidekick/${name}`, import.meta.url));
}

/**
 * `request` with `header` added where Go's `net/http` puts it (after `Content-Length`, before the
 * sorted `Ce-*` headers), as when Falcosidekick's address carries credentials.
 */
function withHeader(request: Buffer, header: string): Buffer {
  const at = request.indexOf("\r\nCe-") + 2;
  return Buffer.concat([request.subarray(0, at), Buffer.from(`${header}\r\n`, "latin1"), request.subarray(at)]);
}

/** The header line that authenticates these tests' raw requests to the receiver. */
const AUTHORIZATION_LINE = `Authorization: ${RECEIVER_AUTH.authorization}`;

/** `request` with {@link AUTHORIZATION_LINE} right after its request line. */
function authorized(request: Buffer): Buffer {
  const at = request.indexOf("\r\n") + 2;
  return Buffer.concat([request.subarray(0, at), Buffer.from(`${AUTHORIZATION_LINE}\r\n`, "latin1"), request.subarray(at)]);
}

/** The subject and payload of a NATS `PUB <subject> <size>` protocol message. */
function natsPublication(message: Buffer): { subject: string; payload: Buffer } {
  const lineEnd = message.indexOf("\r\n");
  const [verb, subject, size] = message.subarray(0, lineEnd).toString("latin1").split(" ");
  if (verb !== "PUB" || subject === undefined || size === undefined) throw new Error("not a NATS PUB message");
  return { subject, payload: message.subarray(lineEnd + 2, lineEnd + 2 + Number(size)) };
}

/** Deliveries intake finished writing: the count of its latency histogram. */
async function writtenDeliveries(registry: Registry): Promise<number> {
  const data = await registry.getSingleMetric("soar_intake_latency_seconds")?.get();
  const values: readonly { metricName?: string; value: number }[] = data?.values ?? [];
  return values.find((value) => value.metricName === "soar_intake_latency_seconds_count")?.value ?? 0;
}

const utf8Line = (line: string): Buffer => Buffer.from(line, "utf8");

/** The receiver's body limit in these tests. */
const BODY_LIMIT = 8 * 1024 * 1024;

describe("producers as they really send", () => {
  let namespace = "";
  const suite = useIntakeSuite(async (kubeConfig, natsUrl) => {
    namespace = await createTestNamespace(kubeConfig, "intake-producers");
    return testOptions({ natsUrl, defaultNamespace: namespace, receiver: { maxBodyBytes: BODY_LIMIT } });
  });

  it("reads raw UTF-8 and quoted-string ce- headers of a binary-mode CloudEvent", async () => {
    const answer = await rawPost(
      suite.intake.receiverUrl,
      "/events",
      [
        utf8Line("Content-Type: application/json"),
        utf8Line("Ce-Specversion: 1.0"),
        utf8Line("Ce-Id: utf8-header-1"),
        utf8Line("Ce-Source: //producers.test"),
        utf8Line("Ce-Type: com.example.utf8"),
        utf8Line("Ce-Severity: high"),
        utf8Line("Ce-Subject: Zürich ✓ 東京 50% load"),
        utf8Line('Ce-Comment: "a \\"quoted\\" value"'),
      ],
      Buffer.from("{}"),
    );
    expect(answer).toMatchObject({ status: 202 });
    await waitFor(async () => (await listIncidents(suite.kubeConfig, namespace)).some((incident) => incident.spec.event?.id === "utf8-header-1"), {
      timeoutMs: 20_000,
      description: "the Incident of the event with UTF-8 headers",
    });
    const incident = (await listIncidents(suite.kubeConfig, namespace)).find((candidate) => candidate.spec.event?.id === "utf8-header-1");
    expect(incident?.spec.event?.subject).toBe("Zürich ✓ 東京 50% load");
  });

  it("refuses header bytes that are neither ASCII nor UTF-8", async () => {
    const answer = await rawPost(
      suite.intake.receiverUrl,
      "/events",
      [
        utf8Line("Content-Type: application/json"),
        utf8Line("Ce-Specversion: 1.0"),
        utf8Line("Ce-Id: latin1-header-1"),
        utf8Line("Ce-Source: //producers.test"),
        utf8Line("Ce-Type: com.example.utf8"),
        Buffer.from("Ce-Subject: Z\xfcrich", "latin1"),
      ],
      Buffer.from("{}"),
    );
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { reason: "invalid-encoding", field: "ce-subject" } });
  });

  it.each([
    ["declares its length", true],
    ["sends it chunked", false],
  ])("answers a client that %s and reads only after sending a body over the limit with a 413", async (_name, declared) => {
    // Three times the limit: more than the kernel's socket buffers hold, so the client is still
    // sending when the receiver has decided.
    const answer = await sendThenRead(suite.intake.receiverUrl, "/events", 3 * BODY_LIMIT, declared);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { reason: "too-large", field: "body" } });
  });

  it("counts one Falco alert sent through Falcosidekick's webhook, CloudEvents and NATS outputs once", async () => {
    const webhook = await rawRequest(suite.intake.receiverUrl, authorized(falcosidekickFixture("webhook.http")));
    expect(webhook).toMatchObject({ status: 202 });
    expect(JSON.parse(webhook.body)).toMatchObject({ stored: 1, duplicates: 0 });
    const cloudEvent = await rawRequest(suite.intake.receiverUrl, authorized(falcosidekickFixture("cloudevents-binary.http")));
    expect(cloudEvent).toMatchObject({ status: 202 });
    expect(JSON.parse(cloudEvent.body)).toMatchObject({ stored: 0, duplicates: 1 });
    const { subject, payload } = natsPublication(falcosidekickFixture("nats.msg"));
    await publish(suite.connection, subject, payload);
    await waitFor(async () => (await writtenDeliveries(suite.intake.registry)) >= 2, {
      timeoutMs: 20_000,
      description: "the webhook copy and the NATS copy written",
    });
    const falco = (await listIncidents(suite.kubeConfig, namespace)).filter((incident) => incident.spec.event?.type === "falco.rule.output.v1");
    expect(falco).toHaveLength(1);
    expect(falco[0]?.status?.occurrences).toBe(1);
    expect(falco[0]?.spec.event?.id).toBe("6b0f3c1e-2d4a-4f8b-9e7c-5a1d2c3b4e5f");
  });
});

describe("Falcosidekick's CloudEvents output with credentials in its address", () => {
  const token = "falcosidekick-receiver-token";
  const basic = (user: string, password: string): string => `Authorization: Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  let dir = "";
  let namespace = "";
  const suite = useIntakeSuite(async (kubeConfig, natsUrl) => {
    namespace = await createTestNamespace(kubeConfig, "intake-producers-auth");
    dir = mkdtempSync(join(tmpdir(), "soar-producers-"));
    const tokenFile = join(dir, "tokens");
    writeFileSync(tokenFile, `${token}\n`);
    return testOptions({ natsUrl, defaultNamespace: namespace, receiver: { tokenFile } });
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("is accepted with the token as the Basic password, whatever the user name", async () => {
    const answer = await rawRequest(suite.intake.receiverUrl, withHeader(falcosidekickFixture("cloudevents-binary.http"), basic("falcosidekick", token)));
    expect(answer).toMatchObject({ status: 202 });
  });

  it("is refused with another password, and the refusal is logged with reason, address and path", async () => {
    const answer = await rawRequest(suite.intake.receiverUrl, withHeader(falcosidekickFixture("cloudevents-binary.http"), basic("falcosidekick", "wrong")));
    expect(answer.status).toBe(401);
    const refusals = suite.intake.logs.lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line["msg"] === "receiver refused a request");
    expect(refusals).toContainEqual(expect.objectContaining({ level: 40, reason: "token-not-accepted", remoteAddress: "127.0.0.1", path: "/falco" }));
  });
});
