import { describe, expect, it } from "vitest";
import type { ConnectorSpec } from "../api/v1alpha1/types.generated.ts";
import { specProblem, urlProblem } from "./spec-check.ts";

const http: ConnectorSpec = { type: "http", url: "https://hooks.example.com/x" };

describe("specProblem", () => {
  it.each<[string, ConnectorSpec]>([
    ["a plain https http connector", http],
    ["http with allowInsecureHTTP", { type: "http", url: "http://10.0.0.1:8080/x", allowInsecureHTTP: true }],
    ["a slack connector with a secret URL", { type: "slack", urlSecretRef: { name: "slack", key: "url" } }],
    ["a pagerduty connector without URL", { type: "pagerduty", pagerduty: { routingKeySecretRef: { name: "pd", key: "key" } } }],
    ["a webhook with hmac", { type: "webhook", url: "https://x.example/h", auth: { type: "hmac", header: "X-Signature", secretRef: { name: "h", key: "k" } } }],
    ["custom headers", { ...http, headers: { "X-Team": "sec" } }],
  ])("accepts %s", (_, spec) => {
    expect(specProblem(spec)).toBeUndefined();
  });

  it.each<[string, ConnectorSpec, string]>([
    ["plain http", { type: "http", url: "http://hooks.example.com/x" }, "spec.url: must use https unless allowInsecureHTTP is true (http://hooks.example.com)"],
    ["credentials in the URL", { type: "http", url: "https://user:pw@hooks.example.com/x" }, "spec.url: credentials in the URL are not allowed; use auth"],
    ["no URL", { type: "http" }, "spec.url: required (or spec.urlSecretRef)"],
    ["a webhook without hmac", { type: "webhook", url: "https://x.example/h" }, "spec.auth.type: a webhook Connector signs its calls: set auth.type hmac, auth.header and auth.secretRef"],
    ["slack with PUT", { type: "slack", url: "https://x.example/h", method: "PUT" }, "spec.method: a slack Connector posts: use POST"],
    ["pagerduty without settings", { type: "pagerduty" }, "spec.pagerduty.routingKeySecretRef: required for a pagerduty Connector"],
    ["a header overriding Authorization", { ...http, headers: { Authorization: "Bearer x" } }, "spec.headers.Authorization: set by kube-soar; use auth for credentials"],
    ["a header with a line break", { ...http, headers: { "X-A": "a\r\nX-Injected: 1" } }, "spec.headers.X-A: control characters are not allowed"],
    ["a bad timeout", { ...http, timeout: "soon" }, "spec.timeout: not a duration such as 10s"],
    ["header auth without header", { ...http, auth: { type: "header", secretRef: { name: "a", key: "b" } } }, "spec.auth.header: required for auth type header"],
    ["header auth in Content-Length", { ...http, auth: { type: "header", header: "Content-Length", secretRef: { name: "a", key: "b" } } }, "spec.auth.header: Content-Length cannot carry the credential"],
  ])("refuses %s", (_, spec, problem) => {
    expect(specProblem(spec)).toBe(problem);
  });

  it("keeps a secret URL out of its messages", () => {
    expect(urlProblem("http://hooks.slack.example/T000/B000/XXXX", false, "spec.urlSecretRef", true)).toBe("spec.urlSecretRef: must use https unless allowInsecureHTTP is true");
    expect(urlProblem("::", false, "spec.urlSecretRef", true)).toBe("spec.urlSecretRef: not a valid URL");
  });
});

describe("auth header names", () => {
  it("accepts Authorization for header auth but not for spec.headers", () => {
    expect(specProblem({ ...http, auth: { type: "header", header: "Authorization", secretRef: { name: "a", key: "b" } } })).toBeUndefined();
  });
});
