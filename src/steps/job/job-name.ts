import { createHash } from "node:crypto";

/** Longest Job name: the Job controller copies it into a label value on every pod it creates. */
export const MAX_JOB_NAME_LENGTH = 63;

const hashLength = 8;
const labelHashLength = 10;

/** What a step attempt's Job name is derived from. */
export interface JobNameParts {
  readonly incident: string;
  /** The Incident's uid: a recreated Incident of the same name gets other Job names. */
  readonly incidentUid: string;
  readonly playbook: string;
  readonly step: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
}

function toLabelChars(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9-]+/g, "-");
}

function trimDashes(text: string): string {
  return text.replace(/^-+/, "").replace(/-+$/, "");
}

/**
 * The Job name of one step attempt: `<incident>-<step>-<attempt>-<hash>`, where the hash covers
 * incident name and uid, playbook, step and attempt. Deterministic (the same parts always give the same
 * name, so a restarted operator finds the Job it may already have created), distinct for
 * distinct parts (two playbooks of one Incident may have steps of the same name), and a valid
 * DNS-1123 label of at most {@link MAX_JOB_NAME_LENGTH} characters: the incident part is
 * shortened when the whole would be longer.
 */
export function jobNameFor(parts: JobNameParts): string {
  const identity = JSON.stringify([parts.incident, parts.incidentUid, parts.playbook, parts.step, parts.attempt]);
  const hash = createHash("sha256").update(identity).digest("hex").slice(0, hashLength);
  const suffix = `${trimDashes(toLabelChars(parts.step))}-${parts.attempt}-${hash}`;
  const room = MAX_JOB_NAME_LENGTH - suffix.length - 1;
  const head = room > 0 ? trimDashes(trimDashes(toLabelChars(parts.incident)).slice(0, room)) : "";
  return trimDashes(head === "" ? suffix.slice(-MAX_JOB_NAME_LENGTH) : `${head}-${suffix}`);
}

/**
 * A label value (at most 63 characters of `[a-z0-9A-Z._-]`, alphanumeric at both ends) for a
 * name that may be longer: the name itself when it fits, otherwise a shortened name with a hash.
 * Used for labels that help humans filter; the code maps children back by ownerReference.
 */
export function labelValueFor(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[^A-Za-z0-9]+/, "").replace(/[^A-Za-z0-9]+$/, "");
  if (clean.length <= 63 && clean === name) return clean;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, labelHashLength);
  const head = clean.slice(0, 63 - labelHashLength - 1).replace(/[^A-Za-z0-9]+$/, "");
  return head === "" ? hash : `${head}-${hash}`;
}
