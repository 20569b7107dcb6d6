import { describe, expect, it } from "vitest";
import { incidentLabelChanges, incidentLabels } from "./incident-labels.ts";

describe("incidentLabels", () => {
  it("labels severity, state (Open when unset) and each playbook", () => {
    expect(incidentLabels({ severity: "high", playbooks: ["contain", "notify"] })).toEqual({
      "soar.kube-soar.io/severity": "high",
      "soar.kube-soar.io/state": "Open",
      "playbook.soar.kube-soar.io/contain": "true",
      "playbook.soar.kube-soar.io/notify": "true",
    });
  });

  it("gives no label to a playbook whose name is too long for a label key", () => {
    const long = `p${"a".repeat(63)}`;
    expect(incidentLabels({ severity: "low", state: "Closed", playbooks: [long] })).toEqual({
      "soar.kube-soar.io/severity": "low",
      "soar.kube-soar.io/state": "Closed",
    });
  });
});

describe("incidentLabelChanges", () => {
  const spec = { severity: "high" as const, state: "Acknowledged" as const, playbooks: ["contain"] };

  it.each([
    ["no labels yet", undefined, { "soar.kube-soar.io/severity": "high", "soar.kube-soar.io/state": "Acknowledged", "playbook.soar.kube-soar.io/contain": "true" }],
    ["a stale state", { "soar.kube-soar.io/severity": "high", "soar.kube-soar.io/state": "Open", "playbook.soar.kube-soar.io/contain": "true" }, { "soar.kube-soar.io/state": "Acknowledged" }],
    [
      "a playbook label no longer matching, other labels kept",
      { team: "blue", "soar.kube-soar.io/severity": "high", "soar.kube-soar.io/state": "Acknowledged", "playbook.soar.kube-soar.io/contain": "true", "playbook.soar.kube-soar.io/old": "true" },
      { "playbook.soar.kube-soar.io/old": null },
    ],
    ["labels up to date", { team: "blue", "soar.kube-soar.io/severity": "high", "soar.kube-soar.io/state": "Acknowledged", "playbook.soar.kube-soar.io/contain": "true" }, undefined],
  ])("%s", (_name, current, expected) => {
    expect(incidentLabelChanges(current, spec)).toEqual(expected);
  });
});
