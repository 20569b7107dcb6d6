import { describe, expect, it } from "vitest";
import type { Schema } from "./builders.ts";
import { enumeration, freeform, integer, intOrString, list, map, object, string } from "./builders.ts";

const name = string("Name.", { maxLength: 10 });

describe("schema builders", () => {
  it.each<[string, Schema, Schema]>([
    ["string", string("A.", { maxLength: 5, pattern: "^a" }), { type: "string", description: "A.", maxLength: 5, pattern: "^a" }],
    [
      "enumeration",
      enumeration("E.", ["x", "y"], { default: "y", typeName: "E" }),
      { type: "string", description: "E.", enum: ["x", "y"], default: "y", typeName: "E" },
    ],
    ["integer", integer("I.", { minimum: 0 }), { type: "integer", description: "I.", format: "int64", minimum: 0 }],
    [
      "set list",
      list("L.", name, { maxItems: 3, listType: "set" }),
      { type: "array", description: "L.", items: name, maxItems: 3, "x-kubernetes-list-type": "set" },
    ],
    [
      "map list",
      list("L.", object("O.", { name }, { required: ["name"] }), { maxItems: 2, listType: "map", mapKeys: ["name"] }),
      {
        type: "array",
        description: "L.",
        items: { type: "object", description: "O.", properties: { name }, required: ["name"] },
        maxItems: 2,
        "x-kubernetes-list-type": "map",
        "x-kubernetes-list-map-keys": ["name"],
      },
    ],
    [
      "map",
      map("M.", name, { maxProperties: 4, rules: [{ rule: "true", message: "m" }] }),
      {
        type: "object",
        description: "M.",
        additionalProperties: name,
        maxProperties: 4,
        "x-kubernetes-validations": [{ rule: "true", message: "m" }],
      },
    ],
    ["object without required", object("O.", { name }, { required: [] }), { type: "object", description: "O.", properties: { name } }],
    ["freeform", freeform("F."), { type: "object", description: "F.", "x-kubernetes-preserve-unknown-fields": true, "x-kubernetes-map-type": "atomic" }],
    [
      "int-or-string",
      intOrString("Q.", { pattern: "^[0-9]+$" }),
      {
        description: "Q.",
        anyOf: [{ type: "integer" }, { type: "string" }],
        pattern: "^[0-9]+$",
        "x-kubernetes-int-or-string": true,
      },
    ],
  ])("builds %s", (_, built, expected) => {
    expect(built).toEqual(expected);
  });

  it.each<[string, () => Schema, string]>([
    ["an empty enumeration", () => enumeration("E.", []), "has no values"],
    ["a default outside the enumeration", () => enumeration("E.", ["a"], { default: "b" }), "default b is not one of its values"],
    ["an undeclared required property", () => object("O.", { name }, { required: ["other"] }), "required property other is not declared"],
    ["map keys without listType map", () => list("L.", name, { maxItems: 1, mapKeys: ["name"] }), "mapKeys go together with listType map"],
    ["listType map without keys", () => list("L.", name, { maxItems: 1, listType: "map" }), "mapKeys go together with listType map"],
    [
      "a map key that is not required",
      () => list("L.", object("O.", { name }), { maxItems: 1, listType: "map", mapKeys: ["name"] }),
      "map key name must be a required property",
    ],
  ])("rejects %s", (_, build, message) => {
    expect(build).toThrow(message);
  });
});
