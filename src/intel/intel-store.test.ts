import { describe, expect, it } from "vitest";
import type { FeedIndex } from "./feed-index.ts";
import type { FeedSettings } from "./feed-settings.ts";
import { IntelStore } from "./intel-store.ts";
import { loadFeed } from "./load-feed.ts";

const NOW = Date.UTC(2026, 0, 1);
const OPERATOR = "kube-soar";

function feed(key: string, text: string, settings: Partial<FeedSettings> = {}): FeedIndex {
  const namespace = key.split("/")[0] ?? "";
  const loaded = loadFeed(text, { kind: "list" }, { key, namespace, labels: [], defaultConfidence: 50, includeSubdomains: true, ...settings }, NOW);
  if (!loaded.ok) throw new Error(loaded.reason);
  return loaded.index;
}

function storeOf(...indexes: FeedIndex[]): IntelStore {
  const store = new IntelStore(OPERATOR);
  for (const index of indexes) store.set(index);
  return store;
}

const feedsOf = (matches: readonly { feed: string }[]): string[] => matches.map((match) => match.feed);

describe("IntelStore", () => {
  it.each<[string, string | undefined, string[]]>([
    ["an Incident of the operator's namespace", OPERATOR, ["kube-soar/global"]],
    ["an Incident of shop", "shop", ["kube-soar/global", "shop/own"]],
    ["an Incident of another tenant", "bank", ["bank/own", "kube-soar/global"]],
    ["no namespace", undefined, ["kube-soar/global"]],
  ])("applies the operator's feeds to every value and a tenant's feeds to its own Incidents: %s", (_name, namespace, feeds) => {
    const store = storeOf(feed("shop/own", "198.51.100.7"), feed("kube-soar/global", "198.51.100.7"), feed("bank/own", "198.51.100.7"));
    expect(feedsOf(store.match("198.51.100.7", { namespace, now: NOW }))).toEqual(feeds);
  });

  it("orders matches by feed then type, and a URL matches its host as well", () => {
    const store = storeOf(feed("kube-soar/b", "https://evil.example/x\nevil.example"), feed("kube-soar/a", "evil.example", { severity: "high", labels: ["c2"], defaultConfidence: 70 }));
    expect(store.match("https://www.evil.example/x", { namespace: "shop", now: NOW })).toEqual([
      { feed: "kube-soar/a", indicator: "evil.example", type: "domain", confidence: 70, labels: ["c2"], severity: "high" },
      { feed: "kube-soar/b", indicator: "evil.example", type: "domain", confidence: 50, labels: [] },
    ]);
    expect(store.match("https://evil.example/x#top", { namespace: "shop", now: NOW }).map((match) => `${match.feed} ${match.type}`)).toEqual([
      "kube-soar/a domain",
      "kube-soar/b domain",
      "kube-soar/b url",
    ]);
  });

  it("matches the address host of a URL, IPv6 included", () => {
    const store = storeOf(feed("kube-soar/a", "198.51.100.0/24\n2001:db8::/32"));
    expect(store.match("http://198.51.100.7:8080/x", { namespace: undefined, now: NOW })[0]?.indicator).toBe("198.51.100.0/24");
    expect(store.match("http://[2001:db8::1]/x", { namespace: undefined, now: NOW })[0]?.indicator).toBe("2001:db8::/32");
  });

  it("infers the type of a value, and matches nothing that is no indicator", () => {
    const store = storeOf(feed("kube-soar/a", `evil.example\n${"a".repeat(40)}\n198.51.100.7`));
    const scope = { namespace: undefined, now: NOW };
    expect(store.match(" 198.51.100.7 ", scope)[0]?.type).toBe("ipv4");
    expect(store.match("A".repeat(40), scope)[0]?.type).toBe("sha1");
    expect(store.match("sub.evil.example", scope)[0]?.type).toBe("domain");
    expect(store.match("not a value", scope)).toEqual([]);
    expect(store.match("", scope)).toEqual([]);
  });

  it("matches an observable by the type it states", () => {
    const store = storeOf(feed("kube-soar/a", `198.51.100.7\nevil.example\nhttps://evil.example/x\n${"b".repeat(64)}`));
    const scope = { namespace: "shop", now: NOW };
    expect(store.matchObservable({ type: "ip", value: "::ffff:198.51.100.7" }, scope).map((match) => match.indicator)).toEqual(["198.51.100.7"]);
    expect(store.matchObservable({ type: "domain", value: "evil.example" }, scope)).toHaveLength(1);
    expect(store.matchObservable({ type: "url", value: "https://evil.example/x" }, scope).map((match) => match.type)).toEqual(["domain", "url"]);
    expect(store.matchObservable({ type: "hash", value: `sha256:${"b".repeat(64)}` }, scope)[0]?.type).toBe("sha256");
    expect(store.matchObservable({ type: "ip", value: "evil.example" }, scope)).toEqual([]);
    expect(store.matchObservable({ type: "domain", value: "198.51.100.7" }, scope)).toEqual([]);
    expect(store.matchObservable({ type: "user", value: "evil.example" }, scope)).toEqual([]);
    expect(store.matchObservable({ type: "process", value: "198.51.100.7" }, scope)).toEqual([]);
  });

  it("replaces a feed's index whole, and drops a deleted feed", () => {
    const store = storeOf(feed("kube-soar/a", "old.example\nkept.example"));
    const scope = { namespace: undefined, now: NOW };
    const before = store.get("kube-soar/a");
    store.set(feed("kube-soar/a", "new.example\nkept.example"));
    expect(store.match("old.example", scope)).toEqual([]);
    expect(feedsOf(store.match("new.example", scope))).toEqual(["kube-soar/a"]);
    expect(store.get("kube-soar/a")).not.toBe(before);
    expect(before?.lookup("domain", "old.example", NOW)).toBeDefined();
    expect(store.delete("kube-soar/a")).toBe(true);
    expect(store.delete("kube-soar/a")).toBe(false);
    expect(store.match("kept.example", scope)).toEqual([]);
  });

  it("lists its feeds by key with their sizes", () => {
    const store = storeOf(feed("shop/b", "a.example\nb.example"), feed("kube-soar/a", "198.51.100.7"));
    expect(store.keys()).toEqual(["kube-soar/a", "shop/b"]);
    expect(store.feeds()).toEqual([
      { key: "kube-soar/a", namespace: "kube-soar", size: 1, counts: expect.objectContaining({ ipv4: 1 }) as unknown, loadedAt: NOW },
      { key: "shop/b", namespace: "shop", size: 2, counts: expect.objectContaining({ domain: 2 }) as unknown, loadedAt: NOW },
    ]);
  });
});
