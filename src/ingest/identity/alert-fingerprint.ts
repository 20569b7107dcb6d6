import { createHash } from "node:crypto";
import { alertmanagerLabelsFingerprint } from "./alertmanager-fingerprint.ts";

/**
 * What identifies the condition an alert reports, per producer. It leaves out everything that
 * changes between two reports of the same condition: times, Falco's output text and uuid,
 * Alertmanager's annotations and status, CloudEvent ids and data.
 */
export type AlertIdentity =
  | {
      readonly kind: "falco";
      readonly rule: string;
      /** The normalised event source (`syscall`, `k8s_audit`, ...). */
      readonly source: string;
      readonly namespace?: string;
      readonly pod?: string;
      /** Used with `containerId` when there is no pod. */
      readonly hostname?: string;
      readonly containerId?: string;
    }
  | {
      readonly kind: "alertmanager";
      /** Alertmanager's own fingerprint of the alert's label set, when it sent one. */
      readonly fingerprint?: string;
      readonly labels: Readonly<Record<string, string>>;
    }
  | {
      readonly kind: "cloudevent";
      readonly type: string;
      readonly source: string;
      readonly subject?: string;
    };

/**
 * A deterministic fingerprint (64 lower-case hex digits, SHA-256) of an alert's identity:
 * Falco: rule + source + namespace + pod, or rule + source + hostname + container id when there
 * is no pod; Alertmanager: its fingerprint of the label set (computed the same way when
 * absent); other CloudEvents: type + source + subject. Equal identities give equal
 * fingerprints on every replica and every version; different kinds never collide.
 */
export function fingerprint(identity: AlertIdentity): string {
  return createHash("sha256").update(JSON.stringify(identityParts(identity))).digest("hex");
}

function identityParts(identity: AlertIdentity): readonly string[] {
  switch (identity.kind) {
    case "falco":
      return identity.pod !== undefined && identity.pod !== ""
        ? ["falco", identity.rule, identity.source, "pod", identity.namespace ?? "", identity.pod]
        : ["falco", identity.rule, identity.source, "host", identity.hostname ?? "", identity.containerId ?? ""];
    case "alertmanager":
      return ["alertmanager", (identity.fingerprint ?? alertmanagerLabelsFingerprint(identity.labels)).toLowerCase()];
    case "cloudevent":
      return ["cloudevent", identity.type, identity.source, identity.subject ?? ""];
  }
}
