import { describe, expect, it } from "vitest";
import { validResources } from "./alert-resources.ts";

describe("validResources", () => {
  it("keeps valid names", () => {
    const resources = {
      namespace: "shop",
      pod: "web-6d8f7b9c4-x2k9p",
      container: "web",
      node: "ip-10-0-1-2.eu-west-1.compute.internal",
      image: "registry.example.com:5000/shop/web:1.14.2@sha256:abc",
      workload: "deployment/web",
    };
    expect(validResources(resources)).toEqual({ ...resources, workload: "Deployment/web" });
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
