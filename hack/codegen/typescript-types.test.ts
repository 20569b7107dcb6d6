import { describe, expect, it } from "vitest";
import type { Schema } from "../../src/api/v1alpha1/schema/index.ts";
import { KINDS } from "../../src/api/v1alpha1/schema/index.ts";
import {
  boolean,
  enumeration,
  freeform,
  integer,
  intOrString,
  list,
  map,
  object,
  string,
} from "../../src/api/v1alpha1/schema/builders.ts";
import { docComment, renderApiTypes, renderDeclarations } from "./typescript-types.ts";

const text = string("A text.", { maxLength: 8 });

describe("renderDeclarations", () => {
  it.each<[string, Schema, string]>([
    [
      "required and optional properties",
      object("A thing.", { name: text, count: integer("How many.") }, { required: ["name"], typeName: "Thing" }),
      `/** A thing. */
export interface Thing {
  /** A text. */
  name: string;
  /** How many. */
  count?: number;
}
`,
    ],
    [
      "an enum as a string-literal union",
      enumeration("A colour.", ["red", "green"], { typeName: "Colour" }),
      `/** A colour. */
export type Colour = "red" | "green";
`,
    ],
    [
      "a long enum one member per line",
      enumeration("Many.", ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india"], {
        typeName: "Letter",
      }),
      `/** Many. */
export type Letter =
  | "alpha"
  | "bravo"
  | "charlie"
  | "delta"
  | "echo"
  | "foxtrot"
  | "golf"
  | "hotel"
  | "india";
`,
    ],
    [
      "preserved unknown fields, maps and int-or-string",
      object(
        "Bag.",
        {
          data: freeform("Anything."),
          labels: map("Labels.", text, { maxProperties: 4 }),
          quantities: map("Quantities.", intOrString("A quantity."), { maxProperties: 4 }),
          raw: { description: "Untyped.", "x-kubernetes-preserve-unknown-fields": true },
        },
        { typeName: "Bag" },
      ),
      `/** Bag. */
export interface Bag {
  /** Anything. */
  data?: Record<string, unknown>;
  /** Labels. */
  labels?: Record<string, string>;
  /** Quantities. */
  quantities?: Record<string, number | string>;
  /** Untyped. */
  raw?: unknown;
}
`,
    ],
    [
      "nested named and anonymous objects, lists of unions, defaults and quoted keys",
      object(
        "Outer.",
        {
          inner: object("Inner use.", { on: boolean("Switch.", { default: true }) }, { typeName: "Inner", typeDescription: "Inner." }),
          anonymous: object("Inline.", { "x-y": text }, { required: ["x-y"] }),
          modes: list("Modes.", enumeration("A mode.", ["a", "b"]), { maxItems: 2 }),
        },
        { typeName: "Outer" },
      ),
      `/** Outer. */
export interface Outer {
  /** Inner use. */
  inner?: Inner;
  /** Inline. */
  anonymous?: {
    /** A text. */
    "x-y": string;
  };
  /** Modes. */
  modes?: ("a" | "b")[];
}

/** Inner. */
export interface Inner {
  /**
   * Switch.
   *
   * @defaultValue true
   */
  on?: boolean;
}
`,
    ],
  ])("renders %s", (_, schema, expected) => {
    expect(renderDeclarations([schema])).toBe(expected);
  });

  it("declares a shared named type once", () => {
    const ref = (description: string): Schema =>
      object(description, { name: text }, { required: ["name"], typeName: "Ref", typeDescription: "A reference." });
    const rendered = renderDeclarations([object("Two refs.", { a: ref("First."), b: ref("Second.") }, { typeName: "Pair" })]);
    expect(rendered.match(/export interface Ref /g)).toHaveLength(1);
    expect(rendered).toContain("/** First. */\n  a?: Ref;");
    expect(rendered).toContain("/** Second. */\n  b?: Ref;");
  });

  it.each<[string, Schema, string]>([
    [
      "one name for two shapes",
      object(
        "Clash.",
        {
          a: object("A.", { x: text }, { typeName: "Same" }),
          b: object("A.", { y: text }, { typeName: "Same" }),
        },
        { typeName: "Clash" },
      ),
      "Clash.b: type Same is used for two different schemas",
    ],
    [
      "one name for two descriptions without a typeDescription",
      object(
        "Clash.",
        { a: object("A.", { x: text }, { typeName: "Same" }), b: object("B.", { x: text }, { typeName: "Same" }) },
        { typeName: "Clash" },
      ),
      "type Same is used for two different schemas",
    ],
    [
      "an array without items",
      object("Broken.", { list: { type: "array", description: "No items.", maxItems: 1 } }, { typeName: "Broken" }),
      "Broken.list: an array needs items",
    ],
    [
      "an untyped node that does not preserve unknown fields",
      object("Broken.", { what: { description: "Nothing." } }, { typeName: "Broken" }),
      "Broken.what: a schema without type",
    ],
    [
      "properties together with additional properties",
      object("Broken.", { both: { ...object("Both.", { x: text }), additionalProperties: text } }, { typeName: "Broken" }),
      "Broken.both: an object with properties cannot also keep unknown or additional properties",
    ],
    ["a type name that is not an identifier", object("Bad.", {}, { typeName: "Not-An-Identifier" }), "is not an identifier"],
  ])("rejects %s", (_, schema, message) => {
    expect(() => renderDeclarations([schema])).toThrow(message);
  });
});

describe("docComment", () => {
  it.each<[string, string, unknown, string]>([
    ["", "", undefined, ""],
    ["Short.", "  ", undefined, "  /** Short. */\n"],
    ["Closes */ early.", "", undefined, "/** Closes *\\/ early. */\n"],
    ["", "", "5s", '/** @defaultValue "5s" */\n'],
  ])("renders %j", (description, indent, defaultValue, expected) => {
    expect(docComment(description, indent, defaultValue)).toBe(expected);
  });

  it("wraps long descriptions at 100 columns", () => {
    const rendered = docComment("word ".repeat(60), "  ");
    expect(rendered.split("\n").every((line) => line.length <= 100)).toBe(true);
    expect(rendered.split("\n").length).toBeGreaterThan(3);
  });
});

describe("renderApiTypes", () => {
  const source = renderApiTypes(KINDS);

  it.each([
    "Playbook", "PlaybookSpec", "PlaybookStatus", "PlaybookStep", "PlaybookList",
    "Incident", "IncidentSpec", "IncidentStatus", "Connector", "ConnectorSpec", "ConnectorStatus", "Condition",
    "JobStep", "ActionStep", "ConnectorStep", "ApprovalStep", "NotifyStep", "StepRetries", "Trigger", "Dedup",
    "IncidentApproval", "IncidentEvent", "PlaybookRun", "StepState", "TimelineEntry", "AffectedResources", "Observable",
  ])("exports interface %s", (name) => {
    expect(source).toMatch(new RegExp(`^export interface ${name} \\{$`, "m"));
  });

  it("pins apiVersion and kind of each kind and types metadata", () => {
    expect(source).toContain('export interface Playbook {');
    expect(source).toContain('  apiVersion: "soar.kube-soar.io/v1alpha1";\n  /** Kind is');
    expect(source).toContain('  kind: "Incident";\n  /** Standard object metadata. */\n  metadata: ObjectMeta;');
    expect(source).toContain("  spec: ConnectorSpec;");
    expect(source).toContain("  status?: ConnectorStatus;");
  });

  it("is deterministic", () => {
    expect(renderApiTypes(KINDS)).toBe(source);
  });
});
