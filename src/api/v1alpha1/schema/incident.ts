import { ALERT_SOURCE_KINDS, ALERT_STATUSES, INCIDENT_PHASES, INCIDENT_STATES, Kind, OBSERVABLE_TYPES, Plural, TIMELINE_ENTRY_TYPES } from "../constants.ts";
import { AFFECTED_RESOURCE_BOUNDS, INCIDENT_EVENT_BOUNDS, MAX_MESSAGE_LENGTH, MAX_OBSERVABLE_VALUE_LENGTH, MAX_TITLE_LENGTH } from "../bounds.ts";
import type { Schema } from "./builders.ts";
import { boolean, enumeration, freeform, integer, list, object, string, timestamp } from "./builders.ts";
import { conditions, objectName, observedGeneration, severity, stepName } from "./common.ts";
import { COUNTED_EVENT_KEY_LENGTH } from "../counted-events.ts";
import type { KindSchema } from "./kind.ts";
import { approvalDecision, playbookRun } from "./playbook-run.ts";
import { MAX_STEPS } from "./playbook-step.ts";
import { IncidentEventType, UPDATED_EVENT_MIN_INTERVAL_MS } from "../incident-events.ts";

/** Most playbooks one Incident may run. */
const MAX_PLAYBOOKS = 16;

/** Most entries of an Incident's timeline; older entries are dropped first. */
export const MAX_TIMELINE_ENTRIES = 100;

/** Most event hashes an Incident lists as its latest events. */
export const MAX_RECENT_EVENTS = 64;

/**
 * Most distinct events one Incident counts (and remembers in `countedEvents`, 8 characters
 * each: 80,000 characters at the bound); the next distinct event opens the next Incident.
 */
export const MAX_COUNTED_EVENTS = 10_000;

/** Most indicators an Incident keeps. */
export const MAX_OBSERVABLES = 64;

function approval(): Schema {
  return object(
    "A person's decision on an approval step.",
    {
      playbook: objectName("Playbook of the approval step."),
      step: stepName("Name of the approval step."),
      decision: approvalDecision("approve lets the run continue; reject fails the step."),
      by: string("Who decided, as a user name.", { minLength: 1, maxLength: 256 }),
      at: timestamp("When the decision was made."),
      reason: string("Why, for the audit trail.", { maxLength: 1024 }),
    },
    { required: ["playbook", "step", "decision", "by"], typeName: "IncidentApproval" },
  );
}

function alertSource(): Schema {
  return object(
    "The producer of the alert.",
    {
      kind: enumeration("Which kind of producer raised the alert; manual for an Incident declared by a person.", ALERT_SOURCE_KINDS, {
        typeName: "AlertSourceKind",
        typeDescription: "Producers an Incident may come from.",
      }),
    },
    { required: ["kind"], typeName: "AlertSource" },
  );
}

function event(): Schema {
  return object(
    "The first event of the Incident, bounded and redacted at intake. Its content comes from the alert producer and is untrusted.",
    {
      id: string("CloudEvent id.", { maxLength: INCIDENT_EVENT_BOUNDS.id }),
      source: string("CloudEvent source.", { maxLength: INCIDENT_EVENT_BOUNDS.source }),
      type: string("CloudEvent type.", { maxLength: INCIDENT_EVENT_BOUNDS.type }),
      subject: string("CloudEvent subject.", { maxLength: INCIDENT_EVENT_BOUNDS.subject }),
      time: timestamp("When the event occurred, as its producer reports it."),
      data: freeform("The event payload after redaction; large payloads are truncated."),
      truncated: boolean("Whether data was truncated to fit."),
    },
    { typeName: "IncidentEvent" },
  );
}

function affectedResources(): Schema {
  return object(
    "The Kubernetes objects the alert is about; action steps default their target to these.",
    {
      namespace: string("Namespace of the affected objects.", { maxLength: AFFECTED_RESOURCE_BOUNDS.namespace }),
      pod: string("Name of the affected Pod.", { maxLength: AFFECTED_RESOURCE_BOUNDS.pod }),
      container: string("Name of the affected container.", { maxLength: AFFECTED_RESOURCE_BOUNDS.container }),
      node: string("Name of the Node the Pod runs on.", { maxLength: AFFECTED_RESOURCE_BOUNDS.node }),
      image: string("Image of the affected container.", { maxLength: AFFECTED_RESOURCE_BOUNDS.image }),
      workload: string("Owning workload as <Kind>/<name>, such as Deployment/web.", { maxLength: AFFECTED_RESOURCE_BOUNDS.workload }),
    },
    { typeName: "AffectedResources" },
  );
}

