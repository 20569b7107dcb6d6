import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it, onTestFailed } from "vitest";
import { startNats, type RunningNats } from "../../hack/harness/nats.ts";
import { DeadLetterHeader } from "../../src/ingest/transport/nats-dead-letter.ts";
import { ensureCrds } from "../support/crds.ts";
import { createTestNamespace, loadKubeConfig, waitFor } from "../support/kube.ts";
import { fixtureBytes, listIncidents, metricValue, post, publish, startTestIntake, testOptions, useIntakeSuite, type TestIntake } from "./intake-helpers.ts";

interface MalformedCase {
  case: string;
  body?: string;
}

const lines: MalformedCase[] = fixtureBytes("malformed/cases.jsonl")
  .toString("utf8")
  .trim()
  .split("\n")
  .map((line) => JSON.parse(line) as MalformedCase);

function caseBody(name: string): string {
  const found = lines.find((line) => line.case === name);
  if (found?.body === undefined) throw new Error(`malformed case ${name} has no body`);
  return found.body;
}

/** Deterministic pseudo-random bytes (a linear congruential generator), so the case is reproducible. */
function garbage(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed;
  for (let index = 0; index < length; index++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    bytes[index] = state >>> 24;
  }
  return bytes;
}

function nested(levels: number): string {
  return `{"specversion":"1.0","id":"deep","source":"x","type":"t","data":${"[".repeat(levels)}${"]".repeat(levels)}}`;
}

function withBlob(bytes: number): string {
  return `{"specversion":"1.0","id":"big","source":"x","type":"t","data":{"blob":"${"a".repeat(bytes)}"}}`;
}

type Route = "cloudevents" | "falco" | "alertmanager";

interface Expected {
  name: string;
  body: () => Buffer;
  route: Route;
  /** Over NATS: reason and field of the dead-letter entry. */
  nats: { reason: string; field: string | RegExp };
  /** Over HTTP: status, reason and field of the error. */
  http: { status: number; reason: string; field: string | RegExp };
}

const RECEIVER_MAX_BODY = 256 * 1024;

const cases: Expected[] = [
  { name: "not json", body: () => Buffer.from(caseBody("not json")), route: "cloudevents", nats: { reason: "invalid-json", field: "body" }, http: { status: 400, reason: "invalid-json", field: "body" } },
  { name: "missing specversion", body: () => Buffer.from(caseBody("missing specversion")), route: "cloudevents", nats: { reason: "missing-attribute", field: "specversion" }, http: { status: 400, reason: "missing-attribute", field: "specversion" } },
  { name: "missing id", body: () => Buffer.from(caseBody("missing id")), route: "cloudevents", nats: { reason: "missing-attribute", field: "id" }, http: { status: 400, reason: "missing-attribute", field: "id" } },
  { name: "unsupported specversion", body: () => Buffer.from(caseBody("unsupported specversion")), route: "cloudevents", nats: { reason: "unsupported-specversion", field: "specversion" }, http: { status: 400, reason: "unsupported-specversion", field: "specversion" } },
  { name: "wrong types", body: () => Buffer.from(caseBody("wrong types")), route: "cloudevents", nats: { reason: "invalid-attribute", field: "specversion" }, http: { status: 400, reason: "invalid-attribute", field: "specversion" } },
  { name: "bad time", body: () => Buffer.from(caseBody("bad time")), route: "cloudevents", nats: { reason: "invalid-attribute", field: "time" }, http: { status: 400, reason: "invalid-attribute", field: "time" } },
  { name: "bad extension name", body: () => Buffer.from(caseBody("bad extension name")), route: "cloudevents", nats: { reason: "invalid-attribute", field: "Bad-Name" }, http: { status: 400, reason: "invalid-attribute", field: "Bad-Name" } },
  { name: "falco without rule", body: () => Buffer.from(caseBody("falco without rule")), route: "falco", nats: { reason: "invalid-falco", field: "rule" }, http: { status: 400, reason: "invalid-falco", field: "rule" } },
  { name: "falco unknown priority", body: () => Buffer.from(caseBody("falco unknown priority")), route: "falco", nats: { reason: "invalid-falco", field: "priority" }, http: { status: 400, reason: "invalid-falco", field: "priority" } },
  // NATS has no Alertmanager format: such a body there is not a CloudEvent at all.
  { name: "alertmanager empty alerts", body: () => Buffer.from(caseBody("alertmanager empty alerts")), route: "alertmanager", nats: { reason: "unknown-format", field: "body" }, http: { status: 400, reason: "invalid-alertmanager", field: "alerts" } },
  { name: "deeply nested data", body: () => Buffer.from(nested(10_000)), route: "cloudevents", nats: { reason: "too-deep", field: /^data/ }, http: { status: 400, reason: "too-deep", field: /^data/ } },
  // NATS refuses payloads over its max_payload (1 MiB) itself; on NATS the case uses the largest it takes.
  { name: "oversized", body: () => Buffer.from(withBlob(8 * 1024 * 1024)), route: "cloudevents", nats: { reason: "too-large", field: "body" }, http: { status: 413, reason: "too-large", field: "body" } },
  { name: "binary garbage", body: () => garbage(4096, 42), route: "cloudevents", nats: { reason: "invalid-encoding", field: "body" }, http: { status: 400, reason: "invalid-encoding", field: "body" } },
  { name: "prototype pollution", body: () => Buffer.from(caseBody("prototype pollution")), route: "cloudevents", nats: { reason: "forbidden-key", field: "data.__proto__" }, http: { status: 400, reason: "forbidden-key", field: "data.__proto__" } },
];

