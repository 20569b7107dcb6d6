import { createHash } from "node:crypto";
import type { Alert } from "../alert.ts";

const HASH_LENGTH = 10;
const DEFAULT_PREFIX = "incident";
const HEX_FINGERPRINT = /^[0-9a-f]{10,}$/;

/** Longest Incident name: names are used as label values on the objects steps create. */
export const MAX_INCIDENT_NAME_LENGTH = 63;

/**
 * A Kubernetes object name for the Incident of a fingerprint: `<prefix>-<10 hex digits>`,
 * e.g. `falco-terminal-shell-in-container-3f9a0c12de`. The prefix is slugified (lower case,
 * runs of other characters become `-`) and cut so the whole name is a valid DNS-1123 label
 * (at most 63 characters), hence also a valid subdomain and label value. The same fingerprint
 * and prefix always give the same name; an empty prefix gives `incident-<hash>`.
 */
export function incidentNameFor(fingerprint: string, prefix: string = DEFAULT_PREFIX): string {
  const hash = HEX_FINGERPRINT.test(fingerprint) ? fingerprint.slice(0, HASH_LENGTH) : createHash("sha256").update(fingerprint).digest("hex").slice(0, HASH_LENGTH);
  const slug = slugify(prefix).slice(0, MAX_INCIDENT_NAME_LENGTH - HASH_LENGTH - 1).replace(/-+$/, "");
  return `${slug === "" ? DEFAULT_PREFIX : slug}-${hash}`;
}

/**
 * A readable prefix for an alert's Incident name: `falco-<rule>` for Falco,
 * `<alertname>` for Alertmanager, the event type for other CloudEvents.
 */
export function incidentNamePrefix(alert: Pick<Alert, "kind" | "labels" | "type">): string {
  switch (alert.kind) {
    case "falco":
      return `falco-${alert.labels["rule"] ?? ""}`;
    case "alertmanager":
      return alert.labels["alertname"] ?? "alertmanager";
    case "cloudevent":
      return alert.type;
  }
}

function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * The name of the `generation`-th Incident for one dedup identity: the base name for the first,
 * `<base>-<generation>` after that (the base shortened from the left part of its readable
 * prefix when needed, never losing its trailing hash segment). Every replica and every
 * redelivery derives the same sequence, so the chain is found again without shared state.
 */
export function generationName(baseName: string, generation: number): string {
  if (!Number.isSafeInteger(generation) || generation < 1) {
    throw new RangeError(`generation must be a positive integer, got ${String(generation)}`);
  }
  if (generation === 1) return baseName;
  const suffix = `-${String(generation)}`;
  const room = MAX_INCIDENT_NAME_LENGTH - suffix.length;
  if (baseName.length <= room) return `${baseName}${suffix}`;
  const lastDash = baseName.lastIndexOf("-");
  const hash = lastDash === -1 ? "" : baseName.slice(lastDash);
  if (hash.length > 0 && hash.length < room) {
    const prefix = baseName.slice(0, room - hash.length).replace(/-+$/, "");
    return `${prefix}${hash}${suffix}`.replace(/^-+/, "");
  }
  return `${baseName.slice(0, room).replace(/-+$/, "")}${suffix}`;
}
