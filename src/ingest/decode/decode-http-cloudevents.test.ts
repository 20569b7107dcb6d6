import { CloudEvent, HTTP } from "cloudevents";
import { describe, expect, it } from "vitest";
import { decodeHttpCloudEvents } from "./decode-http-cloudevents.ts";
import { resolveDecodeLimits } from "./decode-limits.ts";
import { RejectReason } from "../rejection.ts";

const body = (value: unknown): Uint8Array => Buffer.from(typeof value === "string" ? value : JSON.stringify(value), "utf8");
const attributes = { specversion: "1.0", id: "e-1", source: "//scanner.example.com/x", type: "com.example.found" };
const binaryHeaders = { "ce-specversion": "1.0", "ce-id": "e-1", "ce-source": "//scanner.example.com/x", "ce-type": "com.example.found" };
const STRUCTURED = "application/cloudevents+json; charset=utf-8";
const BATCH = "application/cloudevents-batch+json";

describe("decodeHttpCloudEvents", () => {
  it("decodes binary mode with percent-decoded attributes and JSON data", () => {
    const result = decodeHttpCloudEvents(
      { ...binaryHeaders, "Content-Type": "application/json", "ce-subject": "shop%2Fdeployment%2Fweb%20%22x%22", "ce-comment": "caf%C3%A9%25" },
      body({ a: 1 }),
    );
    expect(result).toEqual({
      ok: true,
      value: [{ ...attributes, subject: 'shop/deployment/web "x"', datacontenttype: "application/json", extensions: { comment: "café%" }, data: { a: 1 } }],
    });
  });

  it("reads raw UTF-8 header bytes as UTF-8 before percent-decoding, and unquotes quoted-strings", () => {
    const latin1 = (bytes: string): string => Buffer.from(bytes, "binary").toString("latin1");
    const result = decodeHttpCloudEvents(
      {
        ...binaryHeaders,
        "Ce-Subject": latin1("Z\xc3\xbcrich \xe2\x9c\x93 \xe6\x9d\xb1\xe4\xba\xac 50% load"),
        "Ce-Rule": latin1("Terminal shell in container \xe2\x80\x93 Z\xc3\xbcrich"),
        "ce-quoted": '"a \\"b\\" 100%25"',
      },
      new Uint8Array(),
    );
    expect(result).toMatchObject({
      ok: true,
      value: [{ subject: "Zürich ✓ 東京 50% load", extensions: { rule: "Terminal shell in container – Zürich", quoted: 'a "b" 100%' } }],
    });
    expect(decodeHttpCloudEvents({ ...binaryHeaders, "ce-subject": "Z\xfcrich" }, new Uint8Array())).toMatchObject({
      ok: false,
      reason: RejectReason.InvalidEncoding,
      field: "ce-subject",
    });
  });

  it("decodes binary mode text data as a string and an empty body as no data", () => {
    expect(decodeHttpCloudEvents({ ...binaryHeaders, "content-type": "text/plain" }, body("hello"))).toMatchObject({ ok: true, value: [{ data: "hello" }] });
    const empty = decodeHttpCloudEvents(binaryHeaders, new Uint8Array());
    expect(empty.ok && empty.value[0] !== undefined && "data" in empty.value[0]).toBe(false);
  });

  it("reads binary data without a content type as JSON", () => {
    expect(decodeHttpCloudEvents(binaryHeaders, body([1, 2]))).toMatchObject({ ok: true, value: [{ data: [1, 2] }] });
    expect(decodeHttpCloudEvents(binaryHeaders, body("not json"))).toMatchObject({ ok: false, reason: RejectReason.InvalidJson, field: "data" });
  });

  it("decodes structured mode with data or data_base64", () => {
    expect(decodeHttpCloudEvents({ "content-type": STRUCTURED }, body({ ...attributes, data: { a: 1 } }))).toEqual({
      ok: true,
      value: [{ ...attributes, extensions: {}, data: { a: 1 } }],
    });
    const encoded = Buffer.from('{"b":2}').toString("base64");
    expect(decodeHttpCloudEvents({ "content-type": STRUCTURED }, body({ ...attributes, datacontenttype: "application/json", data_base64: encoded }))).toMatchObject({
      ok: true,
      value: [{ data: { b: 2 } }],
    });
    expect(
      decodeHttpCloudEvents({ "content-type": STRUCTURED }, body({ ...attributes, datacontenttype: "text/plain", data_base64: Buffer.from("hi").toString("base64") })),
    ).toMatchObject({ ok: true, value: [{ data: "hi" }] });
  });

  it("decodes a JSON body with specversion as structured mode even without the CloudEvents content type", () => {
    expect(decodeHttpCloudEvents({ "content-type": "application/json" }, body(attributes))).toMatchObject({ ok: true, value: [{ id: "e-1" }] });
  });

  it("decodes batches, including an empty one", () => {
    const result = decodeHttpCloudEvents({ "content-type": BATCH }, body([attributes, { ...attributes, id: "e-2", data: "x", datacontenttype: "text/plain" }]));
    expect(result).toMatchObject({ ok: true, value: [{ id: "e-1" }, { id: "e-2", data: "x" }] });
    expect(decodeHttpCloudEvents({ "content-type": BATCH }, body([]))).toEqual({ ok: true, value: [] });
  });

  it.each([
    ["a batch that is not an array", { "content-type": BATCH }, body(attributes), RejectReason.UnknownFormat, "body"],
    ["a batch with one invalid event", { "content-type": BATCH }, body([attributes, { ...attributes, id: "" }]), RejectReason.InvalidAttribute, "[1].id"],
    ["a structured body that is an array", { "content-type": STRUCTURED }, body([attributes]), RejectReason.UnknownFormat, "body"],
    ["data and data_base64 together", { "content-type": STRUCTURED }, body({ ...attributes, data: 1, data_base64: "MQ==" }), RejectReason.InvalidAttribute, "data_base64"],
    ["malformed base64", { "content-type": STRUCTURED }, body({ ...attributes, data_base64: "not base64!" }), RejectReason.InvalidEncoding, "data_base64"],
    ["non-text data for a text type", { "content-type": STRUCTURED }, body({ ...attributes, datacontenttype: "text/plain", data: { a: 1 } }), RejectReason.InvalidAttribute, "data"],
    ["an unsupported data content type", { "content-type": STRUCTURED }, body({ ...attributes, datacontenttype: "application/xml", data: "<a/>" }), RejectReason.UnsupportedContentType, "data"],
    ["binary octet-stream data", { ...binaryHeaders, "content-type": "application/octet-stream" }, Uint8Array.of(1, 2, 3), RejectReason.UnsupportedContentType, "data"],
    ["binary text that is not UTF-8", { ...binaryHeaders, "content-type": "text/plain" }, Uint8Array.of(0xff), RejectReason.InvalidEncoding, "data"],
    ["a header that is not UTF-8 once percent-decoded", { ...binaryHeaders, "ce-subject": "%FF" }, body({}), RejectReason.InvalidEncoding, "subject"],
    ["a NUL smuggled through percent-encoding", { ...binaryHeaders, "ce-subject": "a%00b" }, body({}), RejectReason.InvalidAttribute, "subject"],
    ["an invalid extension header name", { ...binaryHeaders, "ce-bad_name": "v" }, body({}), RejectReason.InvalidAttribute, "bad_name"],
    ["a structured body in another charset", { "content-type": "application/cloudevents+json; charset=iso-8859-1" }, body(attributes), RejectReason.UnsupportedContentType, "content-type"],
    ["an Avro event format", { "content-type": "application/cloudevents+avro" }, body({}), RejectReason.UnsupportedContentType, "content-type"],
    ["plain JSON that is no event", { "content-type": "application/json" }, body({ hello: "world" }), RejectReason.UnknownFormat, "body"],
    ["no body at all", {}, new Uint8Array(), RejectReason.InvalidJson, "body"],
  ])("rejects %s", (_name, headers, input, reason, field) => {
    const result = decodeHttpCloudEvents(headers, input);
    expect(result).toMatchObject({ ok: false, reason, field });
    if (!result.ok) expect(result.message).toContain(field);
  });

  it("enforces the body, batch and depth limits", () => {
    const limits = resolveDecodeLimits({ maxBytes: 200, maxBatchEvents: 1, maxDepth: 2 });
    expect(decodeHttpCloudEvents({ "content-type": STRUCTURED }, body({ ...attributes, data: "x".repeat(200) }), limits)).toMatchObject({
      reason: RejectReason.TooLarge,
      field: "body",
    });
    expect(decodeHttpCloudEvents({ "content-type": BATCH }, body([attributes, attributes]), limits)).toMatchObject({ reason: RejectReason.TooLarge, field: "body" });
    expect(decodeHttpCloudEvents({ "content-type": STRUCTURED }, body({ ...attributes, data: { a: { b: 1 } } }), limits).ok).toBe(true);
    expect(decodeHttpCloudEvents({ "content-type": STRUCTURED }, body({ ...attributes, data: { a: { b: [] } } }), limits)).toMatchObject({
      reason: RejectReason.TooDeep,
      field: "data.a.b",
    });
    expect(decodeHttpCloudEvents({ "content-type": BATCH }, body([{ ...attributes, data: { a: { b: 1 } } }]), limits).ok).toBe(true);
    expect(decodeHttpCloudEvents({ ...binaryHeaders, "content-type": "application/json" }, body({ a: { b: [] } }), limits)).toMatchObject({
      reason: RejectReason.TooDeep,
      field: "data.a.b",
    });
  });

  describe("interoperates with the CloudEvents SDK's encoders", () => {
    const event = new CloudEvent({
      id: "sdk-1",
      source: "https://falco.org",
      type: "falco.rule.output.v1",
      subject: "web",
      time: "2026-11-20T10:42:17.118Z",
      priority: "Notice",
      data: { rule: "Terminal shell in container", n: 3 },
    });
    const expected = {
      specversion: "1.0",
      id: "sdk-1",
      source: "https://falco.org",
      type: "falco.rule.output.v1",
      subject: "web",
      time: "2026-11-20T10:42:17.118Z",
      extensions: { priority: "Notice" },
      data: { rule: "Terminal shell in container", n: 3 },
    };

    it("decodes what HTTP.binary sends", () => {
      const message = HTTP.binary(event);
      const result = decodeHttpCloudEvents(message.headers, body(message.body));
      expect(result).toMatchObject({ ok: true, value: [expected] });
    });

    it("decodes what HTTP.structured sends", () => {
      const message = HTTP.structured(event);
      const result = decodeHttpCloudEvents(message.headers, body(message.body));
      expect(result).toMatchObject({ ok: true, value: [expected] });
    });
  });
});
