import { describe, expect, it } from "vitest";
import { redactionPolicyFor, redactPathPointer } from "./intake-redaction-policy.ts";
import { redact, REDACTED } from "./redaction.ts";

describe("redactPathPointer", () => {
  const cases: [string, string][] = [
    ["output_fields.password", "/output_fields/password"],
    ["a.*.b", "/a/*/b"],
    ["/output_fields/k8s.ns.name", "/output_fields/k8s.ns.name"],
    ["odd/key", "/odd~1key"],
  ];
  for (const [path, pointer] of cases) {
    it(`${path} becomes ${pointer}`, () => {
      expect(redactPathPointer(path)).toBe(pointer);
    });
  }
});

describe("redactionPolicyFor", () => {
  it("adds configured paths and key patterns to the built-in ones", () => {
    const policy = redactionPolicyFor({ redactPaths: ["output_fields.proc.cmdline", "/output_fields/k8s.pod.name"], redactKeyPatterns: ["^internal_"] });
    const data = {
      output_fields: { proc: { cmdline: "curl -u admin:hunter2" }, "k8s.pod.name": "web-0", "k8s.ns.name": "shop" },
      internal_id: "x",
      password: "hunter2",
    };
    expect(redact(data, policy)).toEqual({
      output_fields: { proc: { cmdline: REDACTED }, "k8s.pod.name": REDACTED, "k8s.ns.name": "shop" },
      internal_id: REDACTED,
      password: REDACTED,
    });
  });

  it("names the entry of an invalid key pattern", () => {
    expect(() => redactionPolicyFor({ redactPaths: [], redactKeyPatterns: ["ok", "(unclosed"] })).toThrow(/intake\.redactKeyPatterns\[1\]: "\(unclosed" is not a regular expression/);
  });

  it("names an empty path", () => {
    expect(() => redactionPolicyFor({ redactPaths: [" "], redactKeyPatterns: [] })).toThrow(/intake\.redactPaths\[0\]: must not be empty/);
  });
});
