import { describe, expect, it } from "vitest";
import { playbookMaySeeAlert } from "./alert-tenancy.ts";

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
