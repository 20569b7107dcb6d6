import { parseAllDocuments, stringify } from "yaml";
import { actionFamilyToggle } from "../../src/api/v1alpha1/action-catalog.ts";

/** Resources of the operator's roles that are cluster-scoped, so that a namespaced install keeps them in a ClusterRole. */
export const CLUSTER_SCOPED_RESOURCES: ReadonlySet<string> = new Set([
  "nodes",
  "namespaces",
  "tokenreviews",
  "subjectaccessreviews",
  "validatingadmissionpolicies",
  "validatingadmissionpolicybindings",
]);

/** One rule of a role, as config/rbac/ writes it: on resources, or on non-resource URLs (always cluster-wide). */
export interface Rule {
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
  readonly verbs: readonly string[];
}

/** One role bound to the operator's ServiceAccount, by the name the chart gives it, with its rules split by scope. */
export interface OperatorRole {
  /** The role name without the `kube-soar-` prefix: `manager`, `leader-election`, `action-isolation`. */
  readonly name: string;
  /** For action roles, the key of `rbac.actions` that turns the role on (the family in camelCase). */
  readonly toggle?: string;
  /** Every rule, as config/rbac/ writes it, for a cluster-wide install. */
  readonly rules: readonly Rule[];
  /** For an install restricted to namespaces: the rules on namespaced resources, and the others. */
  readonly namespaced: readonly Rule[];
  readonly cluster: readonly Rule[];
}

/** A ClusterRole for others than the operator (people, Prometheus, the built-in roles it aggregates into), bound to no one. */
export interface GrantedRole {
  /** The name in config/: `kube-soar-<suffix>` is renamed after the release, any other name is kept. */
  readonly name: string;
  /** For a `kube-soar-` name, the suffix the chart appends to the release's full name. */
  readonly suffix?: string;
  /** The `rbac.authorization.k8s.io/aggregate-to-*` labels. */
  readonly aggregation: Readonly<Record<string, string>>;
  /** Dotted paths of boolean values that must all be true for the chart to create the role. */
  readonly toggles: readonly string[];
  readonly rules: readonly Rule[];
}

/** The roles of config/, split into the operator's own and those for others. */
export interface ChartRoles {
  readonly operator: readonly OperatorRole[];
  readonly granted: readonly GrantedRole[];
}

interface Document {
  kind?: unknown;
  metadata?: { name?: unknown; labels?: Record<string, unknown> };
  rules?: Rule[];
  roleRef?: { name?: unknown };
  subjects?: { kind?: unknown }[];
}

const PREFIX = "kube-soar-";
const FAMILY_LABEL = "soar.kube-soar.io/action-family";
const AGGREGATION_LABEL = "rbac.authorization.k8s.io/aggregate-to-";
/** Files of config/admission: their roles are safe only together with the admission policies. */
const ADMISSION_DIR = "config/admission/";

