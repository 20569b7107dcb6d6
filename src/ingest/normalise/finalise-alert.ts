import type { Observable } from "../../api/v1alpha1/index.ts";
import type { Alert } from "../alert.ts";
import type { NormalisedAlert } from "./normalised-alert.ts";
import { boundEventData } from "./bound-event-data.ts";
import { redactSecrets } from "../../redaction/free-text.ts";
import { redact, type RedactionPolicy } from "./redaction.ts";
import { sanitiseTitle } from "./title.ts";

/** How an alert is protected before anything stores or logs it. */
export interface ProtectionOptions {
  readonly redaction: RedactionPolicy;
  /** Bound on the JSON of `data`, in bytes. */
  readonly maxDataBytes: number;
}

/**
 * Turns a normalised alert into the stored form: data redacted then bounded (`dataTruncated` says
 * whether it was cut; absent data becomes `null`); labels and extensions redacted by the key
 * and value patterns (the policy's paths point into the data); the title
 * redacted, then stripped of unsafe characters and cut to 256; observables that redaction
 * would alter dropped. Identity attributes (id, source, type, subject) and the fingerprint are
 * kept as they are: they identify the event and never carry its payload.
 */
export function finaliseAlert(alert: NormalisedAlert, options: ProtectionOptions): Alert {
  const { titleText, data, labels, extensions, observables, ...identity } = alert;
  const bounded = boundEventData(redact(data, options.redaction), options.maxDataBytes);
  return {
    ...identity,
    title: sanitiseTitle(redactSecrets(titleText), alert.type),
    labels: redactStrings(labels, options.redaction),
    extensions: redactStrings(extensions, options.redaction),
    observables: observables.filter((observable: Observable) => redactSecrets(observable.value) === observable.value),
    data: bounded.data ?? null,
    dataTruncated: bounded.truncated,
  };
}

const patternsOnly = new WeakMap<RedactionPolicy, RedactionPolicy>();

/** Labels and extensions get the key and value patterns; the policy's paths point into event data only. */
function redactStrings(values: Readonly<Record<string, string>>, policy: RedactionPolicy): Readonly<Record<string, string>> {
  let withoutPaths = patternsOnly.get(policy);
  if (withoutPaths === undefined) {
    withoutPaths = { ...policy, paths: [] };
    patternsOnly.set(policy, withoutPaths);
  }
  return redact(values, withoutPaths) as Readonly<Record<string, string>>;
}
