import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createExpressionCompiler } from "./compiler.ts";
import { shellQuote } from "./shell-quote.ts";
import { compileTemplate, renderTemplate } from "./templates.ts";

/** What a real POSIX shell prints for `printf %s <word>`. */
function printedByShell(word: string): string {
  return execFileSync("/bin/sh", ["-c", `printf %s ${word}`], { encoding: "utf8" });
}

// An argument of a process cannot hold NUL, so no shell script can either.
const scriptText = fc.string({ unit: "binary", maxLength: 40 }).filter((text) => !text.includes("\u0000"));

describe("shellQuote", () => {
  it.each<[string, string]>([
    ["", "''"],
    ["plain", "'plain'"],
    ["it's", `'it'\\''s'`],
    ["''", `''\\'''\\'''`],
  ])("quotes %j as %s", (text, quoted) => {
    expect(shellQuote(text)).toBe(quoted);
  });

  it.each(["", "'", "a'b'c", "$(id)", "`id`", "$HOME", "a\nb; rm -rf /", "\\", "!x", "*", "<!channel>", "-n", "\t \r"])(
    "is read back by /bin/sh as %j",
    (text) => {
      expect(printedByShell(shellQuote(text))).toBe(text);
    },
  );

  it("is read back by /bin/sh as any string without NUL", () => {
    fc.assert(
      fc.property(scriptText, (text) => {
        expect(printedByShell(shellQuote(text))).toBe(text);
      }),
      { numRuns: 40 },
    );
  });

  it("is a template function of the step context", () => {
    const compiled = compileTemplate(createExpressionCompiler(), "echo ${{ shellQuote(incident.title) }}");
    if (!compiled.ok) throw new Error(compiled.message);
    expect(renderTemplate(compiled.template, { incident: { title: "it's $(id)" } })).toEqual({ ok: true, value: `echo 'it'\\''s $(id)'` });
  });
});
