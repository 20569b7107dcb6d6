import { ApiException } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import {
  classifyApiError,
  isConflict,
  isForbidden,
  isGone,
  isNotFound,
  TransientError,
  type ApiErrorKind,
} from "./errors.ts";

function apiError(code: number, message = "irrelevant"): ApiException<unknown> {
  return new ApiException(code, message, { kind: "Status", code }, {});
}

function systemError(code: string): Error {
  return Object.assign(new Error("socket trouble"), { code });
}

describe("TransientError", () => {
  it("carries its reason, message and cause", () => {
    const cause = new Error("underlying");
    const transient = new TransientError("ApiUnavailable", "the API server did not answer", { cause });
    expect([transient.reason, transient.message, transient.cause]).toEqual(["ApiUnavailable", "the API server did not answer", cause]);
    expect(transient.name).toBe("TransientError");
    expect(transient).toBeInstanceOf(Error);
  });

  it.each(["", "lowerCase", "With Space", "Dash-ed", "Under_score", "1Digit"])("reject the reason %j", (reason) => {
    expect(() => new TransientError(reason, "m")).toThrow(/TransientError: reason must be PascalCase/);
  });
});

describe("classifyApiError", () => {
  it.each<[string, unknown, ApiErrorKind]>([
    ["409 conflict", apiError(409), "transient"],
    ["429 throttled", apiError(429), "transient"],
    ["408 timeout", apiError(408), "transient"],
    ["500 internal", apiError(500), "transient"],
    ["503 unavailable", apiError(503), "transient"],
    ["504 gateway timeout", apiError(504), "transient"],
    ["404 not found", apiError(404), "not-found"],
    ["403 forbidden", apiError(403), "forbidden"],
    ["401 unauthorized", apiError(401), "unauthorized"],
    ["400 bad request", apiError(400), "invalid"],
    ["422 invalid", apiError(422), "invalid"],
    ["connection refused", systemError("ECONNREFUSED"), "transient"],
    ["connection reset", systemError("ECONNRESET"), "transient"],
    ["dns failure", systemError("EAI_AGAIN"), "transient"],
    ["fetch failed wrapping a refused connection", new TypeError("fetch failed", { cause: systemError("ECONNREFUSED") }), "transient"],
    ["request timeout", new DOMException("timed out", "TimeoutError"), "transient"],
    ["a programming error", new TypeError("x is undefined"), "unknown"],
    ["a file error", systemError("ENOENT"), "unknown"],
    ["not an error at all", "boom", "unknown"],
    ["a message that mentions 409", new Error("409 Conflict"), "unknown"],
  ])("%s → %s", (_name, error, kind) => {
    expect(classifyApiError(error)).toBe(kind);
  });
});

describe("status predicates", () => {
  it.each([
    { code: 404, notFound: true, conflict: false, forbidden: false, gone: false },
    { code: 409, notFound: false, conflict: true, forbidden: false, gone: false },
    { code: 403, notFound: false, conflict: false, forbidden: true, gone: false },
    { code: 410, notFound: false, conflict: false, forbidden: false, gone: true },
    { code: 500, notFound: false, conflict: false, forbidden: false, gone: false },
  ])("HTTP $code", ({ code, notFound, conflict, forbidden, gone }) => {
    const error = apiError(code);
    expect([isNotFound(error), isConflict(error), isForbidden(error), isGone(error)]).toEqual([notFound, conflict, forbidden, gone]);
  });

  it("never judge by message text", () => {
    const error = new Error("HTTP-Code: 404 Message: Not Found");
    expect([isNotFound(error), isConflict(error), isForbidden(error), isGone(error)]).toEqual([false, false, false, false]);
  });
});
