import { APPROVAL_DECISIONS, PLAYBOOK_RUN_PHASES, STEP_PHASES } from "../constants.ts";
import { MAX_MESSAGE_LENGTH, MAX_OUTPUT_VALUE_LENGTH, MAX_OUTPUTS } from "../bounds.ts";
import type { Schema } from "./builders.ts";
import { boolean, enumeration, freeform, integer, list, map, object, string, timestamp } from "./builders.ts";
import { objectName, stepName } from "./common.ts";
import { MAX_STEPS } from "./playbook-step.ts";

/** A decision on an approval step, as a person takes it or the step records it. */
export function approvalDecision(description: string): Schema {
  return enumeration(description, APPROVAL_DECISIONS, {
    typeName: "ApprovalDecision",
    typeDescription: "A decision on an approval step.",
  });
}

function stepState(): Schema {
  return object(
    "Progress of one step of a playbook run.",
    {
      name: stepName("Name of the step."),
      phase: enumeration("Phase of the step.", STEP_PHASES, {
        typeName: "StepPhase",
        typeDescription: "Phases of a step of a playbook run.",
      }),
      attempts: integer("Attempts started so far.", { minimum: 0, format: "int32" }),
      startedAt: timestamp("When the first attempt started."),
      finishedAt: timestamp("When the step reached a final phase."),
      message: string("Human readable detail of the phase.", { maxLength: MAX_MESSAGE_LENGTH }),
      outputs: map(
        "Outputs of the step, available to later steps as steps.<name>.outputs.",
        string("Value of one output.", { maxLength: MAX_OUTPUT_VALUE_LENGTH }),
        { maxProperties: MAX_OUTPUTS },
      ),
      job: objectName("Name of the Job the step owns."),
      intent: object(
        "The side effect about to be attempted, recorded before it starts so that a restart knows it may have happened.",
        {
          attempt: integer("Attempt number, from 1.", { minimum: 1, format: "int32" }),
          id: string("Deterministic id of the attempt, also used as idempotency key and object name suffix.", {
            minLength: 1,
            maxLength: 128,
          }),
          at: timestamp("When the intent was recorded."),
        },
        { required: ["attempt", "id"], typeName: "StepIntent" },
      ),
      undo: freeform("How to revert the step's reversible action, written by the action that took it."),
      decision: object(
        "The decision taken on an approval step.",
        {
          decision: approvalDecision("The decision."),
          by: string("Who decided; absent when the timeout decided.", { maxLength: 256 }),
          at: timestamp("When the decision was taken."),
          timedOut: boolean("Whether the approval timeout made the decision."),
        },
        { required: ["decision"], typeName: "StepDecision" },
      ),
    },
    { required: ["name", "phase"], typeName: "StepState" },
  );
}

/** The progress of one run of a Playbook for an Incident, step by step: `status.playbooks[]`. */
export function playbookRun(): Schema {
  return object(
    "One run of a matched playbook for this Incident.",
    {
      name: objectName("Name of the Playbook."),
      generation: integer("The Playbook's metadata.generation the run is pinned to.", { minimum: 1 }),
      phase: enumeration("Phase of the run.", PLAYBOOK_RUN_PHASES, {
        typeName: "PlaybookRunPhase",
        typeDescription: "Phases of a playbook run.",
      }),
      startedAt: timestamp("When the run started."),
      finishedAt: timestamp("When the run reached a final phase."),
      dryRun: boolean("Whether the run only planned and touched nothing."),
      message: string("Human readable detail of the phase.", { maxLength: MAX_MESSAGE_LENGTH }),
      steps: list("Progress of each step.", stepState(), { maxItems: MAX_STEPS, listType: "map", mapKeys: ["name"] }),
    },
    { required: ["name", "phase"], typeName: "PlaybookRun" },
  );
}
