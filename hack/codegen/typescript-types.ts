import { API_VERSION } from "../../src/api/v1alpha1/constants.ts";
import type { KindSchema, Schema } from "../../src/api/v1alpha1/schema/index.ts";
import { rootSchema } from "../../src/api/v1alpha1/schema/index.ts";

const INDENT = "  ";
const WRAP_AT = 100;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Named declarations collected while rendering, in first-use order (parents before children). */
interface Declarations {
  readonly order: string[];
  readonly text: Map<string, string>;
}

/**
 * Renders a doc comment for `description` (wrapped, `*\/` escaped) at `indent`, with a
 * `@defaultValue` tag when the schema has a default. Empty when there is nothing to say.
 */
export function docComment(description: string | undefined, indent: string, defaultValue?: unknown): string {
  const lines = wrap((description ?? "").replaceAll("*/", "*\\/").trim(), WRAP_AT - indent.length - 3);
  if (defaultValue !== undefined) {
    if (lines.length > 0) lines.push("");
    lines.push(`@defaultValue ${JSON.stringify(defaultValue)}`);
  }
  if (lines.length === 0) return "";
  if (lines.length === 1) return `${indent}/** ${lines[0] ?? ""} */\n`;
  return `${indent}/**\n${lines.map((line) => (line === "" ? `${indent} *` : `${indent} * ${line}`)).join("\n")}\n${indent} */\n`;
}

function wrap(text: string, width: number): string[] {
  if (text === "") return [];
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines;
}

function propertyKey(name: string): string {
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}

/** Parenthesises a union so that it can be followed by `[]`. */
function arrayOf(element: string): string {
  return element.includes(" | ") ? `(${element})[]` : `${element}[]`;
}

function typeExpression(schema: Schema, indent: string, declarations: Declarations, where: string): string {
  if (schema.typeName !== undefined) {
    declare(schema, declarations, where);
    return schema.typeName;
  }
  return anonymousType(schema, indent, declarations, where);
}

function anonymousType(schema: Schema, indent: string, declarations: Declarations, where: string): string {
  if (schema["x-kubernetes-int-or-string"] === true) return "number | string";
  if (schema.enum !== undefined) return schema.enum.map((value) => JSON.stringify(value)).join(" | ");
  switch (schema.type) {
    case "string":
      return "string";
    case "integer":
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "array":
      if (schema.items === undefined) throw new Error(`${where}: an array needs items`);
      return arrayOf(typeExpression(schema.items, indent, declarations, `${where}[]`));
    case "object":
      return objectType(schema, indent, declarations, where);
    default:
      if (schema["x-kubernetes-preserve-unknown-fields"] === true) return "unknown";
      throw new Error(`${where}: a schema without type must preserve unknown fields or be int-or-string`);
  }
}

function objectType(schema: Schema, indent: string, declarations: Declarations, where: string): string {
  if (schema.properties !== undefined) {
    if (schema["x-kubernetes-preserve-unknown-fields"] === true || schema.additionalProperties !== undefined) {
      throw new Error(`${where}: an object with properties cannot also keep unknown or additional properties`);
    }
    return `{\n${members(schema, indent + INDENT, declarations, where)}${indent}}`;
  }
  if (schema.additionalProperties !== undefined) {
    const value = typeExpression(schema.additionalProperties, indent, declarations, `${where}{}`);
    return `Record<string, ${value}>`;
  }
  return "Record<string, unknown>";
}

/** Overrides for properties of a kind's root object, whose types the schema cannot express. */
interface MemberOverrides {
  readonly types: Readonly<Record<string, string>>;
}

function members(schema: Schema, indent: string, declarations: Declarations, where: string, overrides?: MemberOverrides): string {
  const required = new Set(schema.required ?? []);
  let text = "";
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const override = overrides?.types[name];
    const optional = override === undefined && !required.has(name);
    const type = override ?? typeExpression(property, indent, declarations, `${where}.${name}`);
    text += docComment(property.description, indent, property.default);
    text += `${indent}${propertyKey(name)}${optional ? "?" : ""}: ${type};\n`;
  }
  return text;
}

