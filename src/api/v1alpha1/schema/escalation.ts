import { MAX_MESSAGE_LENGTH } from "../bounds.ts";
import { ESCALATION_OUTCOMES } from "../constants.ts";
import type { Schema } from "./builders.ts";
import { enumeration, integer, list, object, string, timestamp } from "./builders.ts";
import { duration, objectName, severity, template } from "./common.ts";
import { rawMarkup } from "./playbook-step.ts";

/** Most levels an escalation has, and so most escalations an Incident records. */
export const MAX_ESCALATION_LEVELS = 3;

/** Longest escalation message template. */
const MAX_ESCALATION_MESSAGE_LENGTH = 2048;

/** What "acknowledged" means, the same words in every description that needs them. */
const ACKNOWLEDGED = "acknowledged (spec.state Acknowledged, Resolved or Closed, or spec.assignee set)";

function escalationLevel(): Schema {
  return object(
    "One level of the escalation: when it falls due and which Connector is called then.",
    {
      after: duration(
        `How long after the Incident was opened (its metadata.creationTimestamp) this level fires when the Incident is not ${ACKNOWLEDGED} by then. Measured from the opening, not from the previous level, so each level's after must be longer than the previous one's.`,
      ),
      connector: objectName(
        "Name of the Connector called, in the playbook's namespace. A pagerduty Connector triggers an alert whose summary is the message (dedup key: the Incident); a slack Connector posts the message; an http or webhook Connector receives {message, incident}. The call uses the Connector's retries and carries the Idempotency-Key <Incident uid>/escalation/<level>.",
      ),
      message: template(
        "The message; may embed `${{ }}` templates over event and incident (as in steps, without steps). Absent sends `Incident <namespace>/<name> (<severity>) not acknowledged after <after>: <title>`. A Connector whose messages are markup (slack) receives the inserted values escaped (see rawMarkup).",
        MAX_ESCALATION_MESSAGE_LENGTH,
      ),
      rawMarkup: rawMarkup(),
    },
    { required: ["after", "connector"], typeName: "PlaybookEscalationLevel" },
  );
}

/** A Playbook's `spec.escalation`: who is told when nobody acknowledges an Incident it matched. */
export function playbookEscalation(): Schema {
  return object(
    `Who is told when nobody acknowledges an Incident this playbook matched: each level calls its Connector once, when the Incident has been open for the level's after without being ${ACKNOWLEDGED}. Levels already due fire in order, a level never fires twice (status.escalations records each one before its call), and no further level fires once someone acknowledges. The escalation applies while the playbook is Ready and not suspended, to the playbook's Incidents whatever their runs did, and follows edits of the playbook at once; it is rendered but not sent when the playbook or the operator is in dry run, and not started while the operator is paused. When an Incident matched several playbooks whose escalation applies to its severity, the one whose first level comes soonest is used (on a tie, the playbook whose name sorts first).`,
    {
      severities: list(
        "Severities of the Incidents this escalation applies to; absent applies to every severity.",
        severity("A severity the escalation applies to."),
        { minItems: 1, maxItems: 5, listType: "set" },
      ),
      levels: list(
        `The levels, in order: level 1 first. Each level's after must be longer than the previous one's.`,
        escalationLevel(),
        { minItems: 1, maxItems: MAX_ESCALATION_LEVELS },
      ),
    },
    { required: ["levels"], typeName: "PlaybookEscalation" },
  );
}

/** An Incident's `status.escalations`: one entry per escalation level that fell due. */
export function incidentEscalations(): Schema {
  const entry = object(
    "One escalation level that fell due: recorded before its Connector is called, then its outcome. A recorded level never fires again.",
    {
      level: integer("The level, 1 for the first.", { minimum: 1, maximum: MAX_ESCALATION_LEVELS, format: "int32" }),
      playbook: objectName("The playbook whose escalation the level belongs to."),
      connector: objectName("The Connector called."),
      id: string("Deterministic id of the call, also its Idempotency-Key: the Incident's uid, escalation, and the level.", {
        minLength: 1,
        maxLength: 128,
      }),
      at: timestamp("When the level fell due and was recorded, before its call."),
      outcome: enumeration(
        "Pending until the call ends; Sent or Failed then; Unknown when the operator stopped between recording the level and its answer (the level is not sent again, whether or not the call happened); Cancelled when the Incident was acknowledged before the call; DryRun when the message was rendered and nothing was sent.",
        ESCALATION_OUTCOMES,
        { typeName: "EscalationOutcome", typeDescription: "Outcomes of an escalation level." },
      ),
      finishedAt: timestamp("When the outcome was recorded."),
      reason: string("Why the call failed, in CamelCase (a Connector call failure reason).", {
        minLength: 1,
        maxLength: 128,
        pattern: "^[A-Z][A-Za-z0-9]*$",
      }),
      message: string("Human readable detail of the outcome.", { maxLength: MAX_MESSAGE_LENGTH }),
    },
    { required: ["level", "playbook", "connector", "id", "at", "outcome"], typeName: "IncidentEscalation" },
  );
  return list("The escalation levels that fell due, by level; each one is also in the timeline once it has an outcome.", entry, {
    maxItems: MAX_ESCALATION_LEVELS,
    listType: "map",
    mapKeys: ["level"],
  });
}
