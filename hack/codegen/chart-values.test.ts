import { describe, expect, it } from "vitest";
import { settings } from "../../src/config/flags.ts";
import { CHART_MANAGED_FLAGS, operatorSettings, renderOperatorArgsTemplate } from "./chart-operator-settings.ts";
import { renderAdmissionTemplate } from "./chart-files.ts";
import { chartRoles } from "./chart-roles.ts";
import { renderReadmeTables, renderValuesSchema, valueDocs } from "./chart-values.ts";

const values = `# header, not documentation

# -- Replicas.
replicaCount: 2
image:
  # -- Repository.
  # Continued.
  repository: r
# -- Free-form.
resources:
  limits: {}
`;

describe("chart values", () => {
  it("reads the `# --` comment above a key, continuation lines included, by dotted path", () => {
    expect([...valueDocs(values)]).toEqual([
      ["replicaCount", "Replicas."],
      ["image.repository", "Repository. Continued."],
      ["resources", "Free-form."],
    ]);
  });

  it("closes documented maps in the schema and leaves undocumented ones open", () => {
    const schema = JSON.parse(renderValuesSchema(values, [])) as { properties: Record<string, Record<string, unknown>> };
    expect(schema.properties["image"]).toMatchObject({ additionalProperties: false, properties: { repository: { type: "string", description: "Repository. Continued." } } });
    expect(schema.properties["resources"]).toEqual({ type: "object", description: "Free-form." });
    expect(schema.properties["replicaCount"]).toEqual({ type: "integer", description: "Replicas." });
  });

  it("lists every documented leaf and every flag the chart sets in the README tables", () => {
    const tables = renderReadmeTables(values);
    expect(tables).toContain("| `image.repository` | string | `\"r\"` | Repository. Continued. |");
    expect(tables).toContain("| `--receiver-token-file` |");
  });
});

describe("operator settings", () => {
  it("covers every flag exactly once: as an operator value or as one the chart sets", () => {
    const operator = operatorSettings().map((entry) => entry.flag);
    const managed = Object.keys(CHART_MANAGED_FLAGS);
    expect([...operator, ...managed].sort()).toEqual(Object.keys(settings).sort());
  });

  it("gives each value the flag's type, default, choices and duration pattern", () => {
    const byKey = new Map(operatorSettings().map((entry) => [entry.key, entry]));
    expect(byKey.get("dryRun")).toMatchObject({ value: false, schema: { type: "boolean" } });
    expect(byKey.get("logLevel")?.schema).toMatchObject({ type: "string", enum: ["fatal", "error", "warn", "info", "debug", "trace", "silent"] });
    expect(byKey.get("dedupWindow")).toMatchObject({ value: "1h", schema: { type: "string", pattern: expect.any(String) as unknown } });
    expect(byKey.get("natsBackoff")?.value).toEqual(["1s", "5s", "15s", "30s", "60s"]);
  });

  it("renders an argument only for a value that differs from the flag's default", () => {
    const template = renderOperatorArgsTemplate(operatorSettings());
    expect(template).toContain('{{- if ne $o.logLevel "info" }}\n- {{ printf "--log-level=%s" $o.logLevel | quote }}\n{{- end }}');
    expect(template).toContain("{{- if ne $o.dryRun false }}\n- --dry-run={{ $o.dryRun }}");
  });
});