function observable(): Schema {
  return object(
    "An indicator such as an IP address or a file hash.",
    {
      type: enumeration("Kind of indicator.", OBSERVABLE_TYPES, {
        typeName: "ObservableType",
        typeDescription: "Kinds of indicator.",
      }),
      value: string("The indicator.", { minLength: 1, maxLength: MAX_OBSERVABLE_VALUE_LENGTH }),
    },
    { required: ["type", "value"], typeName: "Observable" },
  );
}

function opening(): Schema {
  return object(
    "The occurrence that opened the Incident, as intake received it. Intake creates an Incident in one write (the API server drops status on create): until status.occurrences is written, this is the Incident's only occurrence, and the controller's first status write copies it into status.",
    {
      receivedAt: timestamp("When kube-soar received the opening event."),
      eventKey: string("Hash of the opening event's source and id, as kept in status.recentEvents.", { minLength: 1, maxLength: 128 }),
      observables: list("Indicators extracted from the opening event.", observable(), { maxItems: MAX_OBSERVABLES }),
    },
    { required: ["receivedAt", "eventKey"], typeName: "IncidentOpening" },
  );
}

function incidentSpec(): Schema {
  return object(
    "What humans may change (state, assignee, approvals, revert) and what intake pinned when it opened the Incident.",
    {
      state: enumeration(
        "Lifecycle state set by people: Open, Acknowledged, Resolved (undo reversible actions when revert is set) or Closed.",
        INCIDENT_STATES,
        { default: "Open", typeName: "IncidentState", typeDescription: "Lifecycle states of an Incident." },
      ),
      assignee: string("Who handles the Incident.", { maxLength: 256 }),
      revert: boolean("Undo the reversible actions taken (un-isolate, uncordon, scale back) when the Incident is resolved."),
      approvals: list("Decisions on approval steps, appended by approvers.", approval(), { maxItems: 64 }),
      severity: severity("Severity of the alert, normalised at intake."),
      title: string("One-line summary of the alert.", { minLength: 1, maxLength: MAX_TITLE_LENGTH }),
      fingerprint: string("Deduplication key: events with this fingerprint fold into this Incident. Immutable.", {
        minLength: 1,
        maxLength: 128,
        pattern: "^[A-Za-z0-9._:-]+$",
        rules: [{ rule: "self == oldSelf", message: "fingerprint is immutable" }],
      }),
      source: alertSource(),
      event: event(),
      resources: affectedResources(),
      opening: opening(),
      playbooks: list(
        "Playbooks, in the Incident's namespace, whose trigger matched.",
        objectName("Name of a Playbook."),
        { maxItems: MAX_PLAYBOOKS, listType: "set" },
      ),
    },
    { required: ["severity", "title", "fingerprint", "source"], typeName: "IncidentSpec" },
  );
}

function timelineEntry(): Schema {
  return object(
    "Something that happened to the Incident.",
    {
      time: timestamp("When it happened."),
      type: enumeration("Normal, or Warning for failures.", TIMELINE_ENTRY_TYPES, {
        typeName: "TimelineEntryType",
        typeDescription: "Types of timeline entry.",
      }),
      reason: string("What happened, in CamelCase.", { minLength: 1, maxLength: 128, pattern: "^[A-Z][A-Za-z0-9]*$" }),
      message: string("Human readable detail.", { maxLength: MAX_MESSAGE_LENGTH }),
      playbook: objectName("Playbook concerned, if any."),
      step: stepName("Step concerned, if any."),
    },
    { required: ["time", "type", "reason"], typeName: "TimelineEntry" },
  );
}

