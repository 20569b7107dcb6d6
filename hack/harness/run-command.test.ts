import { describe, expect, it } from "vitest";
import { runCommand } from "./run-command.ts";

describe("runCommand", () => {
  it("resolves with stdout", async () => {
    expect(await runCommand("bash", ["-c", "echo out; echo err >&2"])).toBe("out\n");
  });

  it.each([
    { name: "a non-zero exit", command: "bash", args: ["-c", "echo broken >&2; exit 3"], error: "bash -c echo broken >&2; exit 3 failed (exit code 3): broken" },
    { name: "a missing command", command: "kube-soar-no-such-command", args: [], error: "kube-soar-no-such-command  failed (exit code ENOENT): spawn kube-soar-no-such-command ENOENT" },
  ])("names the command, the status and stderr on $name", async ({ command, args, error }) => {
    await expect(runCommand(command, args)).rejects.toThrow(error);
  });

  it("passes the given environment instead of its own", async () => {
    expect(await runCommand("/bin/sh", ["-c", 'echo "$ONLY_THIS"'], { env: { ONLY_THIS: "set" } })).toBe("set\n");
  });
});
