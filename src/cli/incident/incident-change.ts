import type { JsonPatchOperation } from "../incident-api.ts";

/** What a command does to the Incident it read: write a JSON patch, or nothing because it is already so. */
export type IncidentChange =
  | { readonly kind: "write"; readonly operations: readonly JsonPatchOperation[]; /** Said once written, e.g. `acknowledged`. */ readonly done: string }
  | { readonly kind: "unchanged"; /** Why nothing was written, e.g. `unchanged (already Acknowledged)`. */ readonly message: string };
