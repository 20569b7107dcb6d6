import { readFileSync } from "node:fs";
import { KubernetesObjectApi, PatchStrategy, type KubeConfig, type KubernetesObject } from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";
import { TenancyPolicy } from "../../src/api/v1alpha1/constants.ts";
import type { CliIO } from "../../src/cli/command.ts";
import { CLI_COMMANDS } from "../../src/cli/commands.ts";
import { runCli } from "../../src/cli/run-cli.ts";

/** What one `kubectl soar` run printed and its exit code. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A `kubectl soar` run in progress, its output so far readable while it runs. */
export interface RunningCli {
  readonly output: { stdout: string; stderr: string };
  readonly done: Promise<CliRun>;
}

/** Starts `kubectl soar <args>` in this process, as the executable runs it, with `env` as its environment. */
export function startCli(args: readonly string[], env: Record<string, string | undefined> = {}): RunningCli {
  const output = { stdout: "", stderr: "" };
  const io: CliIO = {
    stdout: (text) => { output.stdout += text; },
    stderr: (text) => { output.stderr += text; },
    env,
    cwd: process.cwd(),
  };
  return { output, done: runCli(args, io, CLI_COMMANDS).then((code) => ({ code, ...output })) };
}

/** Runs `kubectl soar <args>` to its end. */
export async function cli(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  return await startCli(args, env).done;
}

function manifests(relative: string): KubernetesObject[] {
  const text = readFileSync(new URL(`../../${relative}`, import.meta.url), "utf8");
  return parseAllDocuments(text).map((document) => document.toJS() as KubernetesObject);
}

/**
 * Applies the shipped ClusterRole soar-approver and the approvals admission policy, bound under
 * `bindingName` to namespace `namespace` only (other test files share the control plane and write
 * approvals as the admin). Resolves with a function that deletes the binding.
 */
export async function installApprovalsPolicy(admin: KubeConfig, namespace: string, bindingName: string): Promise<() => Promise<void>> {
  const objects = KubernetesObjectApi.makeApiClient(admin);
  const apply = (manifest: KubernetesObject): Promise<unknown> => objects.patch(manifest, undefined, undefined, "kube-soar-tests", true, PatchStrategy.ServerSideApply);
  for (const manifest of manifests("config/rbac/soar-approver-role.yaml")) await apply(manifest);
  for (const manifest of manifests("config/admission/incident-approvals-policy.yaml")) await apply(manifest);
  const binding = {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicyBinding",
    metadata: { name: bindingName },
    spec: {
      policyName: TenancyPolicy.IncidentApprovals,
      validationActions: ["Deny"],
      matchResources: { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": namespace } } },
    },
  };
  await apply(binding);
  return async () => {
    await objects.delete(binding);
  };
}

/** Binds `subject` (a User or a Group) to `role` in `namespace`. */
export async function bind(admin: KubeConfig, namespace: string, subject: { kind: "User" | "Group"; name: string }, role: { kind: "Role" | "ClusterRole"; name: string }): Promise<void> {
  await KubernetesObjectApi.makeApiClient(admin).create({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name: `${subject.name}-${role.name}`, namespace },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", ...role },
    subjects: [{ apiGroup: "rbac.authorization.k8s.io", ...subject }],
  });
}
