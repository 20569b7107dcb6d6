import { ApiException } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { actionFailure, apiStatusMessage, failureFromApiError } from "./action-outcome.ts";

function apiError(code: number, message?: string): ApiException<string> {
  const body = message === undefined ? "" : JSON.stringify({ kind: "Status", message });
  return new ApiException(code, `HTTP-Code: ${code}\nHeaders: {"authorization":"Bearer leaked"}`, body, {});
}

describe("failureFromApiError", () => {
  const call = { action: "isolatePod" as const, operation: "write networkpolicy shop/soar-isolate-web-0" };
  it.each([
    [403, "networkpolicies is forbidden", "Forbidden", false, "isolatePod: write networkpolicy shop/soar-isolate-web-0 is forbidden (networkpolicies is forbidden); grant the operator's ServiceAccount the rules of the ClusterRole kube-soar-action-isolation (config/rbac; Helm value rbac.actions.isolation)"],
    [404, "not found", "NotFound", false, "isolatePod: write networkpolicy shop/soar-isolate-web-0: not found (not found)"],
    [409, "conflict", "Conflict", true, "isolatePod: write networkpolicy shop/soar-isolate-web-0: the object changed meanwhile (conflict)"],
    [429, undefined, "ApiUnavailable", true, "isolatePod: write networkpolicy shop/soar-isolate-web-0 failed, retryable (the API server answered HTTP 429)"],
    [503, "unavailable", "ApiUnavailable", true, "isolatePod: write networkpolicy shop/soar-isolate-web-0 failed, retryable (unavailable)"],
    [422, "spec.ingress: Invalid value", "ApiRejected", false, "isolatePod: write networkpolicy shop/soar-isolate-web-0 was rejected (spec.ingress: Invalid value)"],
  ])("HTTP %d", (code, message, reason, retryable, text) => {
    expect(failureFromApiError(apiError(code, message), call)).toEqual({ ok: false, reason, retryable, message: text });
  });

  it("never quotes the exception's own message (it embeds headers)", () => {
    expect(apiStatusMessage(apiError(500))).toBe("the API server answered HTTP 500");
    expect(apiStatusMessage(new TypeError("Bearer leaked"))).toBe("TypeError: request failed");
  });

  it("bounds messages to what a step status holds", () => {
    expect(actionFailure("InvalidParams", "x".repeat(5000)).message).toHaveLength(1024);
  });
});