function declare(schema: Schema, declarations: Declarations, where: string): void {
  const name = schema.typeName;
  if (name === undefined) throw new Error(`${where}: only named schemas are declared`);
  if (!IDENTIFIER.test(name)) throw new Error(`${where}: typeName ${JSON.stringify(name)} is not an identifier`);
  const known = declarations.text.has(name);
  if (!known) {
    // Reserve the slot first so that a declaration precedes the declarations it uses.
    declarations.order.push(name);
    declarations.text.set(name, "");
  }
  const anonymous = withoutName(schema);
  const doc = docComment(schema.typeDescription ?? schema.description, "");
  const text =
    schema.type === "object" && schema.properties !== undefined
      ? `${doc}export interface ${name} {\n${members(anonymous, INDENT, declarations, name)}}\n`
      : `${doc}export type ${name} =${aliasBody(name, anonymousType(anonymous, "", declarations, name), anonymous)};\n`;
  const previous = declarations.text.get(name);
  if (known && previous !== text) {
    throw new Error(
      `${where}: type ${name} is used for two different schemas; give them different typeNames, or a common typeDescription when only their descriptions differ`,
    );
  }
  declarations.text.set(name, text);
}

/** The right-hand side of a type alias; long enum unions get one member per line. */
function aliasBody(name: string, expression: string, schema: Schema): string {
  const oneLine = ` ${expression}`;
  if (schema.enum === undefined || `export type ${name} =${oneLine};`.length <= WRAP_AT) return oneLine;
  return schema.enum.map((value) => `\n${INDENT}| ${JSON.stringify(value)}`).join("");
}

function withoutName(schema: Schema): Schema {
  const anonymous: { -readonly [Key in keyof Schema]: Schema[Key] } = { ...schema };
  delete anonymous.typeName;
  delete anonymous.typeDescription;
  return anonymous;
}

function emptyDeclarations(): Declarations {
  return { order: [], text: new Map() };
}

function joinDeclarations(declarations: Declarations): string {
  return declarations.order.map((name) => declarations.text.get(name) ?? "").join("\n");
}

/**
 * Renders the TypeScript declarations of named schemas and of every named schema they
 * contain: objects become interfaces (required properties non-optional), other named nodes
 * type aliases (enums become string-literal unions). Throws, naming the path, when a schema
 * cannot be expressed or one name is given to two different shapes.
 */
export function renderDeclarations(roots: readonly Schema[]): string {
  const declarations = emptyDeclarations();
  for (const [index, root] of roots.entries()) {
    if (root.typeName === undefined) throw new Error(`root ${index} has no typeName`);
    declare(root, declarations, root.typeName);
  }
  return joinDeclarations(declarations);
}

function kindDeclarations(kind: KindSchema, declarations: Declarations): string {
  const root = rootSchema(kind);
  const object = members(root, INDENT, declarations, kind.kind, {
    types: {
      apiVersion: JSON.stringify(API_VERSION),
      kind: JSON.stringify(kind.kind),
      metadata: "ObjectMeta",
    },
  });
  const listKind = `${kind.kind}List`;
  return (
    `${docComment(kind.description, "")}export interface ${kind.kind} {\n${object}}\n\n` +
    `/** A list of ${kind.kind} objects, as the apiserver returns it. */\n` +
    `export interface ${listKind} {\n` +
    `${INDENT}apiVersion: ${JSON.stringify(API_VERSION)};\n` +
    `${INDENT}kind: ${JSON.stringify(listKind)};\n` +
    `${INDENT}metadata: ListMeta;\n` +
    `${INDENT}items: ${kind.kind}[];\n` +
    `}\n`
  );
}

/**
 * Metadata types of the kinds: the fields of client-node's classes as plain data, so that
 * object literals and parsed JSON are valid metadata.
 */
const METADATA_DECLARATIONS =
  "/** Standard object metadata as plain data: the fields of client-node's V1ObjectMeta. */\n" +
  "export type ObjectMeta = { [Key in keyof V1ObjectMeta]: V1ObjectMeta[Key] };\n\n" +
  "/** Standard list metadata as plain data: the fields of client-node's V1ListMeta. */\n" +
  "export type ListMeta = { [Key in keyof V1ListMeta]: V1ListMeta[Key] };\n\n";

/** First line of every generated TypeScript file; the drift check relies on it. */
export const GENERATED_TS_HEADER =
  "// Code generated by hack/generate-api.ts from src/api/v1alpha1/schema/. DO NOT EDIT.\n" +
  "// Change the schema and run `npm run generate`.\n";

/**
 * Renders `types.generated.ts` for `kinds`: one interface per kind and per kind list, then
 * the named declarations of their spec and status schemas.
 */
export function renderApiTypes(kinds: readonly KindSchema[]): string {
  const declarations = emptyDeclarations();
  const kindText = kinds.map((kind) => kindDeclarations(kind, declarations)).join("\n");
  return (
    `${GENERATED_TS_HEADER}\n` +
    `import type { V1ListMeta, V1ObjectMeta } from "@kubernetes/client-node";\n\n` +
    METADATA_DECLARATIONS +
    `${kindText}\n${joinDeclarations(declarations)}`
  );
}