function publishedLifecycle(): Schema {
  return object(
    "The lifecycle CloudEvents the operator published on NATS about this Incident (--nats-incident-events-prefix). Each transition is published first and recorded here by the status write that follows; it is published again, with the same event id, only when that write did not happen.",
    {
      opened: boolean(`Whether ${IncidentEventType.Opened} was published.`),
      occurrences: integer("Occurrences announced by the latest opened or updated event.", { minimum: 0 }),
      severity: severity("Highest severity announced by an opened or updated event."),
      updatedAt: timestamp(
        `When the latest ${IncidentEventType.Updated} was published; the next one comes at least ${String(UPDATED_EVENT_MIN_INTERVAL_MS / 1000)} s later.`,
      ),
      closedState: enumeration(
        "The state of the latest resolved or closed event; cleared when the Incident leaves that state (reopened, or moved back from Closed to Resolved).",
        ["Resolved", "Closed"],
      ),
      reopenings: integer("Times the Incident left an announced Resolved or Closed state; numbers the ids of its later resolved and closed events.", { minimum: 0 }),
      escalations: integer(`Escalation levels announced by ${IncidentEventType.Escalated} events.`, { minimum: 0 }),
      runs: list(
        `The steps, by playbook run, whose ${IncidentEventType.StepFinished} was published.`,
        object(
          "The announced steps of one playbook run.",
          {
            name: objectName("Name of the Playbook."),
            steps: list("Names of the steps whose final phase was published.", stepName("Name of a step."), { maxItems: MAX_STEPS, listType: "set" }),
          },
          { required: ["name"], typeName: "PublishedRun" },
        ),
        { maxItems: MAX_PLAYBOOKS, listType: "map", mapKeys: ["name"] },
      ),
    },
    { typeName: "PublishedLifecycle" },
  );
}

function incidentStatus(): Schema {
  return object(
    "What the automation did and observed.",
    {
      phase: enumeration("What the automation is doing.", INCIDENT_PHASES, {
        typeName: "IncidentPhase",
        typeDescription: "Phases of an Incident's automation.",
      }),
      occurrences: integer("Distinct events folded into this Incident.", { minimum: 0 }),
      firstSeen: timestamp("When the first event occurred."),
      lastSeen: timestamp("When the latest event occurred."),
      recentEvents: list(
        "Hashes of the source and id of the latest events, newest last.",
        string("Hash of an event's source and id.", { minLength: 1, maxLength: 128 }),
        { maxItems: MAX_RECENT_EVENTS },
      ),
      countedEvents: string(
        "Every event this Incident counted, in order: 48 bits of the hash of its source and id per event, as 8 base64url characters, so a redelivered or repeated event is never counted twice.",
        { maxLength: MAX_COUNTED_EVENTS * COUNTED_EVENT_KEY_LENGTH, pattern: "^[A-Za-z0-9_-]*$" },
      ),
      alertStatus: enumeration("Whether the alert still fires, as its producer last reported.", ALERT_STATUSES, {
        typeName: "AlertStatus",
        typeDescription: "Whether an alert fires.",
      }),
      resolvedAlertAt: timestamp("When the producer reported the alert resolved; cleared when it fires again."),
      observables: list("Indicators extracted from the events.", observable(), { maxItems: MAX_OBSERVABLES }),
      playbooks: list("Runs of the matched playbooks.", playbookRun(), {
        maxItems: MAX_PLAYBOOKS,
        listType: "map",
        mapKeys: ["name"],
      }),
      timeline: list("What happened, oldest first; the oldest entries are dropped beyond the bound.", timelineEntry(), {
        maxItems: MAX_TIMELINE_ENTRIES,
      }),
      respondedAt: timestamp("When the first response step started."),
      resolvedAt: timestamp("When the Incident was resolved."),
      published: publishedLifecycle(),
      conditions: conditions(),
      observedGeneration: observedGeneration(),
    },
    { typeName: "IncidentStatus" },
  );
}

/** The Incident kind: deduplicated alerts and the automated response to them. */
export const incidentKind: KindSchema = {
  kind: Kind.Incident,
  plural: Plural.Incident,
  singular: "incident",
  shortNames: ["inc"],
  categories: ["soar"],
  description:
    "An Incident tracks one deduplicated security alert, the playbooks that respond to it, and the humans who handle it.",
  spec: incidentSpec(),
  status: incidentStatus(),
  printerColumns: [
    { name: "Severity", type: "string", jsonPath: ".spec.severity", description: "Severity of the alert." },
    { name: "Phase", type: "string", jsonPath: ".status.phase", description: "What the automation is doing." },
    { name: "State", type: "string", jsonPath: ".spec.state", description: "Lifecycle state set by people." },
    { name: "Occurrences", type: "integer", jsonPath: ".status.occurrences", description: "Events folded in." },
    { name: "Title", type: "string", jsonPath: ".spec.title", description: "Summary of the alert.", priority: 1 },
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
