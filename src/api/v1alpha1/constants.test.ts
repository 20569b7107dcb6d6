import { describe, expect, it } from "vitest";
import type { Severity } from "./index.ts";
import {
  API_VERSION,
  Annotation,
  ConditionType,
  GROUP,
  Kind,
  Label,
  Plural,
  Reason,
  SEVERITIES,
  VERSION,
  compareSeverity,
  isSeverity,
} from "./index.ts";
import { KINDS } from "./schema/index.ts";

const CONDITION_REASON = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;

describe("compareSeverity", () => {
  it.each<[Severity, Severity, "<" | "=" | ">"]>([
    ["info", "low", "<"],
    ["low", "medium", "<"],
    ["medium", "high", "<"],
    ["high", "critical", "<"],
    ["critical", "info", ">"],
    ["high", "medium", ">"],
    ["medium", "medium", "="],
  ])("orders %s %s", (a, b, expected) => {
    const sign = Math.sign(compareSeverity(a, b));
    expect(sign).toBe({ "<": -1, "=": 0, ">": 1 }[expected]);
  });

  it("sorts severities from least to most severe", () => {
    const shuffled: Severity[] = ["high", "info", "critical", "low", "medium"];
    expect(shuffled.sort(compareSeverity)).toEqual(["info", "low", "medium", "high", "critical"]);
  });
});

describe("isSeverity", () => {
  it.each([
    ["critical", true],
    ["info", true],
    ["Critical", false],
    ["warning", false],
    ["", false],
  ])("%j → %s", (value, expected) => {
    expect(isSeverity(value)).toBe(expected);
  });
});

describe("API identity", () => {
  it("composes apiVersion from group and version", () => {
    expect(API_VERSION).toBe(`${GROUP}/${VERSION}`);
  });

  it("agrees with the schema on kinds and plurals", () => {
    expect(KINDS.map((kind) => [kind.kind, kind.plural])).toEqual(
      Object.values(Kind).map((kind) => [kind, Plural[kind]]),
    );
  });

  it("uses reasons and condition types that fit metav1.Condition", () => {
    const invalid = [...Object.values(Reason), ...Object.values(ConditionType)].filter(
      (reason) => !CONDITION_REASON.test(reason),
    );
    expect(invalid).toEqual([]);
  });

  it("prefixes every label and annotation with the group", () => {
    const keys = [...Object.values(Label), ...Object.values(Annotation)];
    expect(keys.filter((key) => !key.startsWith(`${GROUP}/`))).toEqual([]);
    expect(Label.Incident).toBe("soar.kube-soar.io/incident");
    expect(Label.Step).toBe("soar.kube-soar.io/step");
    expect(Label.Playbook).toBe("soar.kube-soar.io/playbook");
  });

  it("lists severities in ascending order", () => {
    expect(SEVERITIES).toEqual(["info", "low", "medium", "high", "critical"]);
  });
});
