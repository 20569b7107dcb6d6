import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { APPROVE_VERB, TenancyPolicy } from "./constants.ts";

interface Manifest {
  kind?: string;
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: { policyName?: string; validationActions?: string[]; failurePolicy?: string };
  rules?: { verbs?: string[] }[];
  resources?: string[];
}

function manifests(directory: string): Map<string, Manifest[]> {
  const url = new URL(`../../../config/${directory}/`, import.meta.url);
  const byFile = new Map<string, Manifest[]>();
  for (const file of readdirSync(url).filter((name) => name.endsWith(".yaml"))) {
    byFile.set(file, parseAllDocuments(readFileSync(new URL(file, url), "utf8")).map((document) => document.toJS() as Manifest));
  }
  return byFile;
}

describe("tenancy policies of config/admission", () => {
  const byFile = manifests("admission");
  const all = [...byFile.values()].flat();

  it("lists every manifest in the kustomization", () => {
    const kustomization = byFile.get("kustomization.yaml")?.[0];
    expect([...(kustomization?.resources ?? [])].sort()).toEqual([...byFile.keys()].filter((file) => file !== "kustomization.yaml").sort());
  });

  it.each(Object.values(TenancyPolicy))("ships policy %s failing closed, and a denying binding of the same name", (name) => {
    const policy = all.find((manifest) => manifest.kind === "ValidatingAdmissionPolicy" && manifest.metadata?.name === name);
    const binding = all.find((manifest) => manifest.kind === "ValidatingAdmissionPolicyBinding" && manifest.metadata?.name === name);
    expect(policy?.spec?.failurePolicy).toBe("Fail");
    expect(binding?.spec).toMatchObject({ policyName: name, validationActions: ["Deny"] });
  });
});

describe("the approve verb in config/rbac", () => {
  const roles = [...manifests("rbac").values()].flat().filter((manifest) => manifest.kind === "ClusterRole");
  const granting = roles.filter((role) => role.rules?.some((rule) => rule.verbs?.includes(APPROVE_VERB) || rule.verbs?.includes("*")));

  it("is granted by soar-approver only, never through an aggregated role", () => {
    expect(granting.map((role) => role.metadata?.name)).toEqual(["soar-approver"]);
    expect(Object.keys(granting[0]?.metadata?.labels ?? {}).filter((label) => label.startsWith("rbac.authorization.k8s.io/aggregate-to"))).toEqual([]);
  });
});
