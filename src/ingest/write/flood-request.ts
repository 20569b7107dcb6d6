import { createHash } from "node:crypto";
import { boundText, MAX_TITLE_LENGTH } from "../../api/v1alpha1/bounds.ts";
import type { IntakeOptions } from "../../config/options.ts";
import { incidentNameFor } from "../identity/incident-name.ts";
import type { WriteRequest } from "./write-request.ts";

/** Readable prefix of the name of a source's flood Incident. */
export const SOURCE_FLOOD_PREFIX = "intake-flood";

/** Readable prefix of the name of the flood Incident of all sources. */
export const ALL_SOURCES_FLOOD_PREFIX = "intake-flood-all-sources";

/** The `spec.fingerprint` of the flood Incident of `source` (undefined: of all sources). */
export function floodFingerprint(source: string | undefined): string {
  return createHash("sha256")
    .update(source === undefined ? "creation-flood-all" : `creation-flood\u0000${source}`, "utf8")
    .digest("hex");
}

/**
 * Where an alert goes when the creation budget refused the Incident it needed: the flood
 * Incident of its source (`source`), or, when the budget refused that one too, the flood
 * Incident of all sources (`all`). A flood Incident lives in the default namespace, lists no
 * Playbook (nothing runs for it), names no resource, takes the severity and event of the alert
 * that opened it, and counts every alert folded into it (its status keeps the last event keys
 * and up to the schema's bound of observables). Its identity depends only on the source, so
 * every replica folds into the same one; like any Incident it takes events for one dedup window
 * after its last one, then the next generation opens. A source's flood Incident is budgeted
 * like any new Incident by the global bucket; the one of all sources never is, so a flood opens
 * at most the global budget plus one Incident per dedup window (and per `MAX_COUNTED_EVENTS`
 * alerts counted).
 */
export function floodRequest(request: WriteRequest, source: string, scope: "source" | "all", options: Pick<IntakeOptions, "defaultNamespace" | "dedupWindowMs">): WriteRequest {
  const fingerprint = floodFingerprint(scope === "all" ? undefined : source);
  const title = scope === "all" ? "Alert flood: alerts from any source over the new-Incident budget" : `Alert flood: alerts over the new-Incident budget from ${source}`;
  return {
    target: {
      namespace: options.defaultNamespace,
      baseName: incidentNameFor(fingerprint, scope === "all" ? ALL_SOURCES_FLOOD_PREFIX : SOURCE_FLOOD_PREFIX),
      fingerprint,
      windowMs: options.dedupWindowMs,
      playbooks: [],
    },
    spec: { ...request.spec, title: boundText(title, MAX_TITLE_LENGTH), resources: {} },
    fold: request.fold,
    ...(scope === "all" ? {} : { creation: { source, unmatched: false, flood: true } }),
  };
}