function validEvent(id: string): Buffer {
  return Buffer.from(JSON.stringify({ specversion: "1.0", id, source: "//malformed.test/valid", type: "com.example.valid", subject: id, severity: "critical", data: { ok: true } }));
}

const structured = { "content-type": "application/cloudevents+json" };

function matches(value: string, expected: string | RegExp): boolean {
  return typeof expected === "string" ? value === expected : expected.test(value);
}

describe("malformed input over NATS is dead-lettered while valid events flow on", () => {
  let namespace = "";
  const suite = useIntakeSuite(
    async (kubeConfig, natsUrl) => {
      namespace = await createTestNamespace(kubeConfig, "intake-malformed-nats");
      return testOptions({ natsUrl, defaultNamespace: namespace, receiver: { maxBodyBytes: RECEIVER_MAX_BODY } });
    },
    { captureDeadLetters: true },
  );

  cases.forEach((testCase, index) => {
    it(`${testCase.name}: dead-lettered as ${testCase.nats.reason}`, async () => {
      const subject = testCase.route === "falco" ? `falco.critical.case_${String(index)}` : `soar.events.malformed.case${String(index)}`;
      const headers = testCase.route === "cloudevents" ? structured : {};
      let body = testCase.body();
      if (testCase.name === "oversized") body = Buffer.from(withBlob(700 * 1024));
      const before = await metricValue(suite.intake.registry, "soar_intake_dead_lettered_total", { reason: testCase.nats.reason });
      await publish(suite.connection, "soar.events.valid", validEvent(`before-${String(index)}`), structured);
      await publish(suite.connection, subject, body, headers);
      await publish(suite.connection, "soar.events.valid", validEvent(`after-${String(index)}`), structured);

      const entry = await waitFor(() => suite.deadLetters.find((message) => message.headers?.get(DeadLetterHeader.OriginalSubject) === subject), {
        timeoutMs: 20_000,
        description: `dead-letter entry for ${subject}`,
      });
      expect(entry.subject).toBe(`soar.deadletter.${testCase.nats.reason}`);
      expect(entry.headers?.get(DeadLetterHeader.Reason)).toBe(testCase.nats.reason);
      const field = entry.headers?.get(DeadLetterHeader.Field) ?? "";
      expect(matches(field, testCase.nats.field)).toBe(true);
      const message = entry.headers?.get(DeadLetterHeader.Message) ?? "";
      expect(message).toContain(field.slice(0, 40));
      expect(Buffer.from(entry.data).equals(body)).toBe(true);
      if (testCase.route === "cloudevents") expect(entry.headers?.get("content-type")).toBe(structured["content-type"]);
      await waitFor(async () => (await metricValue(suite.intake.registry, "soar_intake_dead_lettered_total", { reason: testCase.nats.reason })) === before + 1, {
        timeoutMs: 5_000,
        description: `soar_intake_dead_lettered_total{reason="${testCase.nats.reason}"} incremented`,
      });

      await waitFor(
        async () => {
          const subjects = new Set((await listIncidents(suite.kubeConfig, namespace)).map((incident) => incident.spec.event?.subject));
          return subjects.has(`before-${String(index)}`) && subjects.has(`after-${String(index)}`);
        },
        { timeoutMs: 20_000, description: "the valid events around the malformed one recorded" },
      );
    });
  });
});

