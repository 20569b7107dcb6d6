import { alertSuppressionKind } from "./alert-suppression.ts";
import { connectorKind } from "./connector.ts";
import { incidentKind } from "./incident.ts";
import type { KindSchema } from "./kind.ts";
import { playbookKind } from "./playbook.ts";
import { threatFeedKind } from "./threat-feed.ts";

export type { Schema, ValidationRule } from "./builders.ts";
export { GENERATOR_ONLY_KEYS } from "./builders.ts";
export type { KindSchema, PrinterColumn } from "./kind.ts";
export { crdName, rootSchema } from "./kind.ts";

/** Every kind of soar.kube-soar.io/v1alpha1, in the order CRDs and types are generated. */
export const KINDS: readonly KindSchema[] = [playbookKind, incidentKind, connectorKind, alertSuppressionKind, threatFeedKind];
