import { ConditionType } from "../../api/v1alpha1/constants.ts";
import type { Connector, ConnectorStatus } from "../../api/v1alpha1/types.generated.ts";
import type { ConnectorReadiness } from "../../connectors/index.ts";
import { mergeConditions } from "../conditions.ts";

/**
 * The status a Connector should have for a readiness verdict: `Ready` merged into its
 * conditions (its transition time kept while its status holds, other conditions kept) and
 * `observedGeneration` set to its generation. Pure.
 */
export function connectorStatus(connector: Connector, readiness: ConnectorReadiness, now: Date): ConnectorStatus {
  const current: ConnectorStatus = connector.status ?? {};
  const generation = connector.metadata.generation ?? 0;
  const ready = { type: ConditionType.Ready, status: readiness.ready ? "True" : "False", reason: readiness.reason, message: readiness.message } as const;
  return { ...current, conditions: mergeConditions(current.conditions, [ready], generation, now), observedGeneration: generation };
}
