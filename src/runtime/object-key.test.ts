import { describe, expect, it } from "vitest";
import { objectKey, splitObjectKey } from "./object-key.ts";

describe("objectKey / splitObjectKey", () => {
  it.each([
    { metadata: { name: "a", namespace: "ns" }, key: "ns/a", ref: { namespace: "ns", name: "a" } },
    { metadata: { name: "node-1" }, key: "node-1", ref: { namespace: "", name: "node-1" } },
    { metadata: { name: "n", namespace: "" }, key: "n", ref: { namespace: "", name: "n" } },
  ])("$key round-trips", ({ metadata, key, ref }) => {
    expect(objectKey({ metadata })).toBe(key);
    expect(splitObjectKey(key)).toEqual(ref);
  });

  it("rejects an object without a name", () => {
    expect(() => objectKey({ metadata: { namespace: "ns" } })).toThrow(/metadata.name: required/);
  });

  it.each(["", "/a", "ns/", "a/b/c"])("rejects the key %j", (key) => {
    expect(() => splitObjectKey(key)).toThrow(/expected "namespace\/name" or "name"/);
  });
});
