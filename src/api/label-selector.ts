import { isLabelValue, isQualifiedName } from "./v1alpha1/kube-names.ts";

/** One requirement of a label selector, as Kubernetes defines them. */
export type LabelRequirement =
  | { readonly key: string; readonly operator: "exists" | "doesNotExist" }
  | { readonly key: string; readonly operator: "equals" | "notEquals"; readonly value: string }
  | { readonly key: string; readonly operator: "in" | "notIn"; readonly values: readonly string[] };

/** A parsed label selector: every requirement must hold. `text` is the selector as written, for messages. */
export interface LabelSelector {
  readonly text: string;
  readonly requirements: readonly LabelRequirement[];
}

const setPattern = /^(\S+)\s+(in|notin)\s*\((.*)\)$/s;
const equalityPattern = /^([^\s=!]+)\s*(==|=|!=)\s*(.*)$/s;

/** Splits at the commas that are not inside parentheses; undefined when parentheses do not pair. */
function splitRequirements(text: string): string[] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === "(") depth++;
    else if (char === ")") depth--;
    else if (char === "," && depth === 0) {
      parts.push(text.slice(start, index));
      start = index + 1;
    }
    if (depth < 0 || depth > 1) return undefined;
  }
  if (depth !== 0) return undefined;
  parts.push(text.slice(start));
  return parts.map((part) => part.trim());
}

function keyProblem(key: string): string | undefined {
  return isQualifiedName(key) ? undefined : `${JSON.stringify(key)} is not a valid label key`;
}

function valueProblem(value: string): string | undefined {
  return isLabelValue(value) ? undefined : `${JSON.stringify(value)} is not a valid label value (at most 63 letters, digits, '-', '_', '.')`;
}

function parseRequirement(text: string): LabelRequirement | string {
  if (text === "") return "empty requirement";
  if (text.startsWith("!")) {
    const key = text.slice(1).trim();
    return keyProblem(key) ?? { key, operator: "doesNotExist" };
  }
  const set = setPattern.exec(text);
  if (set !== null) {
    const [, key = "", word, list = ""] = set;
    const values = list.split(",").map((value) => value.trim());
    if (values.length === 1 && values[0] === "") return `${word ?? ""} needs at least one value`;
    const problem = keyProblem(key) ?? values.map(valueProblem).find((found) => found !== undefined);
    return problem ?? { key, operator: word === "in" ? "in" : "notIn", values };
  }
  const equality = equalityPattern.exec(text);
  if (equality !== null) {
    const [, key = "", operator, value = ""] = equality;
    return keyProblem(key) ?? valueProblem(value.trim()) ?? { key, operator: operator === "!=" ? "notEquals" : "equals", value: value.trim() };
  }
  if (/\s/.test(text)) return "expected key, !key, key=value, key!=value, key in (a,b) or key notin (a,b)";
  return keyProblem(text) ?? { key: text, operator: "exists" };
}

/**
 * Parses a Kubernetes label selector (`key`, `!key`, `key=value` or `key==value`, `key!=value`,
 * `key in (a,b)`, `key notin (a,b)`, joined by commas), with every key a qualified name and
 * every value a label value. Returns the selector, or a message naming the requirement at
 * fault and why. The empty text is the selector without requirements, which selects everything.
 */
export function parseLabelSelector(text: string): { ok: true; selector: LabelSelector } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: true, selector: { text: trimmed, requirements: [] } };
  const parts = splitRequirements(trimmed);
  if (parts === undefined) return { ok: false, message: "unbalanced or nested parentheses" };
  const requirements: LabelRequirement[] = [];
  for (const [index, part] of parts.entries()) {
    const requirement = parseRequirement(part);
    if (typeof requirement === "string") return { ok: false, message: `requirement ${index + 1} (${JSON.stringify(part)}): ${requirement}` };
    requirements.push(requirement);
  }
  return { ok: true, selector: { text: trimmed, requirements } };
}

function holds(requirement: LabelRequirement, labels: Readonly<Record<string, string>>): boolean {
  const present = Object.hasOwn(labels, requirement.key);
  const value = present ? labels[requirement.key] : undefined;
  switch (requirement.operator) {
    case "exists":
      return present;
    case "doesNotExist":
      return !present;
    case "equals":
      return value === requirement.value;
    case "notEquals":
      return value !== requirement.value;
    case "in":
      return value !== undefined && requirement.values.includes(value);
    case "notIn":
      return value === undefined || !requirement.values.includes(value);
  }
}

/**
 * True when `labels` satisfy every requirement, with Kubernetes' semantics: `!=` and `notin`
 * also select objects without the key.
 */
export function selectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  return selector.requirements.every((requirement) => holds(requirement, labels));
}
