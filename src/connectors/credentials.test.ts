import { describe, expect, it } from "vitest";
import type { ConnectorSpec } from "../api/v1alpha1/types.generated.ts";
import { resolveAuth } from "./credentials.ts";
import { Redactor } from "./redactor.ts";
import type { SecretResolver } from "./secret-resolver.ts";
import { SecretValue } from "./secret-value.ts";

/** Secrets held in memory, for the pure parts of credential handling. */
function secrets(data: Record<string, Record<string, string>>): SecretResolver {
  return {
    secret(name) {
      const entries = data[name];
      if (entries === undefined) return Promise.resolve({ ok: false, problem: "SecretNotFound", message: `Secret ns/${name} does not exist` });
      return Promise.resolve({ ok: true, type: "Opaque", data: new Map(Object.entries(entries).map(([key, value]) => [key, new SecretValue(Buffer.from(value))])) });
    },
    async key(ref) {
      const lookup = await this.secret(ref.name);
      if (!lookup.ok) return lookup;
      const value = lookup.data.get(ref.key);
      return value === undefined ? { ok: false, problem: "SecretKeyNotFound", message: `Secret ns/${ref.name} has no key ${ref.key}` } : { ok: true, value };
    },
  };
}

const store = secrets({ creds: { token: "tok-123456\n", basic: "alice:pa55word", broken: "no-colon", injected: "tok\r\nX-Evil: 1" } });

function spec(auth: ConnectorSpec["auth"]): ConnectorSpec {
  return { type: "http", url: "https://x.example", ...(auth === undefined ? {} : { auth }) };
}

describe("resolveAuth", () => {
  it.each<[string, ConnectorSpec["auth"], unknown, string]>([
    ["no auth", undefined, { headers: {} }, ""],
    ["bearer (trailing newline dropped)", { type: "bearer", secretRef: { name: "creds", key: "token" } }, { headers: { Authorization: "Bearer tok-123456" } }, "Bearer tok-123456"],
    ["basic", { type: "basic", secretRef: { name: "creds", key: "basic" } }, { headers: { Authorization: `Basic ${Buffer.from("alice:pa55word").toString("base64")}` } }, `Basic ${Buffer.from("alice:pa55word").toString("base64")} pa55word`],
    ["custom header", { type: "header", header: "X-Api-Key", secretRef: { name: "creds", key: "token" } }, { headers: { "X-Api-Key": "tok-123456" } }, "tok-123456"],
    ["hmac", { type: "hmac", header: "X-Sig", secretRef: { name: "creds", key: "token" } }, { headers: {}, signing: { key: Buffer.from("tok-123456"), header: "X-Sig" } }, "tok-123456"],
  ])("%s", async (_, auth, expected, leak) => {
    const redactor = new Redactor();
    expect(await resolveAuth(spec(auth), store, redactor)).toEqual(expected);
    expect(redactor.scrub(leak)).not.toMatch(/tok-123456|pa55word|YWxp/);
  });

  it.each<[string, ConnectorSpec["auth"], string, string]>([
    ["a missing Secret", { type: "bearer", secretRef: { name: "nope", key: "token" } }, "SecretNotFound", "spec.auth.secretRef: Secret ns/nope does not exist"],
    ["a missing key", { type: "bearer", secretRef: { name: "creds", key: "nope" } }, "SecretNotFound", "spec.auth.secretRef: Secret ns/creds has no key nope"],
    ["a basic credential without colon", { type: "basic", secretRef: { name: "creds", key: "broken" } }, "InvalidSpec", "spec.auth.secretRef: a basic credential must have the form user:password (Secret creds key broken)"],
    ["a credential that would inject a header", { type: "bearer", secretRef: { name: "creds", key: "injected" } }, "InvalidSpec", "spec.auth.secretRef: the credential in Secret creds key injected contains control characters"],
  ])("refuses %s without quoting the value", async (_, auth, reason, message) => {
    expect(await resolveAuth(spec(auth), store, new Redactor())).toMatchObject({ ok: false, reason, message });
  });
});

describe("custom header auth", () => {
  it("may carry a whole Authorization value with its own scheme", async () => {
    expect(await resolveAuth(spec({ type: "header", header: "Authorization", secretRef: { name: "creds", key: "token" } }), store, new Redactor())).toEqual({
      headers: { Authorization: "tok-123456" },
    });
  });
});
