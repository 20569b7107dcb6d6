import { describe, expect, it } from "vitest";
import type { Alert } from "../alert.ts";
import { incidentSpecFromAlert, incidentObservables } from "./incident-spec-from-alert.ts";

function alert(overrides: Partial<Alert>): Alert {
  return {
    id: "id-1",
    source: "//source",
    type: "com.example.t",
    time: "2026-11-20T10:42:17.118823521Z",
    specversion: "1.0",
    kind: "cloudevent",
    status: "firing",
    severity: "high",
    title: "Something happened",
    fingerprint: "f".repeat(64),
    resources: {},
    observables: [],
    labels: {},
    extensions: {},
    data: { a: 1 },
    dataTruncated: false,
    ...overrides,
  };
}

describe("incidentSpecFromAlert", () => {
  it("pins severity, title, source kind, the event and the resources", () => {
    const spec = incidentSpecFromAlert(alert({ subject: "shop/web", resources: { namespace: "shop", pod: "web-0" }, kind: "falco" }));
    expect(spec).toEqual({
      severity: "high",
      title: "Something happened",
      sourceKind: "falco",
      event: { id: "id-1", source: "//source", type: "com.example.t", subject: "shop/web", time: "2026-11-20T10:42:17.118823521Z", data: { a: 1 }, truncated: false },
      resources: { namespace: "shop", pod: "web-0" },
    });
  });

  const dataCases: { name: string; data: unknown; expected: unknown }[] = [
    { name: "an object as it is", data: { x: [1] }, expected: { x: [1] } },
    { name: "a string under value", data: "text", expected: { value: "text" } },
    { name: "an array under value", data: [1, 2], expected: { value: [1, 2] } },
    { name: "no data as absent", data: null, expected: undefined },
  ];
  for (const testCase of dataCases) {
    it(`stores ${testCase.name}`, () => {
      expect(incidentSpecFromAlert(alert({ data: testCase.data })).event.data).toEqual(testCase.expected);
    });
  }

  it("cuts identity attributes to the schema's bounds, counting code points", () => {
    const spec = incidentSpecFromAlert(alert({ id: "😀".repeat(300), source: "s".repeat(2_000), type: "t".repeat(300), subject: "u".repeat(1_500) }));
    expect(Array.from(spec.event.id ?? "")).toHaveLength(256);
    expect(spec.event.source).toHaveLength(1_024);
    expect(spec.event.type).toHaveLength(256);
    expect(spec.event.subject).toHaveLength(1_024);
  });

  it("leaves out resources longer than the schema allows", () => {
    const spec = incidentSpecFromAlert(alert({ resources: { namespace: "shop", image: `registry.example.com/${"a".repeat(600)}:1` } }));
    expect(spec.resources).toEqual({ namespace: "shop" });
  });
});

describe("incidentObservables", () => {
  it("keeps observables that fit the schema", () => {
    const observables = incidentObservables(
      alert({
        observables: [
          { type: "ip", value: "10.0.0.1" },
          { type: "url", value: `https://example.com/${"a".repeat(2_000)}` },
        ],
      }),
    );
    expect(observables).toEqual([{ type: "ip", value: "10.0.0.1" }]);
  });
});
