import { APPROVAL_DECISIONS } from "../constants.ts";
import { actionStep } from "./action-step.ts";
import type { Schema } from "./builders.ts";
import { boolean, enumeration, integer, intOrString, list, map, object, string } from "./builders.ts";
import {
  QUANTITY_PATTERN,
  celExpression,
  duration,
  objectName,
  secretKeyRef,
  stepName,
  template,
  templateParams,
} from "./common.ts";

/** Most steps a Playbook may have. */
export const MAX_STEPS = 32;

function envVar(): Schema {
  return object(
    "An environment variable of the step's container.",
    {
      name: string("Name of the variable.", {
        minLength: 1,
        maxLength: 256,
        pattern: "^[-._a-zA-Z][-._a-zA-Z0-9]*$",
      }),
      value: template(
        "Value of the variable; may embed `${{ }}` templates. The rendered value is passed as is, never through a shell.",
        32768,
      ),
      valueFrom: object(
        "Source of the value when it is not given inline.",
        { secretKeyRef: secretKeyRef("The Secret key whose content becomes the value.") },
        { required: ["secretKeyRef"], typeName: "EnvVarSource" },
      ),
    },
    {
      required: ["name"],
      typeName: "EnvVar",
      rules: [
        {
          rule: "!(has(self.value) && has(self.valueFrom))",
          message: "value and valueFrom are mutually exclusive",
          reason: "FieldValueForbidden",
        },
      ],
    },
  );
}

function quantities(description: string): Schema {
  return map(
    description,
    intOrString("A resource quantity such as 500m, 128Mi or 2.", { pattern: QUANTITY_PATTERN }),
    { maxProperties: 8 },
  );
}

function jobStep(): Schema {
  return object(
    "Runs a container to completion as a Kubernetes Job owned by the Incident, with a deterministic name.",
    {
      image: string("Container image to run, preferably pinned by digest.", { minLength: 1, maxLength: 512 }),
      command: list(
        "Entrypoint of the container. Each item may embed `${{ }}` templates and is passed as one argument, never through a shell.",
        template("One element of the command."),
        { maxItems: 64 },
      ),
      args: list(
        "Arguments to the entrypoint. Each item may embed `${{ }}` templates and is passed as one argument, never through a shell.",
        template("One argument."),
        { maxItems: 64 },
      ),
      env: list("Environment variables of the container.", envVar(), { maxItems: 64 }),
      resources: object(
        "Compute resources of the container.",
        {
          requests: quantities("Minimum resources the container needs, by resource name (cpu, memory, ...)."),
          limits: quantities("Maximum resources the container may use, by resource name (cpu, memory, ...)."),
        },
        { typeName: "ResourceRequirements" },
      ),
      serviceAccountName: objectName(
        "ServiceAccount the Job's Pod runs as; defaults to the Playbook's serviceAccountName.",
      ),
      podAnnotations: map(
        "Annotations added to the Job's Pod.",
        string("Value of the annotation.", { maxLength: 4096 }),
        { maxProperties: 32 },
      ),
      ttlSecondsAfterFinished: integer(
        "Seconds after which the finished Job is deleted; absent keeps it until the Incident is deleted.",
        { minimum: 0, maximum: 604800, format: "int32" },
      ),
    },
    { required: ["image"], typeName: "JobStep" },
  );
}

/** The opt-out of escaping inserted values for a markup Connector, on connector and notify steps. */
export function rawMarkup(): Schema {
  return boolean(
    "Insert `${{ }}` values into the message of a Connector whose messages are markup (slack: mrkdwn) as they are, instead of escaped (`&`, `<`, `>` as `&amp;`, `&lt;`, `&gt;`). Alert text then becomes markup: it can notify everyone (`<!channel>`, `<!here>`, `<@U123>`) and show links whose label hides their target (`<https://attacker.example|Approve>`). Set it only when every inserted value is trusted markup. The Playbook's own text is sent as written either way.",
  );
}

function connectorStep(): Schema {
  return object(
    "Calls a Connector with a rendered body; the call carries an Idempotency-Key derived from the Incident, step and attempt.",
    {
      ref: objectName("Name of the Connector, in the Playbook's namespace."),
      body: template(
        "Template of the JSON request body; `${{ }}` values are inserted as JSON values. For a Connector whose messages are markup (slack), `&`, `<` and `>` in inserted values are escaped (see rawMarkup).",
        16384,
      ),
      params: templateParams("Parameters of the call, available to the connector type (for example PagerDuty's summary)."),
      rawMarkup: rawMarkup(),
    },
    { required: ["ref"], typeName: "ConnectorStep" },
  );
}

