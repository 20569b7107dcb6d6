import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { inject } from "vitest";
import { parseAllDocuments, stringify } from "yaml";
import { binaryPath } from "../../hack/harness/binaries.ts";

/** The checkout's root, where charts/ and config/ live. */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** A Kubernetes object as rendered by helm or kustomize: plain data. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string> };
  readonly [field: string]: unknown;
}

/** What a command printed, and its exit code (0 on success). */
export interface ToolRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs helm or kubectl of the tool cache against the harness control plane (`--kubeconfig`),
 * from the checkout's root; resolves with the exit code and output, whatever the code.
 */
export async function runTool(name: "helm" | "kubectl", args: readonly string[]): Promise<ToolRun> {
  const binary = await binaryPath(inject("binDir"), name);
  try {
    const { stdout, stderr } = await promisify(execFile)(binary, ["--kubeconfig", inject("kubeconfig"), ...args], {
      cwd: REPO_ROOT,
      maxBuffer: 32 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error: unknown) {
    const failed = error as Error & { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== "number") throw error;
    return { code: failed.code, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

/** Like {@link runTool}, but rejects with the command and its stderr when it fails; resolves with stdout. */
export async function tool(name: "helm" | "kubectl", ...args: string[]): Promise<string> {
  const run = await runTool(name, args);
  if (run.code !== 0) throw new Error(`${name} ${args.join(" ")} exited ${run.code}: ${run.stderr}`);
  return run.stdout;
}

/** The objects of a multi-document YAML stream, empty documents left out. */
export function manifests(yaml: string): Manifest[] {
  return parseAllDocuments(yaml)
    .map((document) => document.toJS() as Manifest | null)
    .filter((manifest): manifest is Manifest => manifest !== null);
}

/** Writes `objects` to a temporary YAML file and resolves with its path, for `kubectl -f`. */
export async function manifestFile(objects: readonly unknown[]): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "kube-soar-install-"));
  const file = path.join(dir, "objects.yaml");
  await writeFile(file, objects.map((object) => stringify(object)).join("---\n"));
  return file;
}

/** The one object of `kind` (and `name`, when given) among `objects`; throws naming it when absent. */
export function only(objects: readonly Manifest[], kind: string, name?: string): Manifest {
  const found = objects.filter((object) => object.kind === kind && (name === undefined || object.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name === undefined ? "" : ` ${name}`}, found ${found.length}`);
  return found[0] as Manifest;
}
