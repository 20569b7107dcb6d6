import { ACTION_CATALOG, ACTION_TARGET_KINDS, ACTION_TYPES, actionsWhere } from "../action-catalog.ts";
import type { Schema } from "./builders.ts";
import { enumeration, object } from "./builders.ts";
import { template, templateParams } from "./common.ts";

/** `a`, `a or b`, `a, b and c`: names as a phrase of the API documentation. */
function inWords(names: readonly string[], conjunction: "and" | "or" = "and"): string {
  return names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} ${conjunction} ${names.at(-1) ?? ""}`;
}

/** The actions grouped by the target kinds they accept, in catalog order. */
function actionsByTargetKinds(): { kinds: readonly string[]; actions: string[] }[] {
  const groups = new Map<string, { kinds: readonly string[]; actions: string[] }>();
  for (const action of ACTION_TYPES) {
    const kinds = ACTION_CATALOG[action].targetKinds;
    const group = groups.get(kinds.join()) ?? { kinds, actions: [] };
    group.actions.push(action);
    groups.set(kinds.join(), group);
  }
  return [...groups.values()];
}

/** CEL: `field` equals one of `values`. */
function celOneOf(field: string, values: readonly string[]): string {
  const quoted = values.map((value) => `'${value}'`);
  return quoted.length === 1 ? `${field} == ${quoted.join("")}` : `${field} in [${quoted.join(", ")}]`;
}

function actionTarget(): Schema {
  return object(
    "The object the action applies to. Each field may embed `${{ }}` templates; absent fields default to the Incident's affected resources.",
    {
      kind: enumeration(
        `Kind of the target object: ${actionsByTargetKinds()
          .map((group) => `${inWords(group.kinds, "or")} for ${inWords(group.actions)}`)
          .join("; ")}.`,
        ACTION_TARGET_KINDS,
        {
          typeName: "ActionTargetKind",
          typeDescription: "Kinds of object an action may target.",
        },
      ),
      namespace: template("Namespace of the target; must not be set for a Node.", 512),
      name: template("Name of the target object.", 512),
    },
    {
      typeName: "ActionTarget",
      rules: [
        {
          rule: "!has(self.kind) || self.kind != 'Node' || !has(self.namespace)",
          message: "a Node is cluster-scoped: namespace must not be set",
          fieldPath: ".namespace",
          reason: "FieldValueForbidden",
        },
      ],
    },
  );
}

/** The `action` of a Playbook step: a built-in Kubernetes action, described from the action catalog. */
export function actionStep(): Schema {
  return object(
    `Takes a built-in, idempotent Kubernetes action. Reversible actions (${inWords(actionsWhere((facts) => facts.reversible))}) record how to undo them; ${inWords(actionsWhere((facts) => !facts.reversible))} cannot be undone. Destructive actions (${inWords(actionsWhere((facts) => facts.destructive))}) run only once an approval step they need, directly or through other steps, has approved. Node actions (${inWords(actionsWhere((facts) => facts.targetKinds.includes("Node")))}) are refused on a Node the operator protects (its --protected-node-selector, control-plane nodes by default).`,
    {
      type: enumeration(
        `The action: ${ACTION_TYPES.map((action) => `${action} (${ACTION_CATALOG[action].summary})`).join(", ")}.`,
        ACTION_TYPES,
        { typeName: "ActionType", typeDescription: "Built-in Kubernetes actions." },
      ),
      target: actionTarget(),
      params: templateParams(
        "Parameters of the action, such as the labels to set for label or the replica count for scaleWorkload.",
      ),
    },
    {
      required: ["type"],
      typeName: "ActionStep",
      rules: [
        {
          rule: `!has(self.target) || !has(self.target.kind) || (${actionsByTargetKinds()
            .map((group) => `${celOneOf("self.type", group.actions)} ? ${celOneOf("self.target.kind", group.kinds)} : `)
            .join("")}false)`,
          message: "target.kind does not fit the action type",
          messageExpression: "'target.kind ' + self.target.kind + ' does not fit action ' + self.type",
          fieldPath: ".target.kind",
        },
      ],
    },
  );
}

