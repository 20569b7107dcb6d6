import { describe, expect, it } from "vitest";
import { decodeNatsMessage } from "../decode/decode-nats-message.ts";
import { decodeAlertmanagerWebhook } from "../decode/decode-alertmanager-webhook.ts";
import { decodeHttpCloudEvents } from "../decode/decode-http-cloudevents.ts";
import { structuredEventJson, STRUCTURED_CONTENT_TYPE } from "./nats-publisher.ts";
import { eventHash, eventIdentity } from "../identity/event-hash.ts";

const encoder = new TextEncoder();

const binary = decodeHttpCloudEvents(
  {
    "content-type": "application/json",
    "ce-specversion": "1.0",
    "ce-id": "id%201",
    "ce-source": "//scanner.example.com/x",
    "ce-type": "com.example.t",
    "ce-subject": "shop/web",
    "ce-time": "2026-11-25T14:00:05Z",
    "ce-severity": "critical",
  },
  encoder.encode('{"a":[1,"two",{"three":null}],"s":"${{ event.data }}"}'),
);

const alertmanager = decodeAlertmanagerWebhook(
  encoder.encode(
    JSON.stringify({
      version: "4",
      status: "firing",
      receiver: "r",
      externalURL: "http://am:9093",
      groupKey: "{}:{}",
      alerts: [{ status: "firing", labels: { alertname: "A", severity: "critical" }, annotations: {}, startsAt: "2026-11-24T09:12:30.512Z", fingerprint: "abc" }],
    }),
  ),
);

describe("structuredEventJson", () => {
  const cases = [
    { name: "a binary-mode CloudEvent", events: binary },
    { name: "an Alertmanager alert event", events: alertmanager },
  ];
  for (const testCase of cases) {
    it(`round-trips ${testCase.name} through NATS decoding unchanged`, () => {
      expect(testCase.events.ok).toBe(true);
      if (!testCase.events.ok) return;
      for (const event of testCase.events.value) {
        const decoded = decodeNatsMessage({
          subject: "soar.events.http.cloudevent",
          headers: { "Content-Type": [STRUCTURED_CONTENT_TYPE] },
          data: encoder.encode(structuredEventJson(event)),
        });
        expect(decoded).toEqual({ ok: true, value: event });
      }
    });
  }

  it("never lets an extension override a context attribute", () => {
    const json = JSON.parse(
      structuredEventJson({ specversion: "1.0", id: "1", source: "s", type: "t", extensions: { id: "forged", custom: "x" } }),
    ) as Record<string, unknown>;
    expect(json).toMatchObject({ id: "1", custom: "x" });
  });
});

describe("eventHash", () => {
  it("is stable, 32 hex characters, and separates source from id", () => {
    expect(eventHash("a", "b")).toBe(eventHash("a", "b"));
    expect(eventHash("a", "b")).toMatch(/^[0-9a-f]{32}$/);
    expect(eventHash("ab", "c")).not.toBe(eventHash("a", "bc"));
  });
});

describe("eventIdentity", () => {
  const uuid = "6B0F3C1E-2D4A-4F8B-9E7C-5A1D2C3B4E5F";
  it("keys a Falco alert by its uuid whatever the envelope's id and source", () => {
    expect(eventIdentity({ source: "//sidekick", id: "random-ce-id", type: "falco.rule.output.v1", data: { uuid } })).toEqual({
      source: "https://falco.org",
      id: uuid.toLowerCase(),
    });
  });

  it("keeps the envelope's identity for other events and for Falco data without a UUID", () => {
    expect(eventIdentity({ source: "//s", id: "e-1", type: "com.example", data: { uuid } })).toEqual({ source: "//s", id: "e-1" });
    expect(eventIdentity({ source: "//s", id: "e-1", type: "falco.rule.output.v1", data: { uuid: "not-a-uuid" } })).toEqual({ source: "//s", id: "e-1" });
  });
});
