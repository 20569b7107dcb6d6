import { describe, expect, it } from "vitest";
import { cidrProblem, isolationExceptionsProblem, isolationName, isolationPolicy, isolationPolicySpec } from "./isolation-policy.ts";

describe("cidrProblem", () => {
  it.each([
    ["10.0.0.0/8", undefined],
    ["192.168.1.0/24", undefined],
    ["0.0.0.0/0", undefined],
    ["10.1.2.3/32", undefined],
    ["fd00::/8", undefined],
    ["2001:db8::/64", undefined],
    ["2001:db8::1/128", undefined],
    ["10.0.0.1/8", "host bits are set; give the network address"],
    ["2001:db8::1/64", "host bits are set; give the network address"],
    ["10.0.0.0", "must look like 10.0.0.0/8 or fd00::/8"],
    ["10.0.0.0/33", "prefix length must be at most 32"],
    ["300.0.0.0/8", "not an IPv4 or IPv6 address (IPv4-mapped IPv6 is not accepted)"],
    ["::ffff:10.0.0.0/104", "not an IPv4 or IPv6 address (IPv4-mapped IPv6 is not accepted)"],
    ["010.0.0.0/8", "not an IPv4 or IPv6 address (IPv4-mapped IPv6 is not accepted)"],
    ["10.0.0.0/8; rm -rf /", "must look like 10.0.0.0/8 or fd00::/8"],
  ])("%s", (cidr, problem) => {
    expect(cidrProblem(cidr)).toBe(problem);
  });
});

describe("isolationExceptionsProblem", () => {
  it.each([
    [{ allowCIDRs: ["10.0.0.0/8"], allowNamespaces: ["forensics"] }, undefined],
    [{ allowCIDRs: ["10.0.0.1/8"], allowNamespaces: [] }, 'params.allowCIDRs: "10.0.0.1/8": host bits are set; give the network address'],
    [{ allowCIDRs: [], allowNamespaces: ["Forensics"] }, 'params.allowNamespaces: "Forensics": not a namespace name'],
    [{ allowCIDRs: Array.from({ length: 9 }, (_, i) => `10.${i}.0.0/16`), allowNamespaces: Array.from({ length: 8 }, (_, i) => `ns-${i}`) }, "params.allowCIDRs, params.allowNamespaces: at most 16 peers in total"],
  ])("%j", (exceptions, problem) => {
    expect(isolationExceptionsProblem(exceptions)).toBe(problem);
  });
});

describe("isolationPolicySpec", () => {
  it("denies everything when nothing is allowed", () => {
    expect(isolationPolicySpec("soar-isolate-web-0", { allowCIDRs: [], allowNamespaces: [] })).toEqual({
      podSelector: { matchLabels: { "soar.kube-soar.io/isolated": "soar-isolate-web-0" } },
      policyTypes: ["Ingress", "Egress"],
      ingress: [],
      egress: [],
    });
  });

  it("lets the allowed CIDRs and namespaces through in both directions", () => {
    const peers = [
      { ipBlock: { cidr: "10.9.0.0/16" } },
      { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "forensics" } } },
    ];
    expect(isolationPolicySpec("x", { allowCIDRs: ["10.9.0.0/16"], allowNamespaces: ["forensics"] })).toEqual({
      podSelector: { matchLabels: { "soar.kube-soar.io/isolated": "x" } },
      policyTypes: ["Ingress", "Egress"],
      ingress: [{ from: peers }],
      egress: [{ to: peers }],
    });
  });
});

describe("isolationPolicy", () => {
  it("is named after the pod, owned by it and labelled as kube-soar's", () => {
    const policy = isolationPolicy({
      pod: { namespace: "shop", name: "web-0", uid: "u-1" },
      incident: { namespace: "soar", name: "inc-1" },
      exceptions: { allowCIDRs: [], allowNamespaces: [] },
    });
    expect(policy.metadata).toEqual({
      name: "soar-isolate-web-0",
      namespace: "shop",
      labels: { "app.kubernetes.io/managed-by": "kube-soar" },
      annotations: { "soar.kube-soar.io/incident": "soar/inc-1" },
      ownerReferences: [{ apiVersion: "v1", kind: "Pod", name: "web-0", uid: "u-1" }],
    });
    expect(isolationName("web-0")).toBe("soar-isolate-web-0");
    expect(isolationName("p".repeat(253))).toHaveLength(63);
  });
});
