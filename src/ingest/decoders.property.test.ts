import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Alert } from "./alert.ts";
import { alertFromNatsMessage } from "./alert-intake.ts";
import { alertProblems, alertsFromAlertmanagerWebhook, alertsFromFalcoHttp, alertsFromHttpCloudEvents, isRejectReason } from "../testing/ingest.ts";
import type { CloudEventEnvelope } from "./decode/cloudevent-envelope.ts";
import { decodeHttpCloudEvents } from "./decode/decode-http-cloudevents.ts";
import { decodeNatsMessage } from "./decode/decode-nats-message.ts";
import type { HeaderSource } from "./decode/header-map.ts";
import type { Result } from "./rejection.ts";

const fixture = (name: string): Buffer => readFileSync(new URL(`../../../shared/fixtures/${name}`, import.meta.url));
const receivedAt = new Date("2026-11-28T00:00:00Z");

/** One generated input, fed to every decoder. */
interface Input {
  readonly subject: string;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
}

function checkRejection(result: Result<unknown>): void {
  if (result.ok) return;
  expect(isRejectReason(result.reason)).toBe(true);
  expect(result.field).not.toBe("");
  expect(result.message).toContain(result.field);
}

function checkAlerts(result: Result<readonly Alert[]>): void {
  checkRejection(result);
  if (result.ok) for (const alert of result.value) expect(alertProblems(alert)).toEqual([]);
}

/** The event as structured-mode JSON, as a relay would forward it. */
function structured(event: CloudEventEnvelope): Uint8Array {
  const { extensions, ...context } = event;
  return Buffer.from(JSON.stringify({ ...extensions, ...context }), "utf8");
}

/** An accepted envelope must survive re-encoding: it decodes again, to itself. */
function checkEnvelopes(result: Result<readonly CloudEventEnvelope[]>): void {
  checkRejection(result);
  if (!result.ok) return;
  for (const event of result.value) {
    const again = decodeHttpCloudEvents({ "content-type": "application/cloudevents+json" }, structured(event));
    expect(again).toEqual({ ok: true, value: [event] });
  }
}

/**
 * Feeds one input to every intake path (decode, normalise, redact, bound); none may throw, and
 * each must accept alerts that keep the Alert contract or reject with a known reason.
 */
function feed(input: Input): void {
  const headers: HeaderSource = input.headers;
  const natsHeaders = new Map(Object.entries(input.headers).map(([name, value]) => [name, [value]]));
  checkAlerts(mapSingle(alertFromNatsMessage({ subject: input.subject, headers: natsHeaders, data: input.body }, receivedAt)));
  checkAlerts(alertsFromHttpCloudEvents(headers, input.body, receivedAt));
  checkAlerts(alertsFromAlertmanagerWebhook(input.body, receivedAt));
  checkAlerts(alertsFromFalcoHttp(headers, input.body, receivedAt));
}

/** Also checks that the envelopes the CloudEvents decoders accept survive re-encoding. */
function feedEnvelopes(input: Input): void {
  const natsHeaders = new Map(Object.entries(input.headers).map(([name, value]) => [name, [value]]));
  checkEnvelopes(mapSingle(decodeNatsMessage({ subject: input.subject, headers: natsHeaders, data: input.body })));
  checkEnvelopes(decodeHttpCloudEvents(input.headers, input.body));
}

function mapSingle<T>(result: Result<T>): Result<readonly T[]> {
  return result.ok ? { ok: true, value: [result.value] } : result;
}

const subjects = fc.constantFrom("falco.notice.terminal_shell_in_container", "falco.critical.x", "soar.events.scanner", "soar.events.http.cloudevent", "falco.");

const headerNames = fc.constantFrom(
  "ce-specversion",
  "ce-id",
  "ce-source",
  "ce-type",
  "ce-time",
  "ce-subject",
  "ce-datacontenttype",
  "ce-dataschema",
  "ce-severity",
  "ce-priority",
  "Ce-Rule",
  "ce-Bad_Name",
  "ce-",
  "ce-data",
  "Content-Type",
  "X-Other",
);

