import { describe, expect, it } from "vitest";
import { SEVERITIES } from "./constants.ts";
import type { Schema } from "./schema/index.ts";
import { KINDS, rootSchema } from "./schema/index.ts";

interface Node {
  readonly path: string;
  readonly schema: Schema;
}

function walk(schema: Schema, path: string): Node[] {
  const nodes: Node[] = [{ path, schema }];
  for (const [name, property] of Object.entries(schema.properties ?? {})) nodes.push(...walk(property, `${path}.${name}`));
  if (schema.items !== undefined) nodes.push(...walk(schema.items, `${path}[]`));
  if (schema.additionalProperties !== undefined) nodes.push(...walk(schema.additionalProperties, `${path}{}`));
  return nodes;
}

const nodes = KINDS.flatMap((kind) => walk(rootSchema(kind), kind.kind));

describe("v1alpha1 schema", () => {
  it("covers every kind", () => {
    expect(KINDS.map((kind) => kind.kind)).toEqual(["Playbook", "Incident", "Connector", "AlertSuppression", "ThreatFeed"]);
    expect(nodes.length).toBeGreaterThan(150);
  });

  it("describes every node", () => {
    const undescribed = nodes.filter((node) => node.schema.description.trim() === "").map((node) => node.path);
    expect(undescribed).toEqual([]);
  });

  it("bounds every free string, list and map", () => {
    const unbounded = nodes
      .filter(({ schema }) => {
        if (schema.type === "string") return schema.maxLength === undefined && schema.enum === undefined && schema.format !== "date-time";
        if (schema.type === "array") return schema.maxItems === undefined;
        if (schema.additionalProperties !== undefined) return schema.maxProperties === undefined;
        return false;
      })
      .map((node) => node.path);
    expect(unbounded).toEqual([]);
  });

  it("keys map lists by required properties", () => {
    const badKeys = nodes
      .filter(({ schema }) => schema["x-kubernetes-list-type"] === "map")
      .filter(({ schema }) => {
        const keys = schema["x-kubernetes-list-map-keys"] ?? [];
        return keys.length === 0 || keys.some((key) => !(schema.items?.required ?? []).includes(key));
      })
      .map((node) => node.path);
    expect(badKeys).toEqual([]);
  });

  it("declares only required properties that exist", () => {
    const missing = nodes.flatMap(({ path, schema }) =>
      (schema.required ?? []).filter((name) => !(name in (schema.properties ?? {}))).map((name) => `${path}.${name}`),
    );
    expect(missing).toEqual([]);
  });

  it("gives every CEL rule a message", () => {
    const silent = nodes.flatMap(({ path, schema }) =>
      (schema["x-kubernetes-validations"] ?? []).filter((rule) => rule.message === undefined).map((rule) => `${path}: ${rule.rule}`),
    );
    expect(silent).toEqual([]);
  });

  it("has the status subresource fields on every kind", () => {
    for (const kind of KINDS) {
      expect(Object.keys(kind.status.properties ?? {}), kind.kind).toEqual(
        expect.arrayContaining(["conditions", "observedGeneration"]),
      );
    }
  });

  it.each([
    ["Playbook.spec.trigger.minSeverity"],
    ["Incident.spec.severity"],
  ])("uses the severity order of the constants at %s", (path) => {
    const node = nodes.find((candidate) => candidate.path === path);
    expect(node?.schema.enum).toEqual(SEVERITIES);
  });

  it.each([
    ["Playbook.spec.dedup.window", "1h"],
    ["Playbook.spec.steps[].retries.backoff", "10s"],
    ["Playbook.spec.steps[].approval.onTimeout", "reject"],
    ["Incident.spec.state", "Open"],
    ["Connector.spec.method", "POST"],
    ["Connector.spec.timeout", "10s"],
  ])("defaults %s to %s", (path, value) => {
    expect(nodes.find((node) => node.path === path)?.schema.default).toBe(value);
  });
});
