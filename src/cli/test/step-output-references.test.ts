import { describe, expect, it } from "vitest";
import { stepOutputReferences } from "./step-output-references.ts";

describe("stepOutputReferences", () => {
  it.each([
    ['steps.scan.outputs.verdict == "bad"', [{ step: "scan", output: "verdict" }]],
    ['steps["port-scan"].outputs["open.ports"].size() > 0', [{ step: "port-scan", output: "open.ports" }]],
    ["has(steps.scan.outputs.verdict) && steps.scan.outputs.verdict != steps.b.outputs.c", [{ step: "scan", output: "verdict" }, { step: "b", output: "c" }]],
    ["steps.scan.phase == 'Succeeded'", []],
    ["size(steps.scan.outputs) > 0", []],
    ["steps.scan.outputs[event.data.key]", []],
    ["event.data.steps.scan.outputs.x", []],
    ["this does not parse (", []],
  ])("%s reads %j", (source, references) => {
    expect(stepOutputReferences(source)).toEqual(references);
  });
});
