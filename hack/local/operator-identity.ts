import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  AuthenticationV1TokenRequest,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  V1TokenRequestSpec,
  type KubernetesObject,
} from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";
import { REPO_ROOT } from "../harness/binaries.ts";

/** Where the operator's ServiceAccount and its RBAC live (config/rbac). */
export const OPERATOR_NAMESPACE = "soar-system";
export const OPERATOR_SERVICE_ACCOUNT = "kube-soar";

const RBAC_DIR = join(REPO_ROOT, "config", "rbac");
const FIELD_MANAGER = "kube-soar-local";

function isObject(value: unknown): value is KubernetesObject {
  return typeof value === "object" && value !== null && typeof (value as { kind?: unknown }).kind === "string";
}

/**
 * Server-side applies every manifest of config/rbac (the ServiceAccount, its roles and
 * bindings), after creating the operator's namespace when missing. Idempotent.
 */
export async function applyOperatorRbac(admin: KubeConfig): Promise<void> {
  const objects = KubernetesObjectApi.makeApiClient(admin);
  const namespace = { apiVersion: "v1", kind: "Namespace", metadata: { name: OPERATOR_NAMESPACE } };
  await objects.patch(namespace, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
  const files = (await readdir(RBAC_DIR)).filter((name) => name.endsWith(".yaml") && name !== "kustomization.yaml").sort();
  for (const file of files) {
    for (const document of parseAllDocuments(await readFile(join(RBAC_DIR, file), "utf8"))) {
      const manifest: unknown = document.toJS();
      if (!isObject(manifest)) throw new Error(`config/rbac/${file} holds something that is not an object`);
      await objects.patch(manifest, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
    }
  }
}

/**
 * A KubeConfig for the API server of `admin` that authenticates with a fresh token of the
 * ServiceAccount `namespace/account` (a TokenRequest, valid `expirationSeconds`), as a Pod of
 * that ServiceAccount would.
 */
export async function serviceAccountConfig(admin: KubeConfig, namespace: string, account: string, expirationSeconds = 3600): Promise<KubeConfig> {
  const request = new AuthenticationV1TokenRequest();
  request.spec = new V1TokenRequestSpec();
  request.spec.audiences = [];
  request.spec.expirationSeconds = expirationSeconds;
  const answer = await admin.makeApiClient(CoreV1Api).createNamespacedServiceAccountToken({ name: account, namespace, body: request });
  const token = answer.status?.token;
  if (token === undefined || token === "") throw new Error(`TokenRequest for ServiceAccount ${namespace}/${account}: no token in the answer`);
  const cluster = admin.getCurrentCluster();
  if (cluster === null) throw new Error("the admin kubeconfig has no current cluster");
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [cluster],
    users: [{ name: account, token }],
    contexts: [{ name: account, cluster: cluster.name, user: account }],
    currentContext: account,
  });
  return config;
}

/** How long the token of a local operator's kubeconfig is valid: a day of `npm run local`. */
export const OPERATOR_TOKEN_SECONDS = 24 * 60 * 60;

/**
 * Applies config/rbac and writes to `path` a kubeconfig of the operator's own ServiceAccount
 * (a token valid {@link OPERATOR_TOKEN_SECONDS}), so that a local operator process runs with
 * exactly the permissions it has in a cluster.
 */
export async function writeOperatorKubeconfig(admin: KubeConfig, path: string): Promise<void> {
  await applyOperatorRbac(admin);
  const config = await serviceAccountConfig(admin, OPERATOR_NAMESPACE, OPERATOR_SERVICE_ACCOUNT, OPERATOR_TOKEN_SECONDS);
  await writeFile(path, config.exportConfig(), { mode: 0o600 });
}
