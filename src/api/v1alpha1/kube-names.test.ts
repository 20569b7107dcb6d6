import { describe, expect, it } from "vitest";
import { canonicalWorkloadRef, isDnsLabel, isDnsSubdomain, isImageReference, isLabelValue, isQualifiedName, lengthSafeName, parseWorkloadRef, workloadRef } from "./kube-names.ts";

describe("name checks", () => {
  it.each([
    ["shop", { label: true, subdomain: true, qualified: true, value: true }],
    ["web-0.v1", { label: false, subdomain: true, qualified: true, value: true }],
    ["Web", { label: false, subdomain: false, qualified: true, value: true }],
    ["-web", { label: false, subdomain: false, qualified: false, value: false }],
    ["a".repeat(64), { label: false, subdomain: true, qualified: false, value: false }],
    ["example.com/role", { label: false, subdomain: false, qualified: true, value: false }],
    ["Example.com/role", { label: false, subdomain: false, qualified: false, value: false }],
    ["web-0; kubectl delete ns kube-system", { label: false, subdomain: false, qualified: false, value: false }],
    ["", { label: false, subdomain: false, qualified: false, value: true }],
  ])("%j", (text, expected) => {
    expect({
      label: isDnsLabel(text),
      subdomain: isDnsSubdomain(text),
      qualified: isQualifiedName(text),
      value: isLabelValue(text),
    }).toEqual(expected);
  });
});

describe("lengthSafeName", () => {
  it.each([
    ["soar-isolate-", "web-0", "soar-isolate-web-0"],
    ["soar-isolate-", "a".repeat(50), `soar-isolate-${"a".repeat(50)}`],
  ])("keeps %s%s when it fits", (prefix, name, expected) => {
    expect(lengthSafeName(prefix, name)).toBe(expected);
  });

  it("truncates long names to 63 characters with a hash that keeps distinct inputs distinct", () => {
    const first = lengthSafeName("soar-isolate-", `${"a".repeat(60)}-1`);
    const second = lengthSafeName("soar-isolate-", `${"a".repeat(60)}-2`);
    expect(first).toHaveLength(63);
    expect(second).toHaveLength(63);
    expect(first).not.toBe(second);
    expect(isDnsLabel(first)).toBe(true);
    expect(lengthSafeName("soar-isolate-", `${"a".repeat(60)}-1`)).toBe(first);
  });

  it("never leaves a separator before the hash suffix", () => {
    const name = lengthSafeName("p-", `${"b".repeat(51)}.-.${"c".repeat(20)}`);
    expect(name).toMatch(/^p-b+-[0-9a-f]{8}$/);
  });
});

describe("DNS names and image references", () => {
  it.each([
    ["web", true],
    ["a-b-1", true],
    ["a".repeat(63), true],
    ["a".repeat(64), false],
    ["A", false],
    ["a.b", false],
    ["a-", false],
    ["", false],
  ])("label %j: %s", (value, valid) => {
    expect(isDnsLabel(value)).toBe(valid);
  });

  it.each([
    ["a.b-c.d", true],
    ["a..b", false],
    [`${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}`, true],
    [`${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(62)}`, false],
  ])("subdomain %j: %s", (value, valid) => {
    expect(isDnsSubdomain(value)).toBe(valid);
  });

  it.each([
    ["nginx", true],
    ["registry.example.com/shop/web:1.14.2", true],
    ["web@sha256:0123", true],
    ["web latest", false],
    ["web:1;id", false],
    ["", false],
  ])("image %j: %s", (value, valid) => {
    expect(isImageReference(value)).toBe(valid);
  });

  it("builds workload references in the canonical `<Kind>/<name>` form", () => {
    expect(workloadRef("StatefulSet", "db")).toBe("StatefulSet/db");
    expect(workloadRef("statefulset", "db")).toBe("StatefulSet/db");
    expect(workloadRef("pod", "db")).toBeUndefined();
    expect(workloadRef("deployment", "web/extra")).toBeUndefined();
    expect(canonicalWorkloadRef("cronjob/nightly")).toBe("CronJob/nightly");
    expect(canonicalWorkloadRef("cronjob")).toBeUndefined();
  });

  it.each([
    ["Deployment/web", { kind: "Deployment", name: "web" }],
    ["StatefulSet/db", { kind: "StatefulSet", name: "db" }],
    ["deployment/web", undefined],
    ["Service/web", undefined],
    ["Deployment/", undefined],
    ["/web", undefined],
    ["web", undefined],
  ])("parses the canonical workload reference %j", (ref, parts) => {
    expect(parseWorkloadRef(ref)).toEqual(parts);
  });
});
