import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signatureHeader, verifySignatureHeader } from "./webhook-signature.ts";

const key = Buffer.from("webhook-key");
const body = '{"text":"hi"}';

describe("webhook signature", () => {
  it("signs '<timestamp>.<body>' with HMAC-SHA256", () => {
    const expected = createHmac("sha256", key).update(`1700000000.${body}`).digest("hex");
    expect(signatureHeader(key, 1700000000, body)).toBe(`t=1700000000,v1=${expected}`);
  });

  it.each([
    ["the genuine signature", signatureHeader(key, 1700000000, body), body, 1700000100, true],
    ["another body", signatureHeader(key, 1700000000, body), '{"text":"bye"}', 1700000100, false],
    ["another key", signatureHeader(Buffer.from("other"), 1700000000, body), body, 1700000100, false],
    ["a stale timestamp", signatureHeader(key, 1700000000, body), body, 1700000301, false],
    ["a malformed header", "sha256=abc", body, 1700000000, false],
  ])("verifies %s", (_, header, signedBody, nowSeconds, valid) => {
    expect(verifySignatureHeader(header, key, signedBody, nowSeconds)).toBe(valid);
  });
});
