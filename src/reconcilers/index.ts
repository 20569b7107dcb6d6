/**
 * The leader-elected controllers: Playbook (compile, validate, Ready), Connector (Secrets
 * resolve, Ready), Incident (triage, observe, plan with guards, execute, revert, close) and
 * ThreatFeed (status from the replica's loader). Each factory takes everything by injection and
 * returns a controller to start under leadership; `buildControllers` is the operator's one wiring
 * of them. The ThreatFeed loader runs in every replica, outside leadership.
 */
export { buildControllers, type OperatorControllers, type OperatorControllersOptions } from "./operator-controllers.ts";
export { createIncidentController, INCIDENT_CONTROLLER, type IncidentControllerOptions } from "./incident/incident-controller.ts";
export type { SideEffectRef, StepHooks } from "./incident/execute.ts";
export { createPlaybookController, PLAYBOOK_CONTROLLER, type PlaybookControllerOptions } from "./playbook/playbook-controller.ts";
export type { ManagedController } from "./managed-controller.ts";
export { CONNECTOR_CONTROLLER, createConnectorController, type ConnectorControllerOptions } from "./connector/connector-controller.ts";
export * from "./threat-feed/index.ts";
