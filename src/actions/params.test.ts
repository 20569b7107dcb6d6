import { describe, expect, it } from "vitest";
import { invalidParam, readParams } from "./params.ts";

describe("readParams", () => {
  it.each<[string, Record<string, string>, unknown]>([
    ["defaults when absent", {}, { replicas: 3, force: false, peers: [] }],
    ["parsed values", { replicas: " 7 ", force: "TRUE", peers: " 10.0.0.0/8, ,ns-a " }, { replicas: 7, force: true, peers: ["10.0.0.0/8", "ns-a"] }],
  ])("reads %s", (_, params, expected) => {
    const result = readParams("deletePod", params, ["replicas", "force", "peers"], (reader) => ({
      replicas: reader.integer("replicas", { min: 0, max: 10 }, 3),
      force: reader.boolean("force", false),
      peers: reader.list("peers", 4),
    }));
    expect(result).toEqual({ ok: true, value: expected });
  });

  it.each<[string, Record<string, string>, string]>([
    ["an unknown parameter", { replica: "1" }, "deletePod: params.replica: unknown parameter (accepted: replicas, force, peers)"],
    ["a non-integer", { replicas: "1e3" }, "deletePod: params.replicas: must be an integer, got \"1e3\""],
    ["an integer out of range", { replicas: "11" }, "deletePod: params.replicas: must be between 0 and 10, got 11"],
    ["a non-boolean", { force: "yes" }, "deletePod: params.force: must be true or false, got \"yes\""],
    ["too many list items", { peers: "a,b,c,d,e" }, "deletePod: params.peers: at most 4 items, got 5"],
  ])("refuses %s", (_, params, message) => {
    const result = readParams("deletePod", params, ["replicas", "force", "peers"], (reader) => ({
      replicas: reader.integer("replicas", { min: 0, max: 10 }, 3),
      force: reader.boolean("force", false),
      peers: reader.list("peers", 4),
    }));
    expect(result).toEqual({ ok: false, reason: "InvalidParams", message, retryable: false });
  });

  it("turns invalidParam into a failure and lets other errors through", () => {
    expect(readParams("label", {}, [], () => invalidParam("params: custom problem"))).toEqual({
      ok: false,
      reason: "InvalidParams",
      message: "label: params: custom problem",
      retryable: false,
    });
    expect(() => readParams("label", {}, [], () => {
      throw new TypeError("bug");
    })).toThrow(TypeError);
  });

  it("says when an action takes no parameters", () => {
    expect(readParams("cordonNode", { force: "true" }, [], () => undefined)).toMatchObject({
      message: "cordonNode: params.force: unknown parameter (it takes none)",
    });
  });
});
