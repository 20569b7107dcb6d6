import { describe, expect, it } from "vitest";
import type { IncomingResponse } from "./http-transport.ts";
import { jsonOutputs, selectedJsonOutputs } from "./response-outputs.ts";

function response(body: string, truncated = false): IncomingResponse {
  return { status: 201, headers: {}, body, truncated };
}

describe("jsonOutputs", () => {
  it.each<[string, IncomingResponse, Record<string, string>]>([
    ["object fields as strings", response('{"id":"T-1","count":2,"ok":true,"nested":{"a":[1]},"nil":null}'), { status: "201", id: "T-1", count: "2", ok: "true", nested: '{"a":[1]}', nil: "null" }],
    ["names unusable in expressions skipped, status kept", response('{"status":"x","bad-name":1,"good_name":2}'), { status: "201", good_name: "2" }],
    ["an array as body", response("[1,2]"), { status: "201", body: "[1,2]" }],
    ["plain text as body", response("ok"), { status: "201", body: "ok" }],
    ["an empty body", response(""), { status: "201" }],
    ["credentials redacted, whole under a credential name", response('{"access_token":"abc","note":"url https://u:p4ss@h/"}'), { status: "201", access_token: "[REDACTED]", note: "url https://u:[REDACTED]@h/" }],
    ["credentials in a text body redacted", response("Authorization: Basic dXNlcjpwYXNz"), { status: "201", body: "Authorization: [REDACTED]" }],
    ["a truncated body is not parsed", response('{"id":"T-1"', true), { status: "201", body: '{"id":"T-1"' }],
  ])("%s", (_, input, expected) => {
    expect(jsonOutputs(input)).toEqual(expected);
  });

  it("bounds the number and size of outputs", () => {
    const fields = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}`, "x".repeat(5000)]));
    const outputs = jsonOutputs(response(JSON.stringify(fields)));
    expect(Object.keys(outputs)).toHaveLength(16);
    expect(Object.values(outputs).every((value) => value.length <= 2048)).toBe(true);
  });

  it("selects named fields", () => {
    expect(selectedJsonOutputs(response('{"status":"success","dedup_key":"k"}'), { result: "status", dedupKey: "dedup_key", message: "message" })).toEqual({
      status: "201",
      result: "success",
      dedupKey: "k",
    });
  });
});
