/**
 * A problem found in a Playbook spec, located by the JSON path of the offending field
 * (`spec.steps[2].when`) so that a status message can point the author at it.
 */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** Formats an error as `field: message`, the shape used in condition messages and Events. */
export function formatFieldError(error: FieldError): string {
  return `${error.field}: ${error.message}`;
}
