import { describe, expect, it } from "vitest";
import { readTestSettings } from "./operator-settings.ts";

describe("readTestSettings", () => {
  it("gives the operator's defaults without a file", () => {
    const result = readTestSettings(undefined);
    if (!result.ok) throw new Error(result.message);
    expect(result.settings.namespace).toBe("soar-system");
    expect(result.settings.paused).toBe(false);
    expect(result.settings.guardPolicy.dryRun).toBe(false);
    expect(result.settings.guardPolicy.protectedNamespaces).toEqual(["kube-system", "kube-public", "kube-node-lease", "soar-system"]);
    expect(result.settings.intake.unmatchedMinSeverity).toBe("high");
  });

  it("reads flags by name, lists as YAML lists", () => {
    const result = readTestSettings("namespace: soar\nprotected-namespaces: [prod, pci]\ndry-run: true\nunmatched-min-severity: none\nmax-event-bytes: 2048\n");
    if (!result.ok) throw new Error(result.message);
    expect(result.settings.guardPolicy).toMatchObject({ privilegedNamespace: "soar", dryRun: true, protectedNamespaces: ["kube-system", "kube-public", "kube-node-lease", "soar", "prod", "pci"] });
    expect(result.settings.intake.unmatchedMinSeverity).toBe("none");
    expect(result.settings.alerts.maxDataBytes).toBe(2048);
  });

  it.each([
    ["nats-servers: x\n", /^nats-servers: not a setting test uses/],
    ["dry-run: maybe\n", /^dry-run: "maybe" must be true or false$/],
    ["unmatched-min-severity: loud\n", /^unmatched-min-severity: "loud" is not one of info, low, medium, high, critical, none$/],
    ["namespace: {a: 1}\n", /^namespace: must be a string, number, boolean$/],
    ["- a\n", /^must be a map/],
    ["a: [\n", /^not valid YAML/],
  ])("refuses %j", (text, message) => {
    const result = readTestSettings(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });
});