describe("dead letters are durable when a stream captures them", () => {
  // No dead-letter stream is made here: intake creates it (stream mode create).
  const suite = useIntakeSuite(async (kubeConfig, natsUrl) =>
    testOptions({ natsUrl, defaultNamespace: await createTestNamespace(kubeConfig, "intake-deadletter-stream") }),
  );

  it("stores the original payload and the reason headers in the dead-letter stream it created", async () => {
    const body = Buffer.from(caseBody("bad time"));
    await publish(suite.connection, "soar.events.durable", body, structured);
    const jsm = await jetstreamManager(suite.connection);
    const stored = await waitFor(
      async () => {
        const info = await jsm.streams.info("SOAR_DEADLETTER");
        return info.state.messages === 1 ? jsm.streams.getMessage("SOAR_DEADLETTER", { seq: info.state.first_seq }) : undefined;
      },
      { timeoutMs: 20_000, description: "one entry in the dead-letter stream" },
    );
    expect(stored.subject).toBe("soar.deadletter.invalid-attribute");
    expect(stored.header.get(DeadLetterHeader.Field)).toBe("time");
    expect(stored.header.get(DeadLetterHeader.OriginalSubject)).toBe("soar.events.durable");
    expect(Buffer.from(stored.data).equals(body)).toBe(true);
    const config = (await jsm.streams.info("SOAR_DEADLETTER")).config;
    expect(config).toMatchObject({ subjects: ["soar.deadletter.>"], retention: "limits", storage: "file", max_age: 3_600_000 * 1_000_000 });
  });
});

describe("a delivery that keeps failing is dead-lettered as max-deliver, not lost", () => {
  // Every write fails (the default namespace does not exist): a transient error, retried until max_deliver.
  const suite = useIntakeSuite(
    (_kubeConfig, natsUrl) => testOptions({ natsUrl, defaultNamespace: "no-such-namespace-for-intake", nats: { maxDeliver: 3, backoffMs: [100] } }),
    { captureDeadLetters: true },
  );

  it("publishes the original message with reason max-deliver after the last delivery", async () => {
    const body = validEvent("never-writable");
    await publish(suite.connection, "soar.events.stuck", body, structured);
    const entry = await waitFor(() => suite.deadLetters.find((message) => message.headers?.get(DeadLetterHeader.OriginalSubject) === "soar.events.stuck"), {
      timeoutMs: 30_000,
      description: "the max-deliver dead-letter entry",
    });
    expect(entry.subject).toBe("soar.deadletter.max-deliver");
    expect(entry.headers?.get(DeadLetterHeader.Reason)).toBe("max-deliver");
    expect(entry.headers?.get(DeadLetterHeader.DeliveryCount)).toBe("3");
    expect(entry.headers?.get(DeadLetterHeader.Message)).toMatch(/^delivery: gave up after 3 deliveries/);
    expect(Buffer.from(entry.data).equals(body)).toBe(true);
  });
});

