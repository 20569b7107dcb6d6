import { describe, expect, it } from "vitest";
import { formatJson, formatTable, formatYaml, outputFormatOf, withoutManagedFields } from "./output.ts";
import { UsageError } from "./cli-errors.ts";

describe("outputFormatOf", () => {
  it("defaults to the table and accepts the listed formats", () => {
    expect(outputFormatOf(undefined)).toBe("table");
    expect(outputFormatOf("wide")).toBe("wide");
    expect(outputFormatOf("yaml", ["table", "json", "yaml"])).toBe("yaml");
  });

  it("refuses other formats, naming the allowed ones", () => {
    expect(() => outputFormatOf("xml", ["table", "json", "yaml"])).toThrow(new UsageError('-o "xml": expected one of json, yaml'));
    expect(() => outputFormatOf("table")).toThrow(UsageError);
  });
});

describe("formatTable", () => {
  it("pads columns to their widest cell, three spaces apart, without trailing spaces", () => {
    expect(formatTable(["NAME", "SEVERITY", "AGE"], [["a-long-name", "high", "5m"], ["b", "critical", ""]])).toBe(
      "NAME          SEVERITY   AGE\n" + "a-long-name   high       5m\n" + "b             critical\n",
    );
  });
});

describe("printers", () => {
  it("writes JSON with four spaces, and YAML", () => {
    expect(formatJson({ a: [1] })).toBe('{\n    "a": [\n        1\n    ]\n}\n');
    expect(formatYaml({ a: [1], b: "x" })).toBe("a:\n  - 1\nb: x\n");
  });

  it("drops managed fields", () => {
    expect(withoutManagedFields({ metadata: { name: "x", managedFields: [{}] } })).toEqual({ metadata: { name: "x" } });
  });
});
