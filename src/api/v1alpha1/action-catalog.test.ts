import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { ACTION_CATALOG, ACTION_TYPES, ActionRole, actionFamilyOf, actionsWhere } from "./action-catalog.ts";

const rbacDir = new URL("../../../config/rbac/", import.meta.url);
const readme = new URL("../../../README.md", import.meta.url);
const rbacReadme = new URL("../../../config/rbac/README.md", import.meta.url);

interface Manifest {
  kind?: string;
  metadata?: { name?: string; labels?: Record<string, string> };
  roleRef?: { name?: string };
  rules?: { apiGroups?: string[]; resources?: string[]; verbs?: string[] }[];
}

function manifests(): Map<string, Manifest[]> {
  const byFile = new Map<string, Manifest[]>();
  for (const file of readdirSync(rbacDir).filter((name) => name.endsWith(".yaml"))) {
    const text = readFileSync(new URL(file, rbacDir), "utf8");
    byFile.set(file, parseAllDocuments(text).map((document) => document.toJS() as Manifest));
  }
  return byFile;
}

describe("action catalog", () => {
  const byFile = manifests();
  const all = [...byFile.values()].flat();
  const kustomization = byFile.get("kustomization.yaml")?.[0] as { resources?: string[] } | undefined;

  it("lists every manifest in the kustomization", () => {
    expect([...(kustomization?.resources ?? [])].sort()).toEqual([...byFile.keys()].filter((file) => file !== "kustomization.yaml").sort());
  });

  it.each(ACTION_TYPES.map((action) => [action, ACTION_CATALOG[action].role] as const))("%s needs ClusterRole %s, which exists and is bound", (_, role) => {
    expect(all.some((manifest) => manifest.kind === "ClusterRole" && manifest.metadata?.name === role)).toBe(true);
    expect(all.some((manifest) => manifest.kind === "ClusterRoleBinding" && manifest.roleRef?.name === role)).toBe(true);
  });

  it.each(Object.values(ActionRole))("labels ClusterRole %s with the family its name carries, which names its chart toggle", (role) => {
    const manifest = all.find((candidate) => candidate.kind === "ClusterRole" && candidate.metadata?.name === role);
    expect(manifest?.metadata?.labels?.["soar.kube-soar.io/action-family"]).toBe(actionFamilyOf(role));
  });

  it("is what the README's API table says about undo", () => {
    const reversible = actionsWhere((facts) => facts.reversible).join(", ");
    const irreversible = actionsWhere((facts) => !facts.reversible).join(", ");
    expect(readFileSync(readme, "utf8")).toContain(`\`action\` (with undo: ${reversible}; without: ${irreversible})`);
  });

  it.each(Object.values(ActionRole))("%s has a row in the RBAC privilege table naming each resource and verb it grants", (role) => {
    const text = readFileSync(rbacReadme, "utf8");
    const table = text.slice(text.indexOf("## Privilege per action family"));
    const row = table.split("\n").find((line) => line.startsWith(`| \`${role}\` |`));
    expect(row, `no row for ${role}`).toBeDefined();
    const grants = row?.split("|")[2] ?? "";
    const rules = all.find((manifest) => manifest.kind === "ClusterRole" && manifest.metadata?.name === role)?.rules ?? [];
    for (const rule of rules) {
      for (const resource of rule.resources ?? []) expect(grants).toContain(`\`${resource}\``);
      for (const verb of rule.verbs ?? []) expect(grants).toContain(verb);
    }
  });

  it("grants scaling only through the scale subresource", () => {
    const scaling = all.find((manifest) => manifest.kind === "ClusterRole" && manifest.metadata?.name === "kube-soar-action-scaling");
    expect(scaling?.rules?.flatMap((rule) => rule.resources ?? [])).toEqual(["deployments/scale", "statefulsets/scale"]);
  });
});
