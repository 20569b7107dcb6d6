import { createHash } from "node:crypto";
import type { Alert } from "./alert.ts";

const MAX_NAME_LENGTH = 63;
const HASH_LENGTH = 10;
const DEFAULT_PREFIX = "incident";
const HEX_FINGERPRINT = /^[0-9a-f]{10,}$/;

/**
 * A Kubernetes object name for the Incident of a fingerprint: `<prefix>-<10 hex digits>`,
 * e.g. `falco-terminal-shell-in-container-3f9a0c12de`. The prefix is slugified (lower case,
 * runs of other characters become `-`) and cut so the whole name is a valid DNS-1123 label
 * (at most 63 characters), hence also a valid subdomain and label value. The same fingerprint
 * and prefix always give the same name; an empty prefix gives `incident-<hash>`.
 */
export function incidentNameFor(fingerprint: string, prefix: string = DEFAULT_PREFIX): string {
  const hash = HEX_FINGERPRINT.test(fingerprint) ? fingerprint.slice(0, HASH_LENGTH) : createHash("sha256").update(fingerprint).digest("hex").slice(0, HASH_LENGTH);
  const slug = slugify(prefix).slice(0, MAX_NAME_LENGTH - HASH_LENGTH - 1).replace(/-+$/, "");
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
