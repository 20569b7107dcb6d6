import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { ACTION_CATALOG, ACTION_TYPES, byAction, type ActionFacts, type ApiRight } from "./action-catalog.ts";
import { APPROVE_VERB, TenancyPolicy } from "./constants.ts";
import { MAX_SUPPRESSION_HOURS } from "./schema/alert-suppression.ts";

interface Manifest {
  kind?: string;
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: { policyName?: string; validationActions?: string[]; failurePolicy?: string; variables?: { name: string; expression: string }[] };
  rules?: { apiGroups?: string[]; resources?: string[]; verbs?: string[] }[];
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

describe("the rights action steps need of a Playbook's writer", () => {
  const policy = [...manifests("admission").values()].flat().find((manifest) => manifest.kind === "ValidatingAdmissionPolicy" && manifest.metadata?.name === TenancyPolicy.PlaybookJobs);
  const table = policy?.spec?.variables?.find((variable) => variable.name === "actionRights")?.expression ?? "";

  it("are the action catalog's writerRights in the kube-soar-playbook-jobs policy", () => {
    // The table is a CEL map literal of strings without quotes inside them: JSON once its quotes are.
    expect(JSON.parse(table.replaceAll("'", '"'))).toEqual(byAction((facts) => facts.writerRights));
  });

  it("name exactly the target kinds of each action", () => {
    for (const action of ACTION_TYPES) expect(Object.keys(ACTION_CATALOG[action].writerRights).sort()).toEqual([...ACTION_CATALOG[action].targetKinds].sort());
  });

  it("are rights the operator itself holds for the action, through its ClusterRole", () => {
    const roles = [...manifests("rbac").values()].flat().filter((manifest) => manifest.kind === "ClusterRole");
    for (const action of ACTION_TYPES) {
      const { role, writerRights }: ActionFacts = ACTION_CATALOG[action];
      const rules = roles.find((candidate) => candidate.metadata?.name === role)?.rules ?? [];
      const rights: readonly ApiRight[] = Object.values(writerRights).flat();
      for (const right of rights) {
        const resource = right.subresource === "" ? right.resource : `${right.resource}/${right.subresource}`;
        const granted = rules.some((rule) => rule.apiGroups?.includes(right.group) && rule.resources?.includes(resource) && rule.verbs?.includes(right.verb));
        expect(granted, `${action}: ${role} grants ${right.verb} ${resource}`).toBe(true);
      }
    }
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

describe("the bound on a suppression's expiresAt", () => {
  const policy = [...manifests("admission").values()].flat().find((manifest) => manifest.kind === "ValidatingAdmissionPolicy" && manifest.metadata?.name === TenancyPolicy.SuppressionAuthor);
  const text = JSON.stringify(policy?.spec);

  it("is MAX_SUPPRESSION_HOURS after creation in the kube-soar-alert-suppression-author policy, and its message says so", () => {
    expect(policy?.spec?.variables?.find((variable) => variable.name === "latestExpiry")?.expression).toBe(
      `timestamp(object.metadata.creationTimestamp) + duration('${String(MAX_SUPPRESSION_HOURS)}h')`,
    );
    expect(text).toContain(`must be at most ${String(MAX_SUPPRESSION_HOURS)}h after the suppression was created`);
  });
});
