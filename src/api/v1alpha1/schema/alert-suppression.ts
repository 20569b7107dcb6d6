import { INCIDENT_EVENT_BOUNDS, AFFECTED_RESOURCE_BOUNDS, MAX_TITLE_LENGTH } from "../bounds.ts";
import { Kind, Plural, TenancyPolicy } from "../constants.ts";
import type { Schema } from "./builders.ts";
import { integer, list, object, string, timestamp } from "./builders.ts";
import { celExpression, conditions, DNS_LABEL_PATTERN, observedGeneration, severity } from "./common.ts";
import type { KindSchema } from "./kind.ts";

/** Most silenced alerts a suppression's status keeps as samples; older ones are dropped first. */
export const MAX_SUPPRESSION_SAMPLES = 10;

/**
 * Longest time from a suppression's creation to its `expiresAt`, in hours (30 days): the bound
 * of the admission policy and the largest `--suppression-max-duration`.
 */
export const MAX_SUPPRESSION_HOURS = 720;

/** Longest rule (Falco rule, Alertmanager alert name) a suppression lists or samples. */
export const MAX_RULE_LENGTH = 256;

/** Most entries of each of a suppression's lists (namespaces, rules, types). */
const MAX_CRITERIA = 32;

function suppressionSpec(): Schema {
  return object(
    "Which alerts to silence, until when and why. Every criterion given must match; at least one of match, namespaces, rules or types is required. " +
      "A suppression in the operator's namespace (its --namespace flag) may silence any alert; one in another namespace silences only the Incidents the alert would open or update in its own namespace, " +
      "so a tenant can quiet its own Playbooks but never hide an alert from the operator's namespace or another tenant.",
    {
      match: celExpression(
        "CEL condition over event (the normalised, redacted event, exactly as a Playbook's trigger.when sees it) that must be true for an alert to be silenced. An evaluation error is no match.",
      ),
      namespaces: list(
        "Affected namespaces (event.resources.namespace) whose alerts are silenced; compared exactly. An alert about no namespace (a Node, the cluster) matches no suppression that lists namespaces.",
        string("A namespace name.", { minLength: 1, maxLength: AFFECTED_RESOURCE_BOUNDS.namespace, pattern: DNS_LABEL_PATTERN }),
        { minItems: 1, maxItems: MAX_CRITERIA },
      ),
      rules: list(
        "Alert rules whose alerts are silenced: the Falco rule (event.labels.rule) of a Falco alert, the alert name (event.labels.alertname) of an Alertmanager alert; compared exactly. A CloudEvent with neither label matches no suppression that lists rules.",
        string("A Falco rule or Alertmanager alert name.", { minLength: 1, maxLength: MAX_RULE_LENGTH }),
        { minItems: 1, maxItems: MAX_CRITERIA },
      ),
      types: list(
        "CloudEvent types (event.type) whose alerts are silenced, such as falco.rule.output.v1; compared exactly.",
        string("A CloudEvent type.", { minLength: 1, maxLength: INCIDENT_EVENT_BOUNDS.type }),
        { minItems: 1, maxItems: MAX_CRITERIA },
      ),
      expiresAt: timestamp(
        `When the suppression stops silencing (RFC 3339): alerts from then on open Incidents again at once. Required, so that every suppression ends. ` +
          `At most ${String(MAX_SUPPRESSION_HOURS)}h after the suppression's creation: the admission policy ${TenancyPolicy.SuppressionAuthor} (config/admission) refuses a later time, ` +
          `and the operator ignores a suppression whose expiresAt lies further after its creation than --suppression-max-duration (Ready False, reason ExpiryTooFar). ` +
          `To silence for longer, create a new suppression when this one ends. Setting a past time ends the suppression now.`,
      ),
      reason: string("Why these alerts are silenced, for the people who will miss them: a ticket, a maintenance window, a known false positive.", {
        minLength: 1,
        maxLength: 1024,
      }),
      createdBy: string(
        `Who created the suppression, as a user name (kubectl auth whoami). With the admission policy ${TenancyPolicy.SuppressionAuthor} (config/admission) it must be the creating user's own name, as the API server knows it; it never changes after creation.`,
        { minLength: 1, maxLength: 256, rules: [{ rule: "self == oldSelf", message: "createdBy is immutable: it records who created the suppression" }] },
      ),
    },
    {
      required: ["expiresAt", "reason", "createdBy"],
      typeName: "AlertSuppressionSpec",
      rules: [
        {
          rule: "has(self.match) || has(self.namespaces) || has(self.rules) || has(self.types)",
          message: "at least one of match, namespaces, rules or types is required: an empty suppression would silence every alert (write match: 'true' to mean that)",
          reason: "FieldValueRequired",
        },
      ],
    },
  );
}

