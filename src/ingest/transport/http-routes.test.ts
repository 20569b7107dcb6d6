import { describe, expect, it } from "vitest";
import { DEFAULT_DECODE_LIMITS } from "../decode/decode-limits.ts";
import { statusForReason } from "./http-response.ts";
import { receiverRoutes, requireJsonBody } from "./http-routes.ts";

const falco = JSON.stringify({ rule: "Terminal shell in container", priority: "Notice", time: "2026-11-20T10:42:17Z", output: "x", output_fields: {} });
const body = new TextEncoder().encode(falco);
const routes = receiverRoutes(DEFAULT_DECODE_LIMITS);

describe("requireJsonBody", () => {
  const cases: [string | undefined, boolean][] = [
    ["application/json", true],
    ["application/json; charset=utf-8", true],
    ["text/json", true],
    ["application/vnd.example+json", true],
    ["application/json; charset=latin1", false],
    ["text/plain", false],
    ["application/x-www-form-urlencoded", false],
    [undefined, false],
  ];
  for (const [contentType, accepted] of cases) {
    it(`${String(contentType)} is ${accepted ? "accepted" : "refused"}`, () => {
      const result = requireJsonBody(contentType === undefined ? {} : { "content-type": contentType }, "/x");
      if (accepted) expect(result).toBeUndefined();
      else expect(result).toMatchObject({ ok: false, reason: "unsupported-content-type", field: "content-type" });
    });
  }
});

describe("receiverRoutes", () => {
  it("accepts plain Falco JSON on /falco", () => {
    const result = routes.falco({ "content-type": "application/json" }, body);
    expect(result.ok && result.value.map((event) => event.type)).toEqual(["falco.rule.output.v1"]);
  });

  it("refuses a Falco alert sent as form data on /falco", () => {
    expect(routes.falco({ "content-type": "application/x-www-form-urlencoded" }, body)).toMatchObject({ ok: false, reason: "unsupported-content-type" });
  });

  it("refuses an Alertmanager webhook that is not JSON on /alertmanager", () => {
    expect(routes.alertmanager({ "content-type": "text/plain" }, body)).toMatchObject({ ok: false, reason: "unsupported-content-type" });
  });
});

describe("statusForReason", () => {
  const cases: [string, number][] = [
    ["too-large", 413],
    ["unsupported-content-type", 415],
    ["invalid-json", 400],
    ["too-deep", 400],
    ["forbidden-key", 400],
  ];
  for (const [reason, status] of cases) {
    it(`${reason} is ${String(status)}`, () => {
      expect(statusForReason(reason)).toBe(status);
    });
  }
});
