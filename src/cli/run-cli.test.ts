import { describe, expect, it } from "vitest";
import { CliFailure, UsageError } from "./cli-errors.ts";
import type { CliCommand, CliIO } from "./command.ts";
import { cliHelp, runCli } from "./run-cli.ts";

function capture(): { io: CliIO; out: { stdout: string; stderr: string } } {
  const out = { stdout: "", stderr: "" };
  return { out, io: { stdout: (text) => { out.stdout += text; }, stderr: (text) => { out.stderr += text; }, env: {}, cwd: "/" } };
}

const commands: CliCommand[] = [
  { name: "ok", summary: "succeeds", usage: "Usage: ok\n", run: (args, io) => { io.stdout(`ok ${args.join(" ")}\n`); return Promise.resolve(0); } },
  { name: "misuse", summary: "a usage error", usage: "", run: () => Promise.reject(new UsageError("name the Incident")) },
  { name: "fail", summary: "a failure", usage: "", run: () => Promise.reject(new CliFailure("Incident \"x\" not found")) },
  { name: "diff", summary: "differences", usage: "", run: () => Promise.resolve(1) },
];

describe("runCli", () => {
  it("runs the named command with the rest of the arguments", async () => {
    const { io, out } = capture();
    expect(await runCli(["ok", "a", "-n", "b"], io, commands)).toBe(0);
    expect(out.stdout).toBe("ok a -n b\n");
  });

  it("lists the commands for --help, -h and help, and shows a command's help", async () => {
    for (const flag of ["--help", "-h", "help"]) {
      const { io, out } = capture();
      expect(await runCli([flag], io, commands)).toBe(0);
      expect(out.stdout).toBe(cliHelp(commands));
    }
    const { io, out } = capture();
    expect(await runCli(["help", "ok"], io, commands)).toBe(0);
    expect(out.stdout).toBe("Usage: ok\n");
    expect(cliHelp(commands)).toContain("\n  ok       succeeds\n  misuse   a usage error\n");
  });

  it.each([
    [[], 2, ""],
    [["nope"], 2, 'error: unknown command "nope"\n'],
    [["help", "nope"], 2, 'error: unknown command "nope"\n'],
    [["misuse"], 2, "error: name the Incident\nSee 'kubectl soar misuse --help'.\n"],
    [["fail"], 1, 'error: Incident "x" not found\n'],
    [["diff"], 1, ""],
  ])("%j exits %i", async (args, code, stderr) => {
    const { io, out } = capture();
    expect(await runCli(args, io, commands)).toBe(code);
    expect(out.stderr.startsWith(stderr)).toBe(true);
  });
});
