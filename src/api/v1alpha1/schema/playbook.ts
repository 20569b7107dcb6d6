import { MAX_MESSAGE_LENGTH, MAX_PLAYBOOK_WARNINGS } from "../bounds.ts";
import { Kind, Plural } from "../constants.ts";
import type { Schema } from "./builders.ts";
import { boolean, integer, list, object, string, timestamp } from "./builders.ts";
import { celExpression, conditions, duration, objectName, observedGeneration, severity } from "./common.ts";
import type { KindSchema } from "./kind.ts";
import { playbookEscalation } from "./escalation.ts";
import { playbookSteps } from "./playbook-step.ts";

function trigger(): Schema {
  return object(
    "Which events start this playbook. All given criteria must match; at least one of types, sources or when is required. " +
      "A playbook outside the operator's namespace (its --namespace flag) sees only events whose affected namespace " +
      "(event.resources.namespace) is its own; events about another namespace or about no namespace (a Node, the cluster) " +
      "reach only playbooks in the operator's namespace.",
    {
      types: list(
        "CloudEvent types that match, such as falco.rule.output.v1; compared exactly.",
        string("A CloudEvent type.", { minLength: 1, maxLength: 256 }),
        { minItems: 1, maxItems: 32 },
      ),
      sources: list(
        "CloudEvent sources that match; compared exactly.",
        string("A CloudEvent source (URI reference).", { minLength: 1, maxLength: 1024 }),
        { minItems: 1, maxItems: 32 },
      ),
      minSeverity: severity("Lowest severity that matches; absent matches every severity."),
      when: celExpression("CEL condition over event (the normalised event) that must be true for a match."),
    },
    {
      typeName: "Trigger",
      rules: [
        {
          rule: "has(self.types) || has(self.sources) || has(self.when)",
          message: "at least one of types, sources or when is required: an empty trigger would match every event",
          reason: "FieldValueRequired",
        },
      ],
    },
  );
}

function dedup(): Schema {
  return object(
    "How matching events fold into one open Incident instead of opening new ones.",
    {
      key: celExpression(
        "CEL expression over event giving the deduplication key; absent uses the fingerprint computed at intake.",
      ),
      window: duration("Events with the same key within this window fold into the same Incident.", "1h"),
    },
    { typeName: "Dedup" },
  );
}

function rateLimit(): Schema {
  return object(
    "At most `runs` runs start per `window`, counting the runs started for other Incidents (dry runs too). A further match opens its Incident but does not start the run: the run is Skipped with reason RateLimited and none of its steps runs.",
    {
      runs: integer("Runs allowed per window.", { minimum: 1, maximum: 10000, format: "int32" }),
      window: duration("Length of the window."),
    },
    { required: ["runs", "window"], typeName: "RateLimit" },
  );
}

function playbookSpec(): Schema {
  return object(
    "The desired behaviour: which events trigger the playbook and which steps respond.",
    {
      description: string("What the playbook responds to and how, for people.", { maxLength: 1024 }),
      trigger: trigger(),
      dedup: dedup(),
      steps: playbookSteps(),
      dryRun: boolean("Plan and render every step and record the result, but touch nothing."),
      suspend: boolean("Stop starting new runs and escalating its Incidents; running ones finish."),
      rateLimit: rateLimit(),
      maxActiveIncidents: integer(
        "Most active Incidents of this playbook at once: Incidents whose run of it started and has not finished, and that no person resolved or closed (dry runs count). While this many are active, a further match opens its Incident but does not start the run: the run is Skipped with reason TooManyActiveIncidents and none of its steps runs. The operator keeps the last share of the cap (--critical-reserve-percent, rounded down) for critical Incidents: one below critical is refused once the rest is taken.",
        { minimum: 1, maximum: 10000, format: "int32" },
      ),
      serviceAccountName: objectName("Default ServiceAccount for the Pods of job steps."),
      escalation: playbookEscalation(),
    },
    { required: ["trigger", "steps"], typeName: "PlaybookSpec" },
  );
}

function playbookStatus(): Schema {
  return object(
    "What the controller observed about the playbook.",
    {
      conditions: conditions(),
      observedGeneration: observedGeneration(),
      stepCount: integer("Number of steps of the observed generation.", { minimum: 0, format: "int32" }),
      activeIncidents: integer(
        "Active Incidents of this playbook, the count maxActiveIncidents caps: their run of it started and has not finished, and no person resolved or closed them.",
        { minimum: 0, format: "int32" },
      ),
      lastTriggeredAt: timestamp("When an event last matched this playbook."),
      warnings: list(
        "What the observed generation allows but is probably a mistake, each as `field: message` (for example a `${{ }}` value inside a job step's `sh -c` script, which the shell runs as code). Warnings never stop the playbook from being Ready or running; absent when there are none.",
        string("One warning: the field it concerns and what is wrong.", { maxLength: MAX_MESSAGE_LENGTH }),
        { maxItems: MAX_PLAYBOOK_WARNINGS },
      ),
    },
    { typeName: "PlaybookStatus" },
  );
}

/** The Playbook kind: an automated response declared as a graph of steps. */
export const playbookKind: KindSchema = {
  kind: Kind.Playbook,
  plural: Plural.Playbook,
  singular: "playbook",
  shortNames: ["pb"],
  categories: ["soar"],
  description:
    "A Playbook declares which security events it responds to and the steps of the response: Jobs, Kubernetes actions, connector calls, approvals and notifications.",
  spec: playbookSpec(),
  status: playbookStatus(),
  printerColumns: [
    {
      name: "Ready",
      type: "string",
      jsonPath: '.status.conditions[?(@.type=="Ready")].status',
      description: "Whether the playbook compiled and is active.",
    },
    { name: "Steps", type: "integer", jsonPath: ".status.stepCount", description: "Number of steps." },
    { name: "Active", type: "integer", jsonPath: ".status.activeIncidents", description: "Active Incidents: a run of the playbook started and not finished, not resolved or closed." },
    { name: "Last-Triggered", type: "date", jsonPath: ".status.lastTriggeredAt", description: "Time since an alert last matched the playbook.", priority: 1 },
    { name: "Suspended", type: "boolean", jsonPath: ".spec.suspend", description: "Whether new runs are stopped.", priority: 1 },
    { name: "Dry-Run", type: "boolean", jsonPath: ".spec.dryRun", description: "Whether runs touch nothing.", priority: 1 },
    { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp", description: "Time since creation." },
  ],
  rules: [
    {
      rule: "self.metadata.name.size() <= 63",
      message: "metadata.name must be at most 63 characters: it is used as a label value",
      fieldPath: ".metadata",
    },
  ],
};
