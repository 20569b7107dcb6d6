import { describe, expect, it } from "vitest";
import { MAX_ALERT_OBSERVABLES } from "../alert.ts";
import { collectObservables } from "./observables.ts";

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