const headerValues = fc.oneof(
  fc.constantFrom(
    "1.0",
    "0.3",
    "application/json",
    "application/cloudevents+json",
    "application/cloudevents-batch+json",
    "application/cloudevents+avro",
    "text/plain; charset=utf-8",
    "application/json; charset=latin1",
    "application/octet-stream",
    "2026-11-20T10:42:17Z",
    "yesterday",
    "https://falco.org",
    "falco.rule.output.v1",
    "io.prometheus.alertmanager.alert.v1",
    "%FF",
    "a%20b",
    "a%00b",
    "%",
    "critical",
    "",
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
);

const randomHeaders = fc.dictionary(headerNames, headerValues, { maxKeys: 8 });

const validBinaryHeaders = fc
  .record({ time: fc.constantFrom("2026-11-20T10:42:17Z", "2026-11-20T10:42:17.5+02:00"), type: fc.constantFrom("com.example.t", "falco.rule.output.v1", "io.prometheus.alertmanager.alert.v1") })
  .chain(({ time, type }) =>
    randomHeaders.map((extra) => ({ "ce-specversion": "1.0", "ce-id": "gen-1", "ce-source": "//gen.example", "ce-type": type, "ce-time": time, "content-type": "application/json", ...extra })),
  );

const fixtureNames = [
  "falco/terminal-shell-in-container.json",
  "falco/crypto-miner-outbound.json",
  "falco/hostile-fields.json",
  "falco/k8s-audit-exec.json",
  "falco/write-below-binary-dir.json",
  "alertmanager/crashloop-firing.json",
  "alertmanager/crashloop-resolved.json",
  "cloudevents/structured.json",
];
const fixtureValues: unknown[] = fixtureNames.map((name) => JSON.parse(fixture(name).toString("utf8")) as unknown);

type Mutation = readonly ["set" | "delete" | "wrap", number, fc.JsonValue];

/** Every container path in a JSON value (arrays of keys). */
function containerPaths(value: unknown, path: readonly (string | number)[] = []): (readonly (string | number)[])[] {
  if (typeof value !== "object" || value === null) return [];
  const children = Array.isArray(value) ? value.map((item: unknown, index) => [index, item] as const) : Object.entries(value);
  return [path, ...children.flatMap(([key, item]) => containerPaths(item, [...path, key]))];
}

/** Applies mutations to a deep copy: set a member to a random value, delete one, or wrap one in an array. */
function mutate(value: unknown, mutations: readonly Mutation[]): unknown {
  const copy = structuredClone(value);
  for (const [kind, pick, replacement] of mutations) {
    const paths = containerPaths(copy);
    const path = paths[pick % paths.length];
    if (path === undefined) continue;
    let container: unknown = copy;
    for (const key of path) container = (container as Record<string | number, unknown>)[key];
    if (typeof container !== "object" || container === null) continue;
    const record = container as Record<string, unknown>;
    const keys = Object.keys(record);
    const key = keys.length === 0 ? "added" : (keys[pick % keys.length] ?? "added");
    if (kind === "delete") Reflect.deleteProperty(record, key);
    else if (kind === "wrap") record[key] = [record[key]];
    else record[key] = replacement;
  }
  return copy;
}

const mutation: fc.Arbitrary<Mutation> = fc.tuple(fc.constantFrom("set", "delete", "wrap"), fc.nat(), fc.jsonValue({ maxDepth: 3 }));

function mutatedFixtureValue(maxMutations: number): fc.Arbitrary<unknown> {
  return fc
    .tuple(fc.nat({ max: fixtureValues.length - 1 }), fc.array(mutation, { maxLength: maxMutations }))
    .map(([index, mutations]) => mutate(fixtureValues[index], mutations));
}

const mutatedFixture = mutatedFixtureValue(3).map((value) => Buffer.from(JSON.stringify(value), "utf8"));

const damagedFixture = fc
  .tuple(fc.nat({ max: fixtureNames.length - 1 }), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean())
  .map(([index, position, byte, truncate]) => {
    const bytes = Uint8Array.from(fixture(fixtureNames[index] ?? ""));
    const at = position % bytes.length;
    if (truncate) return bytes.subarray(0, at);
    bytes[at] = byte;
    return bytes;
  });

/** Mostly valid values, sometimes anything: keeps both the accepting and the rejecting paths busy. */
function mostly<T>(valid: fc.Arbitrary<T>, other: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: other, weight: 1 });
}

const structuredEvents = fc
  .record(
    {
      specversion: mostly(fc.constant("1.0"), fc.jsonValue({ maxDepth: 1 })),
      id: mostly(fc.string({ minLength: 1, maxLength: 20 }), fc.jsonValue({ maxDepth: 1 })),
      source: mostly(fc.constantFrom("//gen.example", "https://falco.org", "urn:x:y"), fc.string({ maxLength: 20 })),
      type: fc.constantFrom("com.example.t", "falco.rule.output.v1", "io.prometheus.alertmanager.alert.v1"),
      subject: mostly(fc.constantFrom("shop/deployment/web", "shop/pod/web-0", "x"), fc.string({ maxLength: 20 })),
      time: mostly(fc.constantFrom("2026-11-20T10:42:17Z", "2026-11-20T10:42:17.123456789+01:00"), fc.string({ maxLength: 10 })),
      severity: mostly(fc.constantFrom("critical", "warn", "p2", "none"), fc.oneof(fc.integer(), fc.boolean(), fc.string())),
      data: fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom(...fixtureValues), mutatedFixtureValue(2)),
    },
    { requiredKeys: ["specversion", "id", "source", "type"] },
  )
  .chain((event) => fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }).map((extra) => ({ ...extra, ...event })))
  .map((event) => Buffer.from(JSON.stringify(event), "utf8"));

/** Four properties of 2,500 runs: 10,000 generated inputs, each fed to every intake path. */
const RUNS = 2500;
/** Generous for a loaded two-core machine; the runs take a few seconds on an idle one. */
const TIMEOUT_MS = 60_000;

describe("every decoder, fed generated and mutated input", () => {
  it("survives random bytes with random headers", () => {
    fc.assert(
      fc.property(subjects, randomHeaders, fc.uint8Array({ maxLength: 512 }), (subject, headers, body) => {
        feed({ subject, headers, body });
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT_MS);

  it("survives random JSON with random or binary-mode headers", () => {
    fc.assert(
      fc.property(subjects, fc.oneof(randomHeaders, validBinaryHeaders), fc.jsonValue({ maxDepth: 6 }), (subject, headers, value) => {
        const input = { subject, headers, body: Buffer.from(JSON.stringify(value), "utf8") };
        feed(input);
        feedEnvelopes(input);
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT_MS);

  it("survives mutated and damaged fixtures", () => {
    fc.assert(
      fc.property(
        subjects,
        fc.oneof(randomHeaders, { arbitrary: fc.constant({ "content-type": "application/json" }), weight: 3 }, validBinaryHeaders),
        fc.oneof({ arbitrary: mutatedFixture, weight: 3 }, damagedFixture),
        (subject, headers, body) => {
        feed({ subject, headers, body });
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT_MS);

  it("survives structured events with generated attributes", () => {
    fc.assert(
      fc.property(subjects, fc.constantFrom({ "content-type": "application/cloudevents+json" }, {}), structuredEvents, (subject, headers, body) => {
        feed({ subject, headers, body });
        feedEnvelopes({ subject, headers, body });
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT_MS);
});
