import { API_VERSION, GROUP } from "../../api/v1alpha1/constants.ts";
import { KINDS, type KindSchema } from "../../api/v1alpha1/schema/index.ts";
import { formatPath, parsePath } from "./field-path.ts";
import { KIND_CHECKS, type KindCheckContext } from "./kind-checks.ts";
import { validateObject } from "./schema-validation/validate-object.ts";
import type { SkippedRule } from "./schema-validation/validation-rules.ts";
import type { SourceDocument, SourcePosition } from "./source-documents.ts";

/** One thing lint reports, where it is written. */
export interface Finding {
  readonly severity: "error" | "warning";
  /** The field it concerns (`spec.steps[2].when`); empty for the document as a whole. */
  readonly field: string;
  readonly message: string;
  readonly position: SourcePosition;
}

/** What lint found in one document. */
export interface DocumentLint {
  /** The kind of the document when it is an object of this API; undefined for anything else. */
  readonly kind: string | undefined;
  readonly findings: readonly Finding[];
  /** Rules of the kind's schema lint could not evaluate (see `ruleViolations`). */
  readonly skipped: readonly SkippedRule[];
  /** The object as the API server would store it (nulls pruned, defaults set); absent for other documents. */
  readonly object?: Readonly<Record<string, unknown>>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function groupOf(apiVersion: unknown): string | undefined {
  if (typeof apiVersion !== "string") return undefined;
  const slash = apiVersion.indexOf("/");
  return slash === -1 ? "" : apiVersion.slice(0, slash);
}

const NOTHING: DocumentLint = { kind: undefined, findings: [], skipped: [] };

/**
 * Lints one document: objects of soar.kube-soar.io are validated against the schema of their
 * kind (one of `KINDS`) as the API server would on `kubectl apply`, then, when the schema
 * leaves them well-typed, by the kind's own checks (the Playbook compiler, the Connector spec
 * check). Documents of other API groups (a kustomization, a Secret) are not looked at; a
 * document that is not valid YAML is an error.
 */
export function lintDocument(document: SourceDocument, context: KindCheckContext): DocumentLint {
  if (!document.ok) {
    return { kind: undefined, findings: [{ severity: "error", field: "", message: `not valid YAML: ${document.message}`, position: document.position }], skipped: [] };
  }
  const object = document.value;
  if (!isPlainObject(object) || groupOf(object["apiVersion"]) !== GROUP) return NOTHING;
  const at = (field: string, pointAt?: "key"): SourcePosition => document.locate(parsePath(field), pointAt);
  const kind = KINDS.find((candidate) => candidate.kind === object["kind"]);
  if (object["apiVersion"] !== API_VERSION || kind === undefined) {
    const field = kind === undefined ? "kind" : "apiVersion";
    return { kind: undefined, findings: [{ severity: "error", field, message: unknownKindMessage(object), position: at(field) }], skipped: [] };
  }
  return lintObject(kind, object, at, context);
}

function unknownKindMessage(object: Readonly<Record<string, unknown>>): string {
  const served = KINDS.map((kind) => kind.kind).join(", ");
  return `${JSON.stringify(object["apiVersion"])} ${JSON.stringify(object["kind"])} is not served: ${API_VERSION} has the kinds ${served}`;
}

function lintObject(kind: KindSchema, object: Readonly<Record<string, unknown>>, at: (field: string, pointAt?: "key") => SourcePosition, context: KindCheckContext): DocumentLint {
  const validation = validateObject(kind, object);
  const findings: Finding[] = validation.violations.map((violation) => {
    const field = formatPath(violation.path);
    return { severity: "error", field, message: violation.message, position: at(field, violation.at) };
  });
  const check = KIND_CHECKS[kind.kind];
  const applies = check?.runsOn === "valid" ? validation.violations.length === 0 : !validation.violations.some((violation) => violation.blocking);
  if (check !== undefined && applies) {
    const reported = new Set(findings.map((finding) => finding.field));
    for (const finding of check.check(validation.value, context)) {
      // The schema's message for a field already says what apply refuses; the check would repeat it.
      if (finding.severity === "error" && reported.has(finding.field)) continue;
      findings.push({ ...finding, position: at(finding.field) });
    }
  }
  return { kind: kind.kind, findings: findings.sort(byPosition), skipped: validation.skipped, object: validation.value };
}

/**
 * Orders findings as they are written in the file, findings about the document as a whole
 * last; stable, so one field's findings keep their order.
 */
function byPosition(a: Finding, b: Finding): number {
  const whole = Number(a.field === "") - Number(b.field === "");
  return whole || a.position.line - b.position.line || a.position.col - b.position.col;
}
