/**
 * The leader-elected controllers: Playbook (compile, validate, Ready) and Incident (triage,
 * observe, plan, execute, close). Each factory takes everything by injection and returns a
 * controller to start under leadership.
 */
export { createIncidentController, INCIDENT_CONTROLLER, type IncidentControllerOptions } from "./incident/incident-controller.ts";
export type { SideEffectRef, StepHooks } from "./incident/execute.ts";
export { createPlaybookController, PLAYBOOK_CONTROLLER, type PlaybookControllerOptions } from "./playbook/playbook-controller.ts";
export type { ManagedController } from "./managed-controller.ts";
