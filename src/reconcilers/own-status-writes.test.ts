import { describe, expect, it } from "vitest";
import { OwnStatusWrites } from "./own-status-writes.ts";
import type { StatusWriter } from "./status-writer.ts";

interface Thing {
  metadata: { namespace: string; name: string; resourceVersion: string };
  status?: { phase: string };
}

const at = (resourceVersion: string, phase?: string): Thing => ({
  metadata: { namespace: "soc", name: "a", resourceVersion },
  ...(phase === undefined ? {} : { status: { phase } }),
});

/** A status writer that stores each write at the next resourceVersion, or keeps it when `unchanged`. */
function apiServer(options: { unchanged?: boolean; gone?: boolean } = {}): { writer: StatusWriter; written: unknown[] } {
  const written: unknown[] = [];
  const write = (object: Thing): Promise<Thing | undefined> => {
    written.push(object);
    if (options.gone === true) return Promise.resolve(undefined);
    const next = options.unchanged === true ? object.metadata.resourceVersion : String(Number(object.metadata.resourceVersion) + 1);
    return Promise.resolve({ ...object, metadata: { ...object.metadata, resourceVersion: next } });
  };
  const writer = write as unknown as StatusWriter;
  return { writer, written };
}

describe("OwnStatusWrites", () => {
  it("writes the status on the object as read and resolves with the object as stored", async () => {
    const { writer, written } = apiServer();
    const stored = await new OwnStatusWrites(writer).write("soc/a", at("1"), { phase: "Running" });
    expect(written).toEqual([at("1", "Running")]);
    expect(stored).toEqual(at("2", "Running"));
  });

  it("finds the cache behind on a version its own write replaced, until the cache catches up", async () => {
    const writes = new OwnStatusWrites(apiServer().writer);
    expect(writes.cacheIsBehind("soc/a", at("1"))).toBe(false);
    await writes.write("soc/a", at("1"), { phase: "Running" });
    expect(writes.cacheIsBehind("soc/a", at("1"))).toBe(true);
    expect(writes.cacheIsBehind("soc/b", at("1"))).toBe(false);
    expect(writes.cacheIsBehind("soc/a", at("2"))).toBe(false);
    // Caught up: the replaced version is forgotten.
    expect(writes.cacheIsBehind("soc/a", at("1"))).toBe(false);
  });

  it("remembers every version replaced by writes in a row, as passes on the stored object make them", async () => {
    const writes = new OwnStatusWrites(apiServer().writer);
    const stored = await writes.write("soc/a", at("1"), { phase: "Pending" });
    await writes.write("soc/a", stored ?? at("?"), { phase: "Running" });
    expect(writes.cacheIsBehind("soc/a", at("1"))).toBe(true);
    expect(writes.cacheIsBehind("soc/a", at("2"))).toBe(true);
    expect(writes.cacheIsBehind("soc/a", at("3"))).toBe(false);
  });

  it.each([
    { name: "a write that changed nothing (same resourceVersion)", server: { unchanged: true }, stored: at("1", "Running") },
    { name: "a write to an object that is gone", server: { gone: true }, stored: undefined },
  ])("does not find the cache behind after $name", async ({ server, stored }) => {
    const writes = new OwnStatusWrites(apiServer(server).writer);
    expect(await writes.write("soc/a", at("1"), { phase: "Running" })).toEqual(stored);
    expect(writes.cacheIsBehind("soc/a", at("1"))).toBe(false);
  });

  it("forgets a key whose object is gone", async () => {
    const writes = new OwnStatusWrites(apiServer().writer);
    await writes.write("soc/a", at("1"), { phase: "Running" });
    writes.forget("soc/a");
    expect(writes.cacheIsBehind("soc/a", at("1"))).toBe(false);
  });
});
