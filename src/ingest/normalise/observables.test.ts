import { describe, expect, it } from "vitest";
import type { ObservableType } from "../../api/v1alpha1/index.ts";
import { MAX_ALERT_OBSERVABLES } from "../alert.ts";
import { canonicalObservable, collectObservables } from "./observables.ts";

describe("canonicalObservable", () => {
  it.each<[ObservableType, unknown, string | undefined]>([
    ["ip", "203.0.113.45", "203.0.113.45"],
    ["ip", "2001:DB8::1", "2001:db8::1"],
    ["ip", "256.1.1.1", undefined],
    ["ip", "010.0.0.1", undefined],
    ["ip", "fe80::1%eth0", undefined],
    ["ip", "10.244.1.17:48122", undefined],
    ["ip", 3232235777, undefined],
    ["domain", "Pool.MineXMR.example.", "pool.minexmr.example"],
    ["domain", "xn--bcher-kva.example", "xn--bcher-kva.example"],
    ["domain", "localhost", undefined],
    ["domain", "1.2.3.4", undefined],
    ["domain", "bad_label.example", undefined],
    ["domain", "-lead.example", undefined],
    ["domain", "a.b.c.123", undefined],
    ["domain", "evil.example; rm -rf /", undefined],
    ["hash", "D41D8CD98F00B204E9800998ECF8427E", "d41d8cd98f00b204e9800998ecf8427e"],
    ["hash", `sha256:${"a".repeat(64)}`, "a".repeat(64)],
    ["hash", "a".repeat(40), "a".repeat(40)],
    ["hash", "a".repeat(39), undefined],
    ["hash", "g".repeat(32), undefined],
    ["user", "root", "root"],
    ["user", "alice@example.com", "alice@example.com"],
    ["user", "system:serviceaccount:ns:sa", "system:serviceaccount:ns:sa"],
    ["user", "${{ event.data }}", undefined],
    ["user", "a b", undefined],
    ["user", "", undefined],
    ["process", "/var/lib/.x/xmrig", "/var/lib/.x/xmrig"],
    ["process", "kworker/0:1", "kworker/0:1"],
    ["process", "sh -c id", undefined],
    ["process", "$(id)", undefined],
    ["url", "https://Evil.example/x?q=1", "https://evil.example/x?q=1"],
    ["url", "ftp://files.example/a", "ftp://files.example/a"],
    ["url", "javascript:alert(1)", undefined],
    ["url", "https://user:pw@evil.example/", undefined],
    ["url", "https://evil.example/a b", undefined],
    ["url", "/relative", undefined],
  ])("%s %j → %j", (type, raw, value) => {
    expect(canonicalObservable(type, raw)).toBe(value);
  });
});

describe("collectObservables", () => {
  it("drops invalid values and duplicates, keeping the order of first sight", () => {
    expect(
      collectObservables([
        ["ip", "203.0.113.45"],
        ["ip", "nope"],
        ["user", "root"],
        ["ip", "203.0.113.45"],
        ["process", "bash"],
        ["user", "root"],
        ["domain", "root.example"],
      ]),
    ).toEqual([
      { type: "ip", value: "203.0.113.45" },
      { type: "user", value: "root" },
      { type: "process", value: "bash" },
      { type: "domain", value: "root.example" },
    ]);
  });

  it(`keeps at most ${MAX_ALERT_OBSERVABLES}`, () => {
    const many = Array.from({ length: 100 }, (_, index) => ["ip", `10.0.0.${index}`] as const);
    const observables = collectObservables(many);
    expect(observables).toHaveLength(MAX_ALERT_OBSERVABLES);
    expect(observables.at(-1)).toEqual({ type: "ip", value: `10.0.0.${MAX_ALERT_OBSERVABLES - 1}` });
  });
});
