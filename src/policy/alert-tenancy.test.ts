import { describe, expect, it } from "vitest";
import { playbookMaySeeAlert, suppressionMaySilence } from "./alert-tenancy.ts";

describe("playbookMaySeeAlert", () => {
  it.each<[string, string, string | undefined, boolean]>([
    ["a tenant Playbook, an alert about its namespace", "tenant-a", "tenant-a", true],
    ["a tenant Playbook, an alert about another namespace", "tenant-a", "tenant-b", false],
    ["a tenant Playbook, an alert about the operator's namespace", "tenant-a", "soar-system", false],
    ["a tenant Playbook, a cluster-scoped alert", "tenant-a", undefined, false],
    ["an operator Playbook, an alert about a tenant", "soar-system", "tenant-b", true],
    ["an operator Playbook, a cluster-scoped alert", "soar-system", undefined, true],
  ])("%s", (_, playbookNamespace, alertNamespace, expected) => {
    expect(playbookMaySeeAlert(playbookNamespace, alertNamespace, "soar-system")).toBe(expected);
  });
});

describe("suppressionMaySilence", () => {
  it.each<[string, string, string, boolean]>([
    ["a tenant suppression, an Incident in its namespace", "tenant-a", "tenant-a", true],
    ["a tenant suppression, an Incident in another tenant's namespace", "tenant-a", "tenant-b", false],
    ["a tenant suppression, an Incident in the operator's namespace", "tenant-a", "soar-system", false],
    ["an operator suppression, an Incident in a tenant's namespace", "soar-system", "tenant-b", true],
    ["an operator suppression, an Incident in its own namespace", "soar-system", "soar-system", true],
  ])("%s", (_, suppressionNamespace, incidentNamespace, expected) => {
    expect(suppressionMaySilence(suppressionNamespace, incidentNamespace, "soar-system")).toBe(expected);
  });
});