function camelCase(text: string): string {
  return text.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

function splitRule(rule: Rule): { namespaced?: Rule; cluster?: Rule } {
  if (rule.resources === undefined) return { cluster: rule };
  const cluster = rule.resources.filter((resource) => CLUSTER_SCOPED_RESOURCES.has(resource));
  const namespaced = rule.resources.filter((resource) => !CLUSTER_SCOPED_RESOURCES.has(resource));
  return {
    ...(namespaced.length === 0 ? {} : { namespaced: { ...rule, resources: namespaced } }),
    ...(cluster.length === 0 ? {} : { cluster: { ...rule, resources: cluster } }),
  };
}

function operatorRole(file: string, name: string, role: Document): OperatorRole {
  if (!name.startsWith(PREFIX)) throw new Error(`${file}: a role bound to the operator must be named ${PREFIX}<name>`);
  const family = role.metadata?.labels?.[FAMILY_LABEL];
  const parts = (role.rules ?? []).map(splitRule);
  return {
    name: name.slice(PREFIX.length),
    ...(typeof family === "string" ? { toggle: actionFamilyToggle(family) } : {}),
    rules: role.rules ?? [],
    namespaced: parts.flatMap((part) => (part.namespaced === undefined ? [] : [part.namespaced])),
    cluster: parts.flatMap((part) => (part.cluster === undefined ? [] : [part.cluster])),
  };
}

function grantedRole(file: string, name: string, role: Document): GrantedRole {
  if (role.kind !== "ClusterRole") throw new Error(`${file}: ${name} is bound to no ServiceAccount, so it must be a ClusterRole for others to bind`);
  const aggregation = Object.fromEntries(
    Object.entries(role.metadata?.labels ?? {}).filter((entry): entry is [string, string] => entry[0].startsWith(AGGREGATION_LABEL) && typeof entry[1] === "string"),
  );
  const prefixed = name.startsWith(PREFIX);
  const toggles = [
    "rbac.create",
    ...(Object.keys(aggregation).length > 0 ? ["rbac.aggregateToDefaultRoles"] : []),
    ...(file.startsWith(ADMISSION_DIR) ? ["admission.enabled"] : []),
    // A name the release does not prefix exists once per cluster: it has a toggle of its own.
    ...(prefixed ? [] : [`rbac.${camelCase(name)}`]),
  ];
  return { name, ...(prefixed ? { suffix: name.slice(PREFIX.length) } : {}), aggregation, toggles, rules: role.rules ?? [] };
}

/**
 * The roles in the YAML documents of `files` (a path such as `config/rbac/x.yaml` to its text):
 * a role some binding there grants to a ServiceAccount is the operator's; every other role is for
 * others, and is a ClusterRole. Throws naming the file when an operator role is not named
 * `kube-soar-*` or a role for others is namespaced.
 */
export function chartRoles(files: ReadonlyMap<string, string>): ChartRoles {
  const documents = [...files].flatMap(([file, text]) => parseAllDocuments(text).map((document) => ({ file, object: document.toJS() as Document | null })));
  const boundToServiceAccount = new Set(
    documents.flatMap(({ object }) =>
      (object?.kind === "RoleBinding" || object?.kind === "ClusterRoleBinding") && (object.subjects ?? []).some((subject) => subject.kind === "ServiceAccount")
        ? [object.roleRef?.name]
        : [],
    ),
  );
  const operator: OperatorRole[] = [];
  const granted: GrantedRole[] = [];
  for (const { file, object } of documents) {
    if (object === null || (object.kind !== "ClusterRole" && object.kind !== "Role")) continue;
    const name = object.metadata?.name;
    if (typeof name !== "string") throw new Error(`${file}: a role must have a name`);
    if (boundToServiceAccount.has(name)) operator.push(operatorRole(file, name, object));
    else granted.push(grantedRole(file, name, object));
  }
  return { operator, granted };
}

/**
 * The Helm helpers `kube-soar.roles` (the operator's roles by name) and `kube-soar.grantedRoles`
 * (`roles:`, the roles for others) as YAML data that `fromYaml` reads, so that the chart grants
 * exactly what config/ grants.
 */
export function renderRolesTemplate(roles: ChartRoles): string {
  const operator = Object.fromEntries(
    roles.operator.map((role) => [role.name, { ...(role.toggle === undefined ? {} : { toggle: role.toggle }), rules: role.rules, namespaced: role.namespaced, cluster: role.cluster }]),
  );
  return (
    "{{- /* Code generated by hack/generate-api.ts from config/rbac/ and config/admission/. DO NOT EDIT. */ -}}\n" +
    '{{- define "kube-soar.roles" -}}\n' +
    stringify(operator, { lineWidth: 0, aliasDuplicateObjects: false }) +
    "{{- end -}}\n" +
    '{{- define "kube-soar.grantedRoles" -}}\n' +
    stringify({ roles: roles.granted }, { lineWidth: 0, aliasDuplicateObjects: false }) +
    "{{- end -}}\n"
  );
}
