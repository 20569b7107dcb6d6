/**
 * The leader-elected controllers: Playbook (compile, validate, Ready), Connector (Secrets
 * resolve, Ready), AlertSuppression (active or expired, Ready), Incident (triage, observe,
 * plan with guards, execute, revert, close) and ThreatFeed (status from the replica's loader).
 * Each factory takes everything by injection and returns a controller to start under leadership;
 * `buildControllers` is the operator's one wiring of them. The ThreatFeed loader runs in every
 * replica, outside leadership.
 */
export { buildControllers, type OperatorControllers, type OperatorControllersOptions } from "./operator-controllers.ts";
export { createIncidentController, INCIDENT_CONTROLLER, type IncidentControllerOptions } from "./incident/incident-controller.ts";
export type { SideEffectRef, StepHooks } from "./incident/execute.ts";
export { createPlaybookController, PLAYBOOK_CONTROLLER, type PlaybookControllerOptions } from "./playbook/playbook-controller.ts";
export type { ManagedController } from "./managed-controller.ts";
export type { LifecycleEventSink } from "./lifecycle-events/lifecycle-event-sink.ts";
export { lifecyclePublisherFor, NatsLifecyclePublisher } from "./lifecycle-events/nats-lifecycle-publisher.ts";
export { CONNECTOR_CONTROLLER, createConnectorController, type ConnectorControllerOptions } from "./connector/connector-controller.ts";
export { createSuppressionController, SUPPRESSION_CONTROLLER, type SuppressionControllerOptions } from "./alert-suppression/suppression-controller.ts";
export * from "./threat-feed/index.ts";