describe("the HTTP receiver refuses bad requests with a JSON error naming the field", () => {
  let kubeConfig: KubeConfig;
  let nats: RunningNats;
  let intake: TestIntake;
  let namespace: string;
  let tokenDir: string;
  const token = "s3cr3t-receiver-token";
  const auth = { authorization: `Bearer ${token}` };

  beforeAll(async () => {
    kubeConfig = loadKubeConfig();
    await ensureCrds(kubeConfig);
    namespace = await createTestNamespace(kubeConfig, "intake-malformed-http");
    tokenDir = mkdtempSync(join(tmpdir(), "soar-receiver-"));
    const tokenFile = join(tokenDir, "tokens");
    writeFileSync(tokenFile, `# receiver tokens\nother-token\n${token}\n`);
    nats = await startNats({ binDir: inject("binDir") });
    intake = await startTestIntake(
      kubeConfig,
      testOptions({ natsUrl: nats.url, defaultNamespace: namespace, receiver: { maxBodyBytes: RECEIVER_MAX_BODY, tokenFile } }),
      (condition, description) => waitFor(condition, { timeoutMs: 30_000, description }),
    );
  });

  afterAll(async () => {
    await intake.handle.stop();
    await nats.stop();
    rmSync(tokenDir, { recursive: true, force: true });
  });

  beforeEach(() => {
    onTestFailed(() => {
      console.error(intake.logs.tail());
    });
  });

  const paths: Record<Route, { path: string; contentType: string }> = {
    cloudevents: { path: "/events", contentType: "application/cloudevents+json" },
    falco: { path: "/falco", contentType: "application/json" },
    alertmanager: { path: "/alertmanager", contentType: "application/json" },
  };

  for (const testCase of cases) {
    it(`${testCase.name}: ${String(testCase.http.status)} ${testCase.http.reason}`, async () => {
      const { path, contentType } = paths[testCase.route];
      const response = await post(intake.receiverUrl, path, testCase.body(), { ...auth, "content-type": contentType });
      expect(response.status).toBe(testCase.http.status);
      const error = (response.json as { error: { reason: string; field: string; message: string } }).error;
      expect(error.reason).toBe(testCase.http.reason);
      expect(matches(error.field, testCase.http.field)).toBe(true);
      expect(error.message.length).toBeGreaterThan(0);
    });
  }

  const authCases: { name: string; headers: Record<string, string>; status: number }[] = [
    { name: "no token", headers: {}, status: 401 },
    { name: "a wrong token", headers: { authorization: "Bearer not-the-token" }, status: 401 },
    { name: "a token of another scheme", headers: { authorization: `Basic ${token}` }, status: 401 },
    { name: "the right token", headers: auth, status: 202 },
  ];
  for (const authCase of authCases) {
    it(`answers ${String(authCase.status)} to a request with ${authCase.name}`, async () => {
      const response = await post(intake.receiverUrl, "/events", validEvent(`auth-${authCase.name}`), { ...authCase.headers, ...structured });
      expect(response.status).toBe(authCase.status);
      if (authCase.status === 401) expect(response.json).toMatchObject({ error: { reason: "unauthorized", field: "Authorization" } });
    });
  }

  const contentTypeCases: { name: string; path: string; contentType: string }[] = [
    { name: "an Alertmanager webhook as text/plain", path: "/alertmanager", contentType: "text/plain" },
    { name: "a Falco alert as form data", path: "/falco", contentType: "application/x-www-form-urlencoded" },
    { name: "a CloudEvent in a non-JSON event format", path: "/events", contentType: "application/cloudevents+protobuf" },
  ];
  for (const contentTypeCase of contentTypeCases) {
    it(`answers 415 to ${contentTypeCase.name}`, async () => {
      const response = await post(intake.receiverUrl, contentTypeCase.path, "{}", { ...auth, "content-type": contentTypeCase.contentType });
      expect(response.status).toBe(415);
      expect(response.json).toMatchObject({ error: { reason: "unsupported-content-type", field: "content-type" } });
    });
  }

  it("answers 400 too-deep beyond the JSON depth limit and accepts the limit itself", async () => {
    const tooDeep = await post(intake.receiverUrl, "/events", nested(40), { ...auth, ...structured });
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.json).toMatchObject({ error: { reason: "too-deep" } });
    const atLimit = await post(intake.receiverUrl, "/events", nested(30).replace('"id":"deep"', '"id":"deep-ok"'), { ...auth, ...structured });
    expect(atLimit.status).toBe(202);
  });

  it("answers 413 before reading a body declared larger than the limit", async () => {
    const response = await post(intake.receiverUrl, "/events", Buffer.alloc(RECEIVER_MAX_BODY + 1, 0x20), { ...auth, ...structured });
    expect(response.status).toBe(413);
    expect(response.json).toMatchObject({ error: { reason: "too-large", field: "body" } });
  });

  it("answers 404 and 405 with JSON errors", async () => {
    expect((await post(intake.receiverUrl, "/nope", "{}", auth)).status).toBe(404);
    const health = await fetch(`${intake.receiverUrl}/healthz`);
    expect(health.status).toBe(200);
    const wrongMethod = await fetch(`${intake.receiverUrl}/events`, { method: "GET", headers: auth });
    expect(wrongMethod.status).toBe(405);
  });

  it("stores valid events sent between the bad ones", async () => {
    const response = await post(intake.receiverUrl, "/events", validEvent("http-valid"), { ...auth, ...structured });
    expect(response.status).toBe(202);
    expect(response.json).toMatchObject({ accepted: 1 });
    await waitFor(async () => (await listIncidents(kubeConfig, namespace)).some((incident) => incident.spec.event?.subject === "http-valid"), {
      timeoutMs: 20_000,
      description: "the valid event's Incident",
    });
  });

  it("answers 503 while NATS is down", async () => {
    await nats.stop();
    const response = await waitFor(
      async () => {
        const attempt = await post(intake.receiverUrl, "/events", validEvent("while-down"), { ...auth, ...structured });
        return attempt.status === 503 ? attempt : undefined;
      },
      { timeoutMs: 20_000, description: "a 503 from the receiver" },
    );
    expect(response.json).toMatchObject({ error: { reason: "nats-unavailable", field: "nats" } });
    expect(intake.handle.ready()).toBe(false);
  });
});
