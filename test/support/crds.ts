import { readFile, readdir } from "node:fs/promises";
import type { KubeConfig, V1CustomResourceDefinition } from "@kubernetes/client-node";
import { ApiextensionsV1Api, KubernetesObjectApi, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { parse } from "yaml";
import { API_VERSION } from "../../src/api/v1alpha1/constants.ts";
import { waitFor } from "./kube.ts";

/** Directory of the generated CRD manifests. */
export const CRD_DIR = new URL("../../crds/", import.meta.url);

const FIELD_MANAGER = "kube-soar-tests";
const ESTABLISH_TIMEOUT_MS = 60_000;

function isCrd(value: unknown): value is V1CustomResourceDefinition & { metadata: { name: string } } {
  if (typeof value !== "object" || value === null) return false;
  const object = value as Record<string, unknown>;
  const metadata = object["metadata"];
  return (
    object["kind"] === "CustomResourceDefinition" &&
    typeof metadata === "object" &&
    metadata !== null &&
    typeof (metadata as Record<string, unknown>)["name"] === "string"
  );
}

/** The CustomResourceDefinitions in `crds/`, parsed; throws naming the file that holds something else. */
export async function loadCrds(): Promise<(V1CustomResourceDefinition & { metadata: { name: string } })[]> {
  const files = (await readdir(CRD_DIR)).filter((name) => name.endsWith(".yaml") && name !== "kustomization.yaml").sort();
  const crds = [];
  for (const file of files) {
    const parsed: unknown = parse(await readFile(new URL(file, CRD_DIR), "utf8"));
    if (!isCrd(parsed)) throw new Error(`crds/${file} does not hold a named CustomResourceDefinition`);
    crds.push(parsed);
  }
  return crds;
}

function isEstablished(crd: V1CustomResourceDefinition): boolean {
  return (crd.status?.conditions ?? []).some((condition) => condition.type === "Established" && condition.status === "True");
}

/**
 * Server-side applies every CRD of `crds/` and resolves once each is Established and its
 * kind is served (discovery included), so that objects of every kind can be created right
 * away. Idempotent and safe to call concurrently from several test files.
 */
export async function ensureCrds(kubeConfig: KubeConfig): Promise<void> {
  const crds = await loadCrds();
  const extensions = kubeConfig.makeApiClient(ApiextensionsV1Api);
  // The typed API sends the body as is; KubernetesObjectApi would re-serialize it through the
  // client's model classes, which drops `enum`, `default` and the x-kubernetes-* keys.
  const serverSideApply = setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply);
  for (const crd of crds) {
    await extensions.patchCustomResourceDefinition(
      { name: crd.metadata.name, body: crd, fieldManager: FIELD_MANAGER, force: true },
      serverSideApply,
    );
  }
  await Promise.all(
    crds.map(async (crd) => {
      const name = crd.metadata.name;
      await waitFor(async () => isEstablished(await extensions.readCustomResourceDefinition({ name })), {
        timeoutMs: ESTABLISH_TIMEOUT_MS,
        description: `CustomResourceDefinition ${name} to be Established`,
      });
      const kind = crd.spec.names.kind;
      // A fresh client per attempt: KubernetesObjectApi caches discovery, which may predate the CRD.
      await waitFor(async () => await KubernetesObjectApi.makeApiClient(kubeConfig).list(API_VERSION, kind, "default"), {
        timeoutMs: ESTABLISH_TIMEOUT_MS,
        description: `${kind} objects to be served`,
      });
    }),
  );
}
