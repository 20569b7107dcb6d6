import type { Incident, IncidentSpec, IncidentState } from "../../api/v1alpha1/types.generated.ts";
import { CliFailure } from "../cli-errors.ts";
import type { JsonPatchOperation } from "../incident-api.ts";
import type { IncidentChange } from "./incident-change.ts";
import { labelOperations } from "./label-operations.ts";

/** What a person asks of an Incident's lifecycle: acknowledge, resolve (optionally undoing reversible actions) or close. */
export type StateRequest = { readonly to: "Acknowledged" } | { readonly to: "Resolved"; readonly revert: boolean } | { readonly to: "Closed" };

const ORDER: readonly IncidentState[] = ["Open", "Acknowledged", "Resolved", "Closed"];

const VERB: Readonly<Record<StateRequest["to"], string>> = { Acknowledged: "acknowledged", Resolved: "resolved", Closed: "closed" };

/**
 * The change `request` makes to `incident`: `spec.state` set (and `spec.revert` for a resolve
 * with revert) with a `test` of the state read, so a concurrent change makes the patch fail
 * and the decision is taken again, and the state label in the same write. Lifecycle moves
 * forward only (Open, Acknowledged, Resolved, Closed): asking for an earlier state is refused,
 * asking for the current one writes nothing (except a resolve that adds `--revert`). Pure.
 */
export function stateChange(incident: Incident, request: StateRequest): IncidentChange {
  const name = incident.metadata.name ?? "";
  const current = incident.spec.state ?? "Open";
  const revert = request.to === "Resolved" && request.revert && incident.spec.revert !== true;
  if (ORDER.indexOf(current) > ORDER.indexOf(request.to)) {
    throw new CliFailure(`Incident ${JSON.stringify(name)} is ${current}: it cannot become ${request.to} again (edit spec.state to reopen it)`);
  }
  if (current === request.to && !revert) return { kind: "unchanged", message: `unchanged (already ${current})` };
  const spec: IncidentSpec = { ...incident.spec, state: request.to, ...(revert ? { revert: true } : {}) };
  const operations: JsonPatchOperation[] = [
    { op: "test", path: "/spec/state", value: incident.spec.state ?? null },
    { op: "add", path: "/spec/state", value: request.to },
    ...(revert ? [{ op: "add" as const, path: "/spec/revert", value: true }] : []),
    ...labelOperations(incident, spec),
  ];
  return { kind: "write", operations, done: revert ? `${VERB[request.to]} (reversible actions will be undone)` : VERB[request.to] };
}

/** The change that makes `assignee` handle `incident` (nothing when it already does). Pure. */
export function assigneeChange(incident: Incident, assignee: string): IncidentChange {
  if (incident.spec.assignee === assignee) return { kind: "unchanged", message: `unchanged (already assigned to ${assignee})` };
  return { kind: "write", operations: [{ op: "add", path: "/spec/assignee", value: assignee }], done: `assigned to ${assignee}` };
}