describe("chart roles", () => {
  const binding = (role: string): string => `---
kind: ClusterRoleBinding
roleRef: { name: ${role} }
subjects: [{ kind: ServiceAccount, name: kube-soar }]
`;

  it("splits an operator role's rules on cluster-scoped resources from namespaced ones and names the family toggle", () => {
    const role = `kind: ClusterRole
metadata:
  name: kube-soar-action-labeling
  labels: { soar.kube-soar.io/action-family: "pod-labeling" }
rules:
  - { apiGroups: [""], resources: ["pods", "nodes"], verbs: ["get"] }
`;
    expect(chartRoles(new Map([["config/rbac/role.yaml", role + binding("kube-soar-action-labeling")]])).operator).toEqual([
      {
        name: "action-labeling",
        toggle: "podLabeling",
        rules: [{ apiGroups: [""], resources: ["pods", "nodes"], verbs: ["get"] }],
        namespaced: [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }],
        cluster: [{ apiGroups: [""], resources: ["nodes"], verbs: ["get"] }],
      },
    ]);
  });

  it("keeps rules on non-resource URLs cluster-wide", () => {
    const role = "kind: ClusterRole\nmetadata: { name: kube-soar-manager }\nrules: [{ nonResourceURLs: [/metrics], verbs: [get] }]\n";
    expect(chartRoles(new Map([["config/rbac/m.yaml", role + binding("kube-soar-manager")]])).operator[0]).toMatchObject({
      namespaced: [],
      cluster: [{ nonResourceURLs: ["/metrics"], verbs: ["get"] }],
    });
  });

  it("takes a role no ServiceAccount is bound to as one for others, with the toggles that create it", () => {
    const files = new Map([
      ["config/rbac/reader.yaml", "kind: ClusterRole\nmetadata: { name: kube-soar-metrics-reader }\nrules: [{ nonResourceURLs: [/metrics], verbs: [get] }]\n"],
      ["config/rbac/approver.yaml", "kind: ClusterRole\nmetadata: { name: soar-approver }\nrules: []\n"],
      [
        "config/admission/edit.yaml",
        'kind: ClusterRole\nmetadata: { name: kube-soar-aggregate-to-edit, labels: { rbac.authorization.k8s.io/aggregate-to-edit: "true", app: x } }\nrules: []\n',
      ],
    ]);
    expect(chartRoles(files)).toEqual({
      operator: [],
      granted: [
        { name: "kube-soar-metrics-reader", suffix: "metrics-reader", aggregation: {}, toggles: ["rbac.create"], rules: [{ nonResourceURLs: ["/metrics"], verbs: ["get"] }] },
        { name: "soar-approver", aggregation: {}, toggles: ["rbac.create", "rbac.soarApprover"], rules: [] },
        {
          name: "kube-soar-aggregate-to-edit",
          suffix: "aggregate-to-edit",
          aggregation: { "rbac.authorization.k8s.io/aggregate-to-edit": "true" },
          toggles: ["rbac.create", "rbac.aggregateToDefaultRoles", "admission.enabled"],
          rules: [],
        },
      ],
    });
  });

  it("refuses an operator role not named kube-soar-*, and a namespaced role for others, naming the file", () => {
    expect(() => chartRoles(new Map([["bad.yaml", "kind: Role\nmetadata: { name: other }\n" + binding("other")]]))).toThrow(
      "bad.yaml: a role bound to the operator must be named kube-soar-<name>",
    );
    expect(() => chartRoles(new Map([["lone.yaml", "kind: Role\nmetadata: { name: kube-soar-lone }\n"]]))).toThrow("lone.yaml: kube-soar-lone is bound to no ServiceAccount");
  });
});

describe("chart admission policies", () => {
  it("keeps the policies and bindings verbatim and leaves roles to the roles helper", () => {
    const template = renderAdmissionTemplate(
      new Map([["config/admission/p.yaml", "kind: ValidatingAdmissionPolicy\nmetadata: { name: p }\n---\nkind: ClusterRole\nmetadata: { name: r }\n"]]),
    );
    expect(template).toContain('{{- define "kube-soar.admission" -}}\nobjects:\n  - kind: ValidatingAdmissionPolicy\n    metadata:\n      name: p\n{{- end -}}');
  });

  it("refuses text Helm would read as a template action, naming the file", () => {
    expect(() => renderAdmissionTemplate(new Map([["config/admission/x.yaml", "message: '{{ x }}'\n"]]))).toThrow('config/admission/x.yaml: "{{" would be read by Helm');
  });
});
