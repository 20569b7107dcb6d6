import type { KubeObject } from "./kube-object.ts";
import { describe, expect, it } from "vitest";
import { ObjectStore } from "./object-store.ts";

function object(namespace: string, name: string, team?: string): KubeObject {
  return { metadata: { namespace, name, resourceVersion: "1", ...(team === undefined ? {} : { labels: { team } }) } };
}

const byTeam = (candidate: KubeObject): string[] => {
  const team = candidate.metadata?.labels?.team;
  return team === undefined ? [] : [team];
};

describe("ObjectStore", () => {
  it("indexes by namespace and by custom index functions, following updates and removals", () => {
    const store = new ObjectStore<KubeObject>({ indexers: { team: byTeam } });
    store.upsert(object("a", "x", "red"));
    store.upsert(object("a", "y", "blue"));
    store.upsert(object("b", "z", "red"));
    const names = (objects: KubeObject[]): string[] => objects.map((o) => o.metadata?.name ?? "").sort();
    expect(names(store.listByNamespace("a"))).toEqual(["x", "y"]);
    expect(names(store.byIndex("team", "red"))).toEqual(["x", "z"]);

    const previous = store.upsert(object("a", "x", "blue"));
    expect(previous?.metadata?.labels?.team).toBe("red");
    expect(names(store.byIndex("team", "red"))).toEqual(["z"]);
    expect(names(store.byIndex("team", "blue"))).toEqual(["x", "y"]);

    expect(store.remove("b/z")?.metadata?.name).toBe("z");
    expect(store.byIndex("team", "red")).toEqual([]);
    expect(store.listByNamespace("b")).toEqual([]);
    expect(store.remove("b/z")).toBeUndefined();
    expect(store.keys().sort()).toEqual(["a/x", "a/y"]);
    expect(store.size).toBe(2);
    expect(store.get("a/y")?.metadata?.name).toBe("y");
  });

  it("reports a throwing index function and leaves the object out of that index only", () => {
    const failures: string[] = [];
    const store = new ObjectStore<KubeObject>({
      indexers: { broken: () => { throw new Error("bad index"); } },
      onIndexError: (index, key) => failures.push(`${index}:${key}`),
    });
    store.upsert(object("a", "x"));
    expect(failures).toEqual(["broken:a/x"]);
    expect(store.byIndex("broken", "anything")).toEqual([]);
    expect(store.listByNamespace("a")).toHaveLength(1);
    store.remove("a/x");
    expect(failures).toEqual(["broken:a/x"]);
  });

  it("rejects an unknown index and a redefinition of the namespace index", () => {
    expect(() => new ObjectStore<KubeObject>().byIndex("nope", "x")).toThrow(/index "nope" is not defined/);
    expect(() => new ObjectStore<KubeObject>({ indexers: { namespace: () => [] } })).toThrow(/indexers.namespace/);
  });
});
