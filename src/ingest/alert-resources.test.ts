import { describe, expect, it } from "vitest";
import { validResources } from "./alert-resources.ts";
import { isDnsLabel, isDnsSubdomain, isImageReference, parseWorkloadRef, workloadRef } from "./kube-names.ts";

describe("validResources", () => {
  it("keeps valid names", () => {
    const resources = {
      namespace: "shop",
      pod: "web-6d8f7b9c4-x2k9p",
      container: "web",
      node: "ip-10-0-1-2.eu-west-1.compute.internal",
      image: "registry.example.com:5000/shop/web:1.14.2@sha256:abc",
      workload: "Deployment/web",
    };
    expect(validResources(resources)).toEqual({ ...resources, workload: "deployment/web" });
  });

  it.each([
    ["namespace", "Shop"],
    ["namespace", "a".repeat(64)],
    ["pod", "web-0; kubectl delete ns kube-system"],
    ["pod", "-web"],
    ["container", "{{ .Values.secret }}\n\u0000\u202e"],
    ["container", "web.1"],
    ["node", "node_1"],
    ["image", "evil.example/x; rm -rf /"],
    ["image", "http://evil.example/x"],
    ["image", "$(id)"],
    ["workload", "service/web"],
    ["workload", "deployment/web/extra"],
    ["pod", 42],
    ["pod", null],
  ])("drops %s %j", (key, value) => {
    expect(validResources({ [key]: value })).toEqual({});
  });
});

describe("kube names", () => {
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

  it("builds and parses workload references", () => {
    expect(workloadRef("StatefulSet", "db")).toBe("statefulset/db");
    expect(workloadRef("pod", "db")).toBeUndefined();
    expect(parseWorkloadRef("cronjob/nightly")).toBe("cronjob/nightly");
    expect(parseWorkloadRef("cronjob")).toBeUndefined();
  });
});
