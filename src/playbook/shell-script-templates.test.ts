import { describe, expect, it } from "vitest";
import type { JobStep, PlaybookStep } from "../api/v1alpha1/types.generated.ts";
import { shellTemplateWarnings } from "./shell-script-templates.ts";

function job(spec: Omit<JobStep, "image">): PlaybookStep[] {
  return [{ name: "first", notify: { connector: "c", message: "${{ incident.title }}" } }, { name: "run", job: { image: "busybox:1", ...spec } }];
}

const unquoted = "${{ incident.title }} inside a shell script is run as shell code; use ${{ shellQuote(incident.title) }} or pass the value as an argument or environment variable";

describe("shellTemplateWarnings", () => {
  it.each<[string, Omit<JobStep, "image">, string]>([
    ["sh -c in command", { command: ["sh", "-c", "echo ${{ incident.title }}"] }, "spec.steps[1].job.command[2]"],
    ["/bin/sh in command, the script in args", { command: ["/bin/sh", "-c"], args: ["echo ${{ incident.title }}"] }, "spec.steps[1].job.args[0]"],
    ["bash -ec", { command: ["bash", "-ec", "echo ${{ incident.title }}"] }, "spec.steps[1].job.command[2]"],
    ["ash -xc", { command: ["ash", "-xc", "echo ${{ incident.title }}"] }, "spec.steps[1].job.command[2]"],
    ["zsh -c", { command: ["/usr/bin/zsh", "-c", "echo ${{ incident.title }}"] }, "spec.steps[1].job.command[2]"],
    ["dash with options before -c", { command: ["dash", "-e", "-o", "nounset", "-c", "echo ${{ incident.title }}"] }, "spec.steps[1].job.command[5]"],
    ["bash with a long option", { command: ["/bin/bash", "--norc", "-c", "echo ${{ incident.title }}"] }, "spec.steps[1].job.command[3]"],
    ["env sh -c", { command: ["/usr/bin/env", "sh", "-c", "echo ${{ incident.title }}"] }, "spec.steps[1].job.command[3]"],
    ["sh -c in args without a command", { args: ["sh", "-c", "echo ${{ incident.title }}"] }, "spec.steps[1].job.args[2]"],
    ["sh -c after --", { command: ["sh", "-c", "--", "echo ${{ incident.title }}"] }, "spec.steps[1].job.command[3]"],
  ])("warns about %s", (_, spec, field) => {
    expect(shellTemplateWarnings(job(spec))).toEqual([{ field, reason: "TemplateInShellScript", message: unquoted }]);
  });

  it.each<[string, Omit<JobStep, "image">]>([
    ["a value passed as its own argument", { command: ["sh", "-c", 'echo "$1"', "sh", "${{ incident.title }}"] }],
    ["an environment variable", { command: ["sh", "-c", 'echo "$TITLE"'], env: [{ name: "TITLE", value: "${{ incident.title }}" }] }],
    ["shellQuote", { command: ["sh", "-c", "echo ${{ shellQuote(incident.title) }} && echo ${{shellQuote(event.data.rule)}}"] }],
    ["an escaped ${{", { command: ["sh", "-c", "echo '$${{ incident.title }}'"] }],
    ["a program that is not a shell", { command: ["scanner", "-c", "${{ incident.title }}"] }],
    ["a shell without -c (a script file)", { command: ["sh", "/scripts/run.sh", "${{ incident.title }}"] }],
    ["a shell whose -c follows the script", { command: ["sh", "/scripts/run.sh", "-c", "${{ incident.title }}"] }],
    ["a template that does not parse (the compiler reports it)", { command: ["sh", "-c", "echo ${{ incident.title"] }],
  ])("does not warn about %s", (_, spec) => {
    expect(shellTemplateWarnings(job(spec))).toEqual([]);
  });

  it("warns about each unquoted expression and a shellQuote that the script's quotes undo", () => {
    const warnings = shellTemplateWarnings(
      job({ command: ["sh", "-c", `echo '\${{ shellQuote(incident.title) }}' "\${{ shellQuote(incident.name) }}" \${{ incident.name + "x" }}`] }),
    );
    expect(warnings).toEqual([
      { field: "spec.steps[1].job.command[2]", reason: "TemplateInShellScript", message: "${{ shellQuote(incident.title) }} stands inside single quotes of the shell script, which undo its quoting; write it outside quotes" },
      { field: "spec.steps[1].job.command[2]", reason: "TemplateInShellScript", message: "${{ shellQuote(incident.name) }} stands inside double quotes of the shell script, which undo its quoting; write it outside quotes" },
      { field: "spec.steps[1].job.command[2]", reason: "TemplateInShellScript", message: expect.stringMatching(/^\$\{\{ incident\.name \+ "x" \}\} inside a shell script is run as shell code/) as unknown },
    ]);
  });

  it("reads the script's own quotes and escapes", () => {
    expect(shellTemplateWarnings(job({ command: ["sh", "-c", `echo "it's" \\' \${{ shellQuote(incident.title) }}`] }))).toEqual([]);
  });
});
