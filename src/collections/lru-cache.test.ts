import { describe, expect, it } from "vitest";
import { LruCache } from "./lru-cache.ts";

describe("LruCache", () => {
  it("evicts the least recently used entry past the entry bound", () => {
    const cache = new LruCache<string, number>(2, 100);
    cache.set("a", 1, 1);
    cache.set("b", 2, 1);
    expect(cache.get("a")).toBe(1);
    cache.set("c", 3, 1);
    expect([cache.get("a"), cache.get("b"), cache.get("c")]).toEqual([1, undefined, 3]);
    expect(cache.size).toBe(2);
  });

  it("bounds the entry count alone when given no weight bound", () => {
    const cache = new LruCache<string, number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    cache.set("a", 10);
    cache.set("c", 3);
    expect([cache.get("a"), cache.get("b"), cache.get("c")]).toEqual([10, undefined, 3]);
    expect(cache.weight).toBe(0);
  });

  it("evicts until the weight bound holds", () => {
    const cache = new LruCache<string, number>(10, 10);
    cache.set("a", 1, 4);
    cache.set("b", 2, 4);
    cache.set("c", 3, 4);
    expect([cache.get("a"), cache.get("b"), cache.get("c")]).toEqual([undefined, 2, 3]);
    expect(cache.weight).toBe(8);
  });

  it("does not keep an entry heavier than the whole bound", () => {
    const cache = new LruCache<string, number>(10, 10);
    cache.set("a", 1, 4);
    cache.set("huge", 2, 11);
    expect([cache.get("a"), cache.get("huge")]).toEqual([1, undefined]);
    expect(cache.weight).toBe(4);
  });

  it("replaces an entry and its weight", () => {
    const cache = new LruCache<string, number>(10, 10);
    cache.set("a", 1, 4);
    cache.set("a", 2, 6);
    expect(cache.get("a")).toBe(2);
    expect([cache.size, cache.weight]).toEqual([1, 6]);
    cache.delete("a");
    expect([cache.size, cache.weight]).toEqual([0, 0]);
  });
});
