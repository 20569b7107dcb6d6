import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import type https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CliFailure, UsageError } from "./cli-errors.ts";
import type { CliIO } from "./command.ts";
import { loadCliCluster } from "./cli-kube-config.ts";
import { kubeFlagsOf } from "./kube-flags.ts";

const directory = mkdtempSync(path.join(tmpdir(), "cli-kube-config-"));

function kubeconfig(file: string, contexts: { name: string; namespace?: string }[], current: string): string {
  const target = path.join(directory, file);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(
    target,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: contexts.map((context) => ({ name: context.name, cluster: { server: `https://${context.name}.example:6443` } })),
      users: contexts.map((context) => ({ name: context.name, user: { token: `token-${context.name}` } })),
      contexts: contexts.map((context) => ({ name: context.name, context: { cluster: context.name, user: context.name, ...(context.namespace === undefined ? {} : { namespace: context.namespace }) } })),
      "current-context": current,
    }),
  );
  return target;
}

const io = (env: Record<string, string>): CliIO => ({ stdout: () => undefined, stderr: () => undefined, env, cwd: directory });
const flags = (values: Parameters<typeof kubeFlagsOf>[0]) => kubeFlagsOf(values);

describe("loadCliCluster", () => {
  const first = kubeconfig("a.json", [{ name: "prod", namespace: "soar" }], "prod");
  const second = kubeconfig("b.json", [{ name: "dev" }], "dev");

  it("reads KUBECONFIG's files merged, the first current context winning, and the context's namespace", () => {
    const cluster = loadCliCluster(flags({}), io({ KUBECONFIG: `${first}${path.delimiter}missing.json${path.delimiter}${second}` }));
    expect(cluster.kubeConfig.getCurrentContext()).toBe("prod");
    expect(cluster.namespace).toBe("soar");
    expect(cluster.kubeConfig.getContexts().map((context) => context.name)).toEqual(["prod", "dev"]);
  });

  it("switches to --context, whose namespace is default unless -n says otherwise", () => {
    expect(loadCliCluster(flags({ context: "dev" }), io({ KUBECONFIG: `${first}${path.delimiter}${second}` })).namespace).toBe("default");
    expect(loadCliCluster(flags({ kubeconfig: "b.json", namespace: "shop" }), io({})).namespace).toBe("shop");
  });

  it("reads ~/.kube/config when nothing else is given", () => {
    kubeconfig("home/.kube/config", [{ name: "home" }], "home");
    expect(loadCliCluster(flags({}), io({ HOME: path.join(directory, "home") })).kubeConfig.getCurrentContext()).toBe("home");
  });

  it("impersonates --as and --as-group in every request", async () => {
    const cluster = loadCliCluster(flags({ kubeconfig: first, as: "alice", "as-group": ["on-call", "sre"] }), io({}));
    const options: https.RequestOptions = {};
    await cluster.kubeConfig.applyToHTTPSOptions(options);
    expect(options.headers).toMatchObject({ "Impersonate-User": "alice", "Impersonate-Group": ["on-call", "sre"], Authorization: "Bearer token-prod" });
  });

  it.each([
    ["a missing --kubeconfig", flags({ kubeconfig: "nope.json" }), {}, CliFailure],
    ["no kubeconfig at all", flags({}), { HOME: path.join(directory, "nowhere") }, CliFailure],
    ["an unknown --context", flags({ kubeconfig: first, context: "staging" }), {}, CliFailure],
    ["--as-group without --as", flags({ kubeconfig: first, "as-group": ["sre"] }), {}, UsageError],
  ])("refuses %s", (_case, given, env, kind) => {
    expect(() => loadCliCluster(given, io(env))).toThrow(kind);
  });
});