function approvalStep(): Schema {
  return object(
    "Waits for a person to approve or reject, recorded in the Incident's spec.approvals.",
    {
      message: template("What the approver is asked; may embed `${{ }}` templates.", 2048),
      timeout: duration("How long to wait for a decision; absent waits until one is made."),
      onTimeout: enumeration(
        "Decision taken when the timeout expires.",
        APPROVAL_DECISIONS,
        {
          default: "reject",
          typeName: "ApprovalDecision",
          typeDescription: "A decision on an approval step.",
        },
      ),
    },
    { typeName: "ApprovalStep" },
  );
}

function notifyStep(): Schema {
  return object(
    "Sends a message through a Connector.",
    {
      connector: objectName("Name of the Connector, in the Playbook's namespace."),
      message: template(
        "The message; may embed `${{ }}` templates. A Connector whose messages are markup (slack) receives the inserted values escaped, so alert text shows as text and cannot mention people or disguise links (see rawMarkup).",
      ),
      rawMarkup: rawMarkup(),
    },
    { required: ["connector", "message"], typeName: "NotifyStep" },
  );
}

function stepRetries(): Schema {
  return object(
    "How often a failed attempt is retried.",
    {
      limit: integer("Retries after the first attempt.", { minimum: 0, maximum: 10, format: "int32", default: 0 }),
      backoff: duration("Wait before the first retry; it doubles after each further failure.", "10s"),
    },
    { typeName: "StepRetries" },
  );
}

/** One step of a Playbook. */
export function playbookStep(): Schema {
  return object(
    "One step of the playbook. Exactly one of job, action, connector, approval or notify says what it does; the other fields say when and how.",
    {
      name: stepName(
        "Name of the step, unique within the playbook; other steps refer to it in needs and in templates as steps.<name>.outputs.",
      ),
      needs: list(
        "Steps that must finish successfully before this one starts; steps without needs start at once. The steps must not form a cycle.",
        stepName("Name of another step of this playbook."),
        { maxItems: MAX_STEPS - 1 },
      ),
      when: celExpression(
        "CEL condition over event, incident and steps; the step runs only when it is true and is Skipped otherwise.",
      ),
      timeout: duration("Longest time one attempt may take; the attempt then counts as TimedOut."),
      retries: stepRetries(),
      continueOnError: boolean(
        "Treat a failure of this step as success for the steps that need it and for the run's outcome.",
      ),
      safeToRetry: boolean(
        "Whether the step may run again when its outcome is unknown after a controller restart (the side effect may or may not have happened). Leave false for actions that must not happen twice.",
      ),
      job: jobStep(),
      action: actionStep(),
      connector: connectorStep(),
      approval: approvalStep(),
      notify: notifyStep(),
    },
    {
      required: ["name"],
      typeName: "PlaybookStep",
      rules: [
        {
          rule: "[has(self.job), has(self.action), has(self.connector), has(self.approval), has(self.notify)].filter(x, x).size() == 1",
          message: "exactly one of job, action, connector, approval or notify must be set",
        },
        {
          rule: "!has(self.needs) || !(self.name in self.needs)",
          message: "a step cannot need itself",
          fieldPath: ".needs",
        },
      ],
    },
  );
}

/** The steps of a Playbook: unique names, and every `needs` entry names one of them. */
export function playbookSteps(): Schema {
  return list(
    "The steps, run as a graph: a step starts when the steps it needs have succeeded. Names are unique.",
    playbookStep(),
    {
      minItems: 1,
      maxItems: MAX_STEPS,
      rules: [
        {
          rule: "self.all(s, self.exists_one(t, t.name == s.name))",
          // No FieldValueDuplicate reason: the apiserver would replace the message with "Duplicate value".
          message: "step names must be unique",
        },
        {
          rule: "self.all(s, !has(s.needs) || s.needs.all(n, self.exists(t, t.name == n)))",
          // A messageExpression naming the offending step costs too much for the apiserver's
          // estimate; the Playbook reconciler reports the exact entry.
          message: "every entry of needs must name a step of this playbook",
        },
      ],
    },
  );
}