function sample(): Schema {
  return object(
    "One silenced alert: what identifies it, as intake stored it after redaction, never its data.",
    {
      time: timestamp("When intake silenced the alert."),
      type: string("CloudEvent type of the alert.", { maxLength: INCIDENT_EVENT_BOUNDS.type }),
      source: string("CloudEvent source of the alert.", { maxLength: INCIDENT_EVENT_BOUNDS.source }),
      title: string("Title of the alert, redacted and bounded as an Incident's title is.", { maxLength: MAX_TITLE_LENGTH }),
      rule: string("Falco rule or Alertmanager alert name of the alert, when it has one.", { maxLength: MAX_RULE_LENGTH }),
      namespace: string("Affected namespace of the alert, when it names one.", { maxLength: AFFECTED_RESOURCE_BOUNDS.namespace }),
      severity: severity("Severity of the alert."),
    },
    { required: ["time", "type", "source", "title", "severity"], typeName: "SuppressedAlert" },
  );
}

function suppressionStatus(): Schema {
  return object(
    "What the operator observed: whether the suppression silences alerts now, and what it silenced.",
    {
      conditions: conditions(),
      observedGeneration: observedGeneration(),
      matchedCount: integer(
        "Alerts this suppression silenced since it was created, counted by every replica of intake and added here every few seconds (so it lags the alerts by up to that long).",
        { minimum: 0 },
      ),
      lastMatchedTime: timestamp("When intake last silenced an alert with this suppression."),
      samples: list(
        `The latest alerts silenced, oldest first, at most ${String(MAX_SUPPRESSION_SAMPLES)}: enough to see whether the suppression silences more than was meant.`,
        sample(),
        { maxItems: MAX_SUPPRESSION_SAMPLES },
      ),
    },
    { typeName: "AlertSuppressionStatus" },
  );
}

/** The AlertSuppression kind: a bounded silence of known noise. */
export const alertSuppressionKind: KindSchema = {
  kind: Kind.AlertSuppression,
  plural: Plural.AlertSuppression,
  singular: "alertsuppression",
  shortNames: ["sup", "silence"],
  categories: ["soar"],
  description:
    "An AlertSuppression silences alerts that are known noise until it expires: a matching alert opens or updates no Incident and runs no Playbook. " +
    "It is acknowledged and counted, never lost: the count and the latest silenced alerts are in status, so a suppression that silences too much shows it. " +
    "Alertmanager users know this as a silence.",
  spec: suppressionSpec(),
  status: suppressionStatus(),
  printerColumns: [
    {
      name: "Active",
      type: "string",
      jsonPath: '.status.conditions[?(@.type=="Ready")].status',
      description: "Whether the suppression silences alerts now (False once expired, or when its spec is unusable).",
    },
    // A string, not a date: kubectl prints a future date as <invalid>.
    { name: "Expires", type: "string", jsonPath: ".spec.expiresAt", description: "When the suppression stops silencing." },
    { name: "Matched", type: "integer", jsonPath: ".status.matchedCount", description: "Alerts silenced so far." },
    { name: "Reason", type: "string", jsonPath: ".spec.reason", description: "Why the alerts are silenced." },
    { name: "Created-By", type: "string", jsonPath: ".spec.createdBy", description: "Who created the suppression.", priority: 1 },
    { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp", description: "Time since creation." },
  ],
};
