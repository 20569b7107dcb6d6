import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Alert } from "./alert.ts";
import { alertFromNatsMessage } from "./alert-intake.ts";
import { RejectReason, type Result } from "./rejection.ts";
import { alertsFromAlertmanagerWebhook, alertsFromFalcoHttp, alertsFromHttpCloudEvents, isRejectReason } from "../testing/ingest.ts";

const fixture = (name: string): Buffer => readFileSync(new URL(`../../../shared/fixtures/${name}`, import.meta.url));
const receivedAt = new Date("2026-11-28T00:00:00Z");

interface MalformedCase {
  readonly case: string;
  readonly body?: string;
  readonly generate?: string;
}

const cases = fixture("malformed/cases.jsonl")
  .toString("utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => JSON.parse(line) as MalformedCase);

/** A small deterministic generator (xorshift32), so "random bytes" are the same on every run. */
function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
  return bytes;
}

const validAttributes = { specversion: "1.0", id: "big-1", source: "//generator.example", type: "com.example.generated" };

/** Builds the inputs that the `generate` lines describe. */
const generated: Readonly<Record<string, () => Uint8Array>> = {
  "deeply nested data": () => Buffer.from(`{"specversion":"1.0","id":"deep-1","source":"x","type":"t","data":${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}}`),
  oversized: () => Buffer.from(JSON.stringify({ ...validAttributes, data: { blob: "x".repeat(8 * 1024 * 1024) } })),
  "binary garbage": () => pseudoRandomBytes(4096, 0x9e3779b9),
};

type Route = "cloudevents" | "falco" | "alertmanager" | "any";

/** Where each case is sent and how it must be refused; `field` may end with `*` for a path prefix. */
const expectations: Readonly<Record<string, { route: Route; reason: RejectReason; field: string }>> = {
  "not json": { route: "cloudevents", reason: RejectReason.InvalidJson, field: "body" },
  "missing specversion": { route: "cloudevents", reason: RejectReason.MissingAttribute, field: "specversion" },
  "missing id": { route: "cloudevents", reason: RejectReason.MissingAttribute, field: "id" },
  "unsupported specversion": { route: "cloudevents", reason: RejectReason.UnsupportedSpecversion, field: "specversion" },
  "wrong types": { route: "cloudevents", reason: RejectReason.InvalidAttribute, field: "specversion" },
  "bad time": { route: "cloudevents", reason: RejectReason.InvalidAttribute, field: "time" },
  "bad extension name": { route: "cloudevents", reason: RejectReason.InvalidAttribute, field: "Bad-Name" },
  "falco without rule": { route: "falco", reason: RejectReason.InvalidFalco, field: "rule" },
  "falco unknown priority": { route: "falco", reason: RejectReason.InvalidFalco, field: "priority" },
  "alertmanager empty alerts": { route: "alertmanager", reason: RejectReason.InvalidAlertmanager, field: "alerts" },
  "deeply nested data": { route: "cloudevents", reason: RejectReason.TooDeep, field: "data.a.a*" },
  oversized: { route: "cloudevents", reason: RejectReason.TooLarge, field: "body" },
  "binary garbage": { route: "any", reason: RejectReason.InvalidEncoding, field: "body" },
  "prototype pollution": { route: "cloudevents", reason: RejectReason.ForbiddenKey, field: "data.__proto__" },
};

const STRUCTURED = { "content-type": "application/cloudevents+json" };
const natsStructured = new Map([["Content-Type", ["application/cloudevents+json"]]]);

/** Every intake path a case of the route reaches. */
function decoders(route: Route): [string, (body: Uint8Array) => Result<unknown>][] {
  const cloudevents: [string, (body: Uint8Array) => Result<unknown>][] = [
    ["HTTP /events structured", (body) => alertsFromHttpCloudEvents(STRUCTURED, body, receivedAt)],
    ["NATS structured", (body) => alertFromNatsMessage({ subject: "soar.events.test", headers: natsStructured, data: body }, receivedAt)],
  ];
  const falco: [string, (body: Uint8Array) => Result<unknown>][] = [
    ["HTTP /falco", (body) => alertsFromFalcoHttp({ "content-type": "application/json" }, body, receivedAt)],
    ["NATS falco subject", (body) => alertFromNatsMessage({ subject: "falco.critical.r", data: body }, receivedAt)],
  ];
  const alertmanager: [string, (body: Uint8Array) => Result<unknown>][] = [["HTTP /alertmanager", (body) => alertsFromAlertmanagerWebhook(body, receivedAt)]];
  switch (route) {
    case "cloudevents":
      return cloudevents;
    case "falco":
      return falco;
    case "alertmanager":
      return alertmanager;
    case "any":
      return [...cloudevents, ...falco, ...alertmanager, ["HTTP /events without headers", (body) => alertsFromHttpCloudEvents({}, body, receivedAt)]];
  }
}

const inputs = new Map<string, Uint8Array>();

/** The bytes of a case, built once. */
function inputOf(entry: MalformedCase): Uint8Array {
  const known = inputs.get(entry.case);
  if (known !== undefined) return known;
  const build = entry.body === undefined ? generated[entry.case] : () => Buffer.from(entry.body ?? "", "utf8");
  if (build === undefined) throw new Error(`no generator for case ${entry.case}`);
  const input = build();
  inputs.set(entry.case, input);
  return input;
}

describe("malformed/cases.jsonl", () => {
  it("has an expectation for every case and a case for every expectation", () => {
    expect(cases.map((entry) => entry.case).sort()).toEqual(Object.keys(expectations).sort());
  });

  const table = cases.flatMap((entry) => {
    const expected = expectations[entry.case];
    if (expected === undefined) return [];
    return decoders(expected.route).map(([path, decode]) => ({ name: `${entry.case} via ${path}`, entry, decode, expected }));
  });

  it.each(table)("rejects $name", ({ entry, decode, expected }) => {
    const result = decode(inputOf(entry));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe(expected.reason);
    expect(isRejectReason(result.reason)).toBe(true);
    if (expected.field.endsWith("*")) expect(result.field.startsWith(expected.field.slice(0, -1))).toBe(true);
    else expect(result.field).toBe(expected.field);
    expect(result.message).toContain(result.field);
    expect(result.message.length).toBeLessThan(600);
  });

  it("leaves the valid events around the bad ones unaffected", () => {
    const valid = (): Alert[] => {
      const structured = alertsFromHttpCloudEvents(STRUCTURED, fixture("cloudevents/structured.json"), receivedAt);
      const falco = alertFromNatsMessage({ subject: "falco.notice.x", data: fixture("falco/terminal-shell-in-container.json") }, receivedAt);
      const webhook = alertsFromAlertmanagerWebhook(fixture("alertmanager/crashloop-firing.json"), receivedAt);
      if (!structured.ok || !falco.ok || !webhook.ok) throw new Error("a valid fixture was rejected");
      return [...structured.value, falco.value, ...webhook.value];
    };
    const before = valid();
    const interleaved: Alert[] = [];
    for (const { entry, decode } of table) {
      expect(decode(inputOf(entry)).ok).toBe(false);
      interleaved.push(...valid());
    }
    expect(interleaved).toHaveLength(before.length * table.length);
    for (let i = 0; i < interleaved.length; i += before.length) expect(interleaved.slice(i, i + before.length)).toEqual(before);
  });

  it("never pollutes Object.prototype", () => {
    for (const { entry, decode } of table) decode(inputOf(entry));
    expect(({} as Record<string, unknown>)["admin"]).toBeUndefined();
    expect(({} as Record<string, unknown>)["x"]).toBeUndefined();
  });
});
