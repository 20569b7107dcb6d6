import { describe, expect, it } from "vitest";
import { rememberSpecWrite, specWriteOf } from "./spec-write-times.ts";

describe("rememberSpecWrite", () => {
  it("remembers the latest write of the main resource for that very object, status writes left out", () => {
    const object = {
      metadata: {
        name: "pb",
        managedFields: [
          { manager: "kubectl", operation: "Apply", time: "2026-03-01T10:00:00Z" },
          { manager: "kube-soar", operation: "Update", subresource: "status", time: "2026-03-01T11:00:00Z" },
          "not an entry",
        ],
      },
    };
    rememberSpecWrite(object);
    expect(specWriteOf(object)).toEqual(new Date("2026-03-01T10:00:00Z"));
    expect(specWriteOf({ ...object })).toBeUndefined();
  });

  it("remembers nothing for an object without write times", () => {
    const object = { metadata: { name: "pb" } };
    rememberSpecWrite(object);
    expect(specWriteOf(object)).toBeUndefined();
  });
});
