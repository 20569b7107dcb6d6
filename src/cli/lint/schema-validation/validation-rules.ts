import { celEnv, isCelError, parse, plan, type CelResult, type CelValue } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";
import type { Schema, ValidationRule } from "../../../api/v1alpha1/schema/index.ts";
import { analyzeReferences } from "../../../expr/check-references.ts";
import { catalogFunctions } from "../../../expr/function-catalog.ts";
import { cachingRegexEngine } from "../../../expr/regex-cache.ts";
import { toCelValue, tryConversion } from "../../../expr/values.ts";
import { child, formatPath, index, key, parsePath, type FieldPath } from "../field-path.ts";
import { forbidden, requiredValue } from "./api-server-messages.ts";
import type { SchemaViolation } from "./structural-validation.ts";

/** A rule lint cannot evaluate offline, and why: checked only by the API server. */
export interface SkippedRule {
  /** The schema node carrying the rule, as a field path of the object (`spec.steps[0]`). */
  readonly path: FieldPath;
  readonly rule: string;
  readonly reason: string;
}

/** The rules' violations and the rules that were not evaluated. */
export interface RuleResult {
  readonly violations: readonly SchemaViolation[];
  readonly skipped: readonly SkippedRule[];
}

type Program = (bindings: Readonly<Record<string, CelValue>>) => CelResult;

/** A rule ready to run, or why it cannot run here. */
type PreparedRule =
  | { readonly ok: true; readonly run: Program; readonly message: Program | undefined }
  /** A transition rule (it reads `oldSelf`): the API server evaluates it on updates only, never on create. */
  | { readonly ok: false; readonly transition: true }
  | { readonly ok: false; readonly transition: false; readonly reason: string };

const functions = [...celEnv({ funcs: [...strings], re2: cachingRegexEngine() }).funcs];
const environment = celEnv({ funcs: functions });
const catalog = catalogFunctions(functions);
const prepared = new Map<string, PreparedRule>();

/**
 * Compiles a rule with the CEL standard library and the strings extension. A rule that calls a
 * function outside them (the Kubernetes libraries: `url`, `quantity`, `ip`, `cidr`, `format`,
 * `semver`, list and regex extensions) cannot be evaluated here and says so; a rule that reads
 * `oldSelf` does not apply to a new object.
 */
function prepareRule(rule: ValidationRule): PreparedRule {
  const cacheKey = `${rule.rule}\u0000${rule.messageExpression ?? ""}`;
  const cached = prepared.get(cacheKey);
  if (cached !== undefined) return cached;
  const result = compileRule(rule);
  prepared.set(cacheKey, result);
  return result;
}

function compileRule(rule: ValidationRule): PreparedRule {
  const program = compile(rule.rule);
  if (program === TRANSITION) return { ok: false, transition: true };
  if (typeof program === "string") return { ok: false, transition: false, reason: program };
  if (rule.messageExpression === undefined) return { ok: true, run: program, message: undefined };
  const message = compile(rule.messageExpression);
  return { ok: true, run: program, message: typeof message === "function" ? message : undefined };
}

const TRANSITION = Symbol("transition rule");

function compile(source: string): Program | string | typeof TRANSITION {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(source);
  } catch (error: unknown) {
    return `does not parse: ${error instanceof Error ? error.message : String(error)}`;
  }
  const references = analyzeReferences(parsed, new Set(["self", "oldSelf"]), catalog);
  if (references.unresolved !== undefined) return `${references.unresolved.problem}, outside the CEL standard library and strings extension`;
  if (references.variables.has("oldSelf")) return TRANSITION;
  try {
    return plan(environment, parsed);
  } catch (error: unknown) {
    return `cannot be planned: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The message of a failed rule, as the API server builds it. */
function failureMessage(rule: ValidationRule, message: Program | undefined, self: CelValue): string {
  if (message !== undefined) {
    const text = message({ self });
    if (typeof text === "string" && text.trim() !== "") return text;
  }
  return rule.message ?? `failed rule: ${rule.rule}`;
}

function violationFor(rule: ValidationRule, path: FieldPath, detail: string): SchemaViolation {
  const at = rule.fieldPath === undefined ? path : [...path, ...parsePath(rule.fieldPath)];
  switch (rule.reason) {
    case "FieldValueRequired":
      return { path: at, message: requiredValue(detail), blocking: false };
    case "FieldValueForbidden":
      return { path: at, message: forbidden(detail), blocking: false };
    default:
      return { path: at, message: `Invalid value: ${detail}`, blocking: false };
  }
}

/**
 * Evaluates every `x-kubernetes-validations` rule of `schema` and of its nested nodes present in
 * `value`, with `self` bound to the node, and reports each rule that is false with its message
 * (or evaluated `messageExpression`), reason and `fieldPath` as the API server does on create
 * (transition rules, which read `oldSelf`, apply to updates only). Rules it cannot evaluate
 * (see {@link prepareRule}) are returned as skipped. Pure.
 */
export function ruleViolations(schema: Schema, value: unknown, path: FieldPath): RuleResult {
  const violations: SchemaViolation[] = [];
  const skipped: SkippedRule[] = [];
  const visit = (node: Schema, item: unknown, at: FieldPath): void => {
    if (item === undefined) return;
    const rules = node["x-kubernetes-validations"] ?? [];
    if (rules.length > 0) {
      const self = tryConversion(() => toCelValue(item, formatPath(at)));
      for (const rule of rules) {
        const program = prepareRule(rule);
        if (!program.ok) {
          if (!program.transition) skipped.push({ path: at, rule: rule.rule, reason: program.reason });
          continue;
        }
        if (!self.ok) continue;
        const result = program.run({ self: self.value });
        if (result === true) continue;
        const detail = isCelError(result) ? `${rule.rule}: ${result.message}` : failureMessage(rule, program.message, self.value);
        violations.push(violationFor(rule, at, detail));
      }
    }
    if (node["x-kubernetes-preserve-unknown-fields"] === true) return;
    const items = node.items;
    if (Array.isArray(item)) {
      if (items !== undefined) item.forEach((entry, position) => { visit(items, entry, index(at, position)); });
      return;
    }
    if (!isPlainObject(item)) return;
    for (const [name, entry] of Object.entries(item)) {
      const declared = node.properties !== undefined && Object.hasOwn(node.properties, name) ? node.properties[name] : undefined;
      if (declared !== undefined) visit(declared, entry, child(at, name));
      else if (node.additionalProperties !== undefined) visit(node.additionalProperties, entry, key(at, name));
    }
  };
  visit(schema, value, path);
  return { violations, skipped };
}

/**
 * The rules of a schema (all nodes) that lint cannot evaluate, each with why, in schema order:
 * what `kubectl soar lint --help` lists as checked only by the API server.
 */
export function unevaluatedRules(schema: Schema): { readonly rule: string; readonly reason: string }[] {
  const found: { rule: string; reason: string }[] = [];
  const visit = (node: Schema): void => {
    for (const rule of node["x-kubernetes-validations"] ?? []) {
      const program = prepareRule(rule);
      if (!program.ok && !program.transition) found.push({ rule: rule.rule, reason: program.reason });
    }
    for (const property of Object.values(node.properties ?? {})) visit(property);
    if (node.items !== undefined) visit(node.items);
    if (node.additionalProperties !== undefined) visit(node.additionalProperties);
  };
  visit(schema);
  return found;
}
