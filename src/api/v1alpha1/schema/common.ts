import { SEVERITIES } from "../constants.ts";
import type { Schema } from "./builders.ts";
import { enumeration, integer, list, map, object, string, timestamp } from "./builders.ts";

/** Pattern of a Go/Kubernetes style duration such as `90s`, `1h30m` or `250ms`. */
export const DURATION_PATTERN = String.raw`^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$`;

/** Pattern of a DNS-1123 label, the shape of Namespace and container names. */
export const DNS_LABEL_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

/** Pattern of a step name: a DNS label, so it can appear in object names and label values. */
export const STEP_NAME_PATTERN = DNS_LABEL_PATTERN;

/** Longest step name; short enough to fit derived Job names. */
export const STEP_NAME_MAX_LENGTH = 40;

/** Pattern of a DNS-1123 subdomain, the shape of most object names. */
export const DNS_SUBDOMAIN_PATTERN = String.raw`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`;

/** Pattern of a Kubernetes resource quantity (`500m`, `128Mi`, `2`). */
export const QUANTITY_PATTERN = String.raw`^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$`;

/** Longest CEL expression accepted in a spec. */
export const CEL_MAX_LENGTH = 4096;

/** Longest `${{ }}` template accepted in a spec. */
export const TEMPLATE_MAX_LENGTH = 4096;

/** A duration string, optionally defaulted. */
export function duration(description: string, defaultValue?: string): Schema {
  return string(description, {
    maxLength: 32,
    pattern: DURATION_PATTERN,
    ...(defaultValue === undefined ? {} : { default: defaultValue }),
  });
}

/** A severity level, one of {@link SEVERITIES}. */
export function severity(description: string): Schema {
  return enumeration(description, SEVERITIES, {
    typeName: "Severity",
    typeDescription: "How severe an alert or Incident is; ordered info < low < medium < high < critical.",
  });
}

/** The name of an object in the same namespace. */
export function objectName(description: string): Schema {
  return string(description, { minLength: 1, maxLength: 253, pattern: DNS_SUBDOMAIN_PATTERN });
}

/** The name of a step of the same Playbook. */
export function stepName(description: string): Schema {
  return string(description, { minLength: 1, maxLength: STEP_NAME_MAX_LENGTH, pattern: STEP_NAME_PATTERN });
}

/** A CEL expression, compiled by the controller. */
export function celExpression(description: string): Schema {
  return string(description, { minLength: 1, maxLength: CEL_MAX_LENGTH });
}

/** A string that may embed `${{ expr }}` templates, rendered by the controller. */
export function template(description: string, maxLength = TEMPLATE_MAX_LENGTH): Schema {
  return string(description, { maxLength });
}

/** A reference to one key of a Secret in the same namespace. */
export function secretKeyRef(description: string): Schema {
  return object(
    description,
    {
      name: objectName("Name of the Secret, in the namespace of the referring object."),
      key: string("Key within the Secret's data.", {
        minLength: 1,
        maxLength: 253,
        pattern: "^[-._a-zA-Z0-9]+$",
      }),
    },
    {
      required: ["name", "key"],
      typeName: "SecretKeyRef",
      typeDescription: "Selects one key of a Secret in the same namespace. Secrets are read at call time and never copied.",
    },
  );
}

/** A reference to a whole Secret in the same namespace. */
export function secretRef(description: string): Schema {
  return object(
    description,
    { name: objectName("Name of the Secret, in the namespace of the referring object.") },
    {
      required: ["name"],
      typeName: "SecretRef",
      typeDescription: "Names a Secret in the same namespace.",
    },
  );
}

/** Status conditions in the metav1.Condition shape, keyed by type. */
export function conditions(): Schema {
  const condition = object(
    "Condition contains details for one aspect of the current state of this object.",
    {
      type: string("Type of condition in CamelCase or in foo.example.com/CamelCase.", {
        maxLength: 316,
        pattern: String.raw`^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$`,
      }),
      status: enumeration("Status of the condition, one of True, False, Unknown.", ["True", "False", "Unknown"], {
        typeName: "ConditionStatus",
        typeDescription: "Status of a condition.",
      }),
      observedGeneration: integer(
        "The .metadata.generation that the condition was set based upon. If it is older than the object's generation, the condition is out of date.",
        { minimum: 0 },
      ),
      lastTransitionTime: timestamp(
        "Last time the condition transitioned from one status to another: when the underlying condition changed.",
      ),
      reason: string(
        "A programmatic identifier in CamelCase indicating the reason for the condition's last transition.",
        { minLength: 1, maxLength: 1024, pattern: "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$" },
      ),
      message: string("A human readable message indicating details about the transition. May be empty.", {
        maxLength: 32768,
      }),
    },
    {
      required: ["type", "status", "lastTransitionTime", "reason", "message"],
      typeName: "Condition",
    },
  );
  return list(
    "Latest observations of the object's state: Ready, Reconciling, Stalled and domain conditions, one per type.",
    condition,
    { maxItems: 16, listType: "map", mapKeys: ["type"] },
  );
}

/** The generation of the spec the controller last fully processed. */
export function observedGeneration(): Schema {
  return integer("The metadata.generation of the spec the controller last fully processed.", { minimum: 0 });
}

/** Most template parameters of an action or connector step. */
const MAX_PARAMS = 16;

/** Template parameters of an action or connector step, by name. */
export function templateParams(description: string): Schema {
  return map(description, template("Value of the parameter; may embed `${{ }}` templates.", 1024), {
    maxProperties: MAX_PARAMS,
  });
}
