import { describe, expect, it } from "vitest";
import { FALCO_PRIORITIES } from "../decode/falco-payload.ts";
import { severityFromName, severityOfAlertmanagerLabel, severityOfCloudEventExtension, severityOfFalcoPriority } from "./severity.ts";

describe("severityOfFalcoPriority", () => {
  it("maps every Falco priority", () => {
    expect(Object.fromEntries(FALCO_PRIORITIES.map((priority) => [priority, severityOfFalcoPriority(priority)]))).toEqual({
      Emergency: "critical",
      Alert: "critical",
      Critical: "critical",
      Error: "high",
      Warning: "medium",
      Notice: "low",
      Informational: "info",
      Debug: "info",
    });
  });
});

describe("severityOfAlertmanagerLabel", () => {
  it.each([
    ["critical", "critical"],
    ["error", "high"],
    ["warning", "medium"],
    ["info", "info"],
    ["none", "info"],
    ["Warning", "medium"],
    ["high", "high"],
    ["page-me-now", "low"],
    [undefined, "low"],
  ] as const)("label %j maps to %s (fallback low)", (label, severity) => {
    expect(severityOfAlertmanagerLabel(label, "low")).toBe(severity);
  });
});

describe("severityOfCloudEventExtension", () => {
  it.each([
    ["critical", "critical"],
    ["high", "high"],
    ["medium", "medium"],
    ["low", "low"],
    ["info", "info"],
    [" CRIT ", "critical"],
    ["fatal", "critical"],
    ["err", "high"],
    ["major", "high"],
    ["moderate", "medium"],
    ["warn", "medium"],
    ["minor", "low"],
    ["notice", "low"],
    ["informational", "info"],
    ["debug", "info"],
    ["P1", "critical"],
    ["sev-3", "medium"],
    ["whatever", "medium"],
    [undefined, "medium"],
  ] as const)("extension %j maps to %s (fallback medium)", (extension, severity) => {
    expect(severityOfCloudEventExtension(extension, "medium")).toBe(severity);
  });

  it("knows no severity for unknown names", () => {
    expect(severityFromName("apocalyptic")).toBeUndefined();
  });
});
