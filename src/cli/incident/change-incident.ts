import { CliFailure } from "../cli-errors.ts";
import { IncidentChanged, type IncidentApi } from "../incident-api.ts";
import type { Incident } from "../../api/v1alpha1/types.generated.ts";
import type { IncidentChange } from "./incident-change.ts";

/** Reads and patches an Incident at most this often when it keeps changing under the patch. */
export const MAX_CHANGE_ATTEMPTS = 5;

/**
 * Reads Incident `name`, lets `decide` say what to write (or throw why not), and writes it as a
 * JSON patch whose `test`s hold it to what was read; when the Incident changed in between, reads
 * and decides again, up to {@link MAX_CHANGE_ATTEMPTS} times. Resolves with what was done, as
 * the change says it.
 */
export async function changeIncident(api: IncidentApi, target: { namespace: string; name: string; rbac: string }, decide: (incident: Incident) => IncidentChange): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const incident = await api.get(target.namespace, target.name);
    const change = decide(incident);
    if (change.kind === "unchanged") return change.message;
    try {
      await api.jsonPatch(target.namespace, target.name, change.operations, target.rbac);
      return change.done;
    } catch (error: unknown) {
      if (!(error instanceof IncidentChanged)) throw error;
      if (attempt >= MAX_CHANGE_ATTEMPTS) throw new CliFailure(`Incident ${JSON.stringify(target.name)} changed under each of ${String(MAX_CHANGE_ATTEMPTS)} attempts to write it; try again`);
    }
  }
}
