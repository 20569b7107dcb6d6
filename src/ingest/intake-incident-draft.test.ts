import { describe, expect, it } from "vitest";
import type { Alert } from "./alert.ts";
import { incidentDraft, incidentObservables } from "./intake-incident-draft.ts";

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

describe("incidentDraft", () => {
  it("pins severity, title, source kind, the event and the resources", () => {
    const draft = incidentDraft(alert({ subject: "shop/web", resources: { namespace: "shop", pod: "web-0" }, kind: "falco" }));
    expect(draft).toEqual({
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
      expect(incidentDraft(alert({ data: testCase.data })).event.data).toEqual(testCase.expected);
    });
  }

  it("cuts identity attributes to the schema's bounds, counting code points", () => {
    const draft = incidentDraft(alert({ id: "😀".repeat(300), source: "s".repeat(2_000), type: "t".repeat(300), subject: "u".repeat(1_500) }));
    expect(Array.from(draft.event.id ?? "")).toHaveLength(256);
    expect(draft.event.source).toHaveLength(1_024);
    expect(draft.event.type).toHaveLength(256);
    expect(draft.event.subject).toHaveLength(1_024);
  });

  it("leaves out resources longer than the schema allows", () => {
    const draft = incidentDraft(alert({ resources: { namespace: "shop", image: `registry.example.com/${"a".repeat(600)}:1` } }));
    expect(draft.resources).toEqual({ namespace: "shop" });
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
