import { createHash } from "node:crypto";
import { headers as msgHeaders } from "@nats-io/transport-node";
import { describe, expect, it } from "vitest";
import { decodeNatsMessage } from "./decode-nats-message.ts";
import { resolveDecodeLimits } from "./decode-limits.ts";
import { FALCO_EVENT_SOURCE, FALCO_EVENT_TYPE } from "./falco-event.ts";
import { RejectReason } from "../rejection.ts";

const bytes = (value: unknown): Uint8Array => Buffer.from(typeof value === "string" ? value : JSON.stringify(value), "utf8");
const attributes = { specversion: "1.0", id: "n-1", source: "//scanner.example.com/x", type: "com.example.found" };
const falcoAlert = { output: "x", priority: "Warning", rule: "Some rule", time: "2026-11-20T10:42:17Z", source: "syscalls", hostname: "worker-1" };

/** NATS MsgHdrs iterate as [name, values[]] pairs with names as sent. */
const natsHeaders = (record: Record<string, string>): Map<string, string[]> => new Map(Object.entries(record).map(([name, value]) => [name, [value]]));

describe("decodeNatsMessage", () => {
  it("decodes binary mode from ce- headers, taking the data content type from ce-datacontenttype", () => {
    const headers = natsHeaders({ "ce-specversion": "1.0", "ce-id": "n-1", "ce-source": "//scanner.example.com/x", "ce-type": "com.example.found", "ce-datacontenttype": "text/plain" });
    expect(decodeNatsMessage({ subject: "soar.events.a", headers, data: bytes("plain words") })).toEqual({
      ok: true,
      value: { ...attributes, datacontenttype: "text/plain", extensions: {}, data: "plain words" },
    });
  });

  it("reads the headers of a real NATS message header set, percent-decoding values", () => {
    const headers = msgHeaders();
    for (const [name, value] of Object.entries({ "ce-specversion": "1.0", "Ce-Id": "n-1", "ce-source": "//scanner.example.com/x", "ce-type": "com.example.found", "ce-subject": "a%20b" })) {
      headers.set(name, value);
    }
    headers.set("Nats-Msg-Id", "ignored");
    expect(decodeNatsMessage({ subject: "soar.events.a", headers, data: bytes({}) })).toEqual({
      ok: true,
      value: { ...attributes, subject: "a b", extensions: {}, data: {} },
    });
    headers.append("ce-severity", "high");
    headers.append("ce-severity", "low");
    expect(decodeNatsMessage({ subject: "soar.events.a", headers, data: bytes({}) })).toMatchObject({ ok: false, reason: RejectReason.InvalidAttribute, field: "ce-severity" });
  });

  it("prefers ce-datacontenttype over Content-Type and falls back to Content-Type", () => {
    const base = { "ce-specversion": "1.0", "ce-id": "n-1", "ce-source": "x", "ce-type": "t" };
    expect(decodeNatsMessage({ subject: "s", headers: natsHeaders({ ...base, "ce-datacontenttype": "application/json", "Content-Type": "text/plain" }), data: bytes([1]) })).toMatchObject({
      ok: true,
      value: { datacontenttype: "application/json", data: [1] },
    });
    expect(decodeNatsMessage({ subject: "s", headers: natsHeaders({ ...base, "Content-Type": "text/plain" }), data: bytes("[1]") })).toMatchObject({
      ok: true,
      value: { datacontenttype: "text/plain", data: "[1]" },
    });
  });

  it("decodes structured mode by content type or by a specversion member", () => {
    const structured = { ...attributes, data: { a: 1 } };
    const expected = { ok: true, value: { ...attributes, extensions: {}, data: { a: 1 } } };
    expect(decodeNatsMessage({ subject: "s", headers: natsHeaders({ "Content-Type": "application/cloudevents+json" }), data: bytes(structured) })).toEqual(expected);
    expect(decodeNatsMessage({ subject: "s", data: bytes(structured) })).toEqual(expected);
    expect(decodeNatsMessage({ subject: "falco.warning.x", data: bytes(structured) })).toEqual(expected);
  });

  it("wraps raw Falco JSON on falco.> subjects, with an id that is stable across redeliveries", () => {
    const data = bytes(falcoAlert);
    const first = decodeNatsMessage({ subject: "falco.warning.some_rule", data });
    const redelivered = decodeNatsMessage({ subject: "falco.warning.some_rule", data: Uint8Array.from(data) });
    expect(first).toEqual({
      ok: true,
      value: {
        specversion: "1.0",
        id: createHash("sha256").update(data).digest("hex"),
        source: FALCO_EVENT_SOURCE,
        type: FALCO_EVENT_TYPE,
        time: "2026-11-20T10:42:17Z",
        datacontenttype: "application/json",
        extensions: { priority: "Warning", rule: "Some rule", eventsource: "syscall", hostname: "worker-1" },
        data: falcoAlert,
      },
    });
    expect(redelivered).toEqual(first);
  });

  it("uses Falcosidekick's uuid as the id when it is one", () => {
    const result = decodeNatsMessage({ subject: "falco.warning.x", data: bytes({ ...falcoAlert, uuid: "3F1C2A9E-5B7D-4E8A-9C0F-1D2E3F4A5B6C" }) });
    expect(result).toMatchObject({ ok: true, value: { id: "3f1c2a9e-5b7d-4e8a-9c0f-1d2e3f4a5b6c" } });
    const notUuid = bytes({ ...falcoAlert, uuid: "not-a-uuid" });
    expect(decodeNatsMessage({ subject: "falco.warning.x", data: notUuid })).toMatchObject({ ok: true, value: { id: createHash("sha256").update(notUuid).digest("hex") } });
  });

  it.each([
    ["raw JSON off the falco subjects", { subject: "soar.events.a", data: bytes(falcoAlert) }, RejectReason.UnknownFormat, "body"],
    ["a batch", { subject: "s", headers: natsHeaders({ "Content-Type": "application/cloudevents-batch+json" }), data: bytes([]) }, RejectReason.UnsupportedContentType, "content-type"],
    ["invalid Falco JSON on a falco subject", { subject: "falco.x", data: bytes({ ...falcoAlert, rule: "" }) }, RejectReason.InvalidFalco, "rule"],
    ["a Falco alert that is not an object", { subject: "falco.x", data: bytes([falcoAlert]) }, RejectReason.InvalidFalco, "body"],
    ["binary garbage", { subject: "falco.x", data: Uint8Array.of(0xc3, 0x28, 0xff) }, RejectReason.InvalidEncoding, "body"],
    ["plain JSON in another charset", { subject: "s", headers: natsHeaders({ "Content-Type": "application/json; charset=latin1" }), data: bytes(attributes) }, RejectReason.UnsupportedContentType, "content-type"],
    ["a duplicated ce-id header", { subject: "s", headers: new Map([["ce-id", ["1", "2"]]]), data: bytes({}) }, RejectReason.InvalidAttribute, "ce-id"],
  ])("rejects %s", (_name, message, reason, field) => {
    const result = decodeNatsMessage(message);
    expect(result).toMatchObject({ ok: false, reason, field });
    if (!result.ok) expect(result.message).toContain(field);
  });

  it("enforces the payload size and gives raw Falco no envelope level of depth", () => {
    const limits = resolveDecodeLimits({ maxBytes: 300, maxDepth: 2 });
    expect(decodeNatsMessage({ subject: "s", data: bytes({ ...attributes, data: "x".repeat(300) }) }, limits)).toMatchObject({ reason: RejectReason.TooLarge, field: "body" });
    expect(decodeNatsMessage({ subject: "falco.x", data: bytes({ ...falcoAlert, output_fields: { a: 1 } }) }, limits).ok).toBe(true);
    expect(decodeNatsMessage({ subject: "falco.x", data: bytes({ ...falcoAlert, output_fields: { a: [] } }) }, limits)).toMatchObject({
      reason: RejectReason.TooDeep,
      field: "output_fields.a",
    });
  });
});
