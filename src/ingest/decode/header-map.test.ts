import { describe, expect, it } from "vitest";
import { DEFAULT_DECODE_LIMITS } from "./decode-limits.ts";
import { readHeaders, type HeaderSource } from "./header-map.ts";
import { RejectReason } from "../rejection.ts";

const expected = new Map([
  ["ce-id", "1"],
  ["content-type", "application/json"],
]);

describe("readHeaders", () => {
  it.each<[string, HeaderSource]>([
    ["a plain record with mixed case", { "Ce-Id": "1", "Content-Type": "application/json", "X-Other": "ignored" }],
    ["a record of arrays, as Node gives repeated headers", { "ce-id": ["1"], "content-type": ["application/json"], "x-forwarded-for": ["a", "b"] }],
    ["a Map of value lists, as NATS MsgHdrs iterates", new Map([["CE-ID", ["1"]], ["content-type", ["application/json"]], ["Nats-Msg-Id", ["x"]]])],
    ["an iterable of pairs", [["ce-id", "1"], ["Content-Type", "application/json"]] as const],
  ])("reads %s", (_name, source) => {
    const result = readHeaders(source, DEFAULT_DECODE_LIMITS, "nats");
    expect(result).toEqual({ ok: true, value: expected });
  });

  it("reads absent headers as none", () => {
    expect(readHeaders(undefined, DEFAULT_DECODE_LIMITS, "nats")).toEqual({ ok: true, value: new Map() });
  });

  it("skips headers without values", () => {
    expect(readHeaders({ "ce-id": [], "ce-source": undefined }, DEFAULT_DECODE_LIMITS, "nats")).toEqual({ ok: true, value: new Map() });
  });

  it.each<[string, HeaderSource, string]>([
    ["an attribute header given twice", { "ce-id": ["1", "2"] }, "ce-id"],
    ["the same header in two spellings", { "Ce-Id": "1", "ce-id": "1" }, "ce-id"],
    ["Content-Type given twice", new Map([["Content-Type", ["a/b", "c/d"]]]), "content-type"],
  ])("rejects %s", (_name, source, field) => {
    const result = readHeaders(source, DEFAULT_DECODE_LIMITS, "nats");
    expect(result).toMatchObject({ ok: false, reason: RejectReason.InvalidAttribute, field });
    if (!result.ok) expect(result.message).toContain(field);
  });

  it("rejects a non-string value", () => {
    const hostile = { "ce-id": 42 } as unknown as HeaderSource;
    expect(readHeaders(hostile, DEFAULT_DECODE_LIMITS, "nats")).toMatchObject({ ok: false, reason: RejectReason.InvalidAttribute, field: "ce-id" });
  });

  it("rejects headers above the size limit and ignores the size of other headers", () => {
    const big = "x".repeat(100);
    expect(readHeaders({ "ce-a": big, "ce-b": big }, { maxHeaderBytes: 200 }, "nats")).toMatchObject({ ok: false, reason: RejectReason.TooLarge, field: "headers" });
    expect(readHeaders({ "ce-a": big, "x-other": big.repeat(10) }, { maxHeaderBytes: 200 }, "nats").ok).toBe(true);
  });
});
