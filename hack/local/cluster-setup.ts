import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  ApiextensionsV1Api,
  CustomObjectsApi,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
  type V1CustomResourceDefinition,
} from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";
import { API_VERSION, ConditionType, GROUP, Kind, Plural, VERSION } from "../../src/api/v1alpha1/constants.ts";
import type { Playbook } from "../../src/api/v1alpha1/types.generated.ts";
import { REPO_ROOT } from "../harness/binaries.ts";
import { waitFor } from "../harness/wait-for.ts";

/** A manifest as plain data. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

const FIELD_MANAGER = "kube-soar-local";
const READY_TIMEOUT_MS = 60_000;

/** The YAML documents of a file that are objects, each with the file name for errors. */
async function yamlObjects(path: string): Promise<Record<string, unknown>[]> {
  const objects: Record<string, unknown>[] = [];
  for (const document of parseAllDocuments(await readFile(path, "utf8"))) {
    if (document.errors.length > 0) throw new Error(`${path}: ${document.errors.map((error) => error.message).join("; ")}`);
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    if (typeof value !== "object" || Array.isArray(value)) throw new Error(`${path}: a document is not a YAML mapping`);
    objects.push(value as Record<string, unknown>);
  }
  return objects;
}

function isEstablished(crd: V1CustomResourceDefinition): boolean {
  return (crd.status?.conditions ?? []).some((condition) => condition.type === "Established" && condition.status === "True");
}

/**
 * Server-side applies every CustomResourceDefinition of `crds/` and resolves once each is
 * Established and its kind is served. The typed apiextensions client sends the manifests as
 * they are (KubernetesObjectApi would drop `x-kubernetes-*` keys while re-serialising).
 */
export async function installCrds(kubeConfig: KubeConfig): Promise<string[]> {
  const dir = join(REPO_ROOT, "crds");
  const files = (await readdir(dir)).filter((file) => file.endsWith(".yaml") && file !== "kustomization.yaml").sort();
  const extensions = kubeConfig.makeApiClient(ApiextensionsV1Api);
  const apply = setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply);
  const crds: V1CustomResourceDefinition[] = [];
  for (const file of files) {
    for (const object of await yamlObjects(join(dir, file))) {
      const crd = object as unknown as V1CustomResourceDefinition;
      const name = crd.metadata?.name;
      if (object["kind"] !== "CustomResourceDefinition" || name === undefined) throw new Error(`crds/${file}: expected named CustomResourceDefinitions`);
      await extensions.patchCustomResourceDefinition({ name, body: crd, fieldManager: FIELD_MANAGER, force: true }, apply);
      crds.push(crd);
    }
  }
  for (const crd of crds) {
    const name = crd.metadata?.name ?? "";
    await waitFor(async () => isEstablished(await extensions.readCustomResourceDefinition({ name })), {
      timeoutMs: READY_TIMEOUT_MS,
      description: `CustomResourceDefinition ${name} to be Established`,
    });
    // A fresh client per attempt: KubernetesObjectApi caches discovery, which may predate the CRD.
    await waitFor(async () => await KubernetesObjectApi.makeApiClient(kubeConfig).list(API_VERSION, crd.spec.names.kind, "default"), {
      timeoutMs: READY_TIMEOUT_MS,
      description: `${crd.spec.names.kind} objects to be served`,
    });
  }
  return crds.map((crd) => crd.metadata?.name ?? "");
}

/** Creates a namespace unless it exists. */
export async function ensureNamespace(kubeConfig: KubeConfig, name: string): Promise<void> {
  const namespace: Manifest = { apiVersion: "v1", kind: "Namespace", metadata: { name } };
  await createUnlessExists(KubernetesObjectApi.makeApiClient(kubeConfig), namespace);
}

async function createUnlessExists(objects: KubernetesObjectApi, object: Manifest): Promise<void> {
  try {
    await objects.create(object);
  } catch (error: unknown) {
    if (!(error instanceof Error && "code" in error && error.code === 409)) throw error;
  }
}

/** Order in which sample kinds are created: what others refer to first. */
const SAMPLE_ORDER: readonly string[] = ["Secret", Kind.Connector, Kind.Playbook];

/**
 * The objects of `config/samples/*.yaml` (kustomization excluded) in creation order, with
 * `namespace` set. Incidents are left out: `npm run local` gets its Incident from an alert.
 */
export async function loadSamples(namespace: string): Promise<Manifest[]> {
  const dir = join(REPO_ROOT, "config", "samples");
  const files = (await readdir(dir)).filter((file) => file.endsWith(".yaml") && file !== "kustomization.yaml").sort();
  const samples: Manifest[] = [];
  for (const file of files) {
    for (const object of await yamlObjects(join(dir, file))) {
      const { apiVersion, kind, metadata } = object;
      const name = typeof metadata === "object" && metadata !== null ? (metadata as Record<string, unknown>)["name"] : undefined;
      if (typeof apiVersion !== "string" || typeof kind !== "string" || typeof name !== "string") {
        throw new Error(`config/samples/${file}: every object needs apiVersion, kind and metadata.name`);
      }
      if (kind === Kind.Incident) continue;
      samples.push({ ...object, apiVersion, kind, metadata: { ...(metadata as Manifest["metadata"]), namespace } });
    }
  }
  const rank = (object: Manifest): number => {
    const index = SAMPLE_ORDER.indexOf(object.kind);
    return index === -1 ? SAMPLE_ORDER.length : index;
  };
  return samples.sort((a, b) => rank(a) - rank(b));
}

/**
 * Creates the sample objects (see {@link loadSamples}) in `namespace`, as `adjust` changes them
 * when given; resolves with `Kind/name` of each.
 */
export async function applySamples(kubeConfig: KubeConfig, namespace: string, adjust: (samples: Manifest[]) => Manifest[] = (samples) => samples): Promise<string[]> {
  const objects = KubernetesObjectApi.makeApiClient(kubeConfig);
  const created: string[] = [];
  for (const sample of adjust(await loadSamples(namespace))) {
    await objects.create(sample);
    created.push(`${sample.kind}/${sample.metadata.name}`);
  }
  return created;
}

/**
 * Creates a Pod bound to `nodeName` (the kwok node, which reports it Running) with one container
 * named `container`, as the workload an alert talks about, and resolves once it is Running.
 */
export async function createTargetPod(
  kubeConfig: KubeConfig,
  target: { namespace: string; name: string; container: string; nodeName: string },
): Promise<void> {
  const objects = KubernetesObjectApi.makeApiClient(kubeConfig);
  const pod: Manifest = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: target.name, namespace: target.namespace, labels: { app: "report-gen" } },
    spec: { nodeName: target.nodeName, containers: [{ name: target.container, image: "registry.example.com/batch/report-gen:2.4.1" }] },
  };
  // Retried: a new namespace's default ServiceAccount, which admission requires, comes a moment later.
  await waitFor(
    async () => {
      await createUnlessExists(objects, pod);
      return true;
    },
    { timeoutMs: READY_TIMEOUT_MS, intervalMs: 200, description: `Pod ${target.namespace}/${target.name} to be created` },
  );
  await waitFor(
    async () => {
      const current = await objects.read(pod);
      return (current as { status?: { phase?: string } }).status?.phase === "Running";
    },
    { timeoutMs: READY_TIMEOUT_MS, intervalMs: 200, description: `Pod ${target.namespace}/${target.name} to be Running` },
  );
}

/** A Playbook's Ready condition as its reconciler reported it for the current generation. */
export interface PlaybookReadiness {
  name: string;
  status: string;
  reason: string;
  message: string;
}

/**
 * Resolves with the Ready condition of every Playbook of `namespace` once the Playbook
 * reconciler has reported one for each Playbook's current generation (True or False: a
 * Playbook that is not Ready takes no part in matching, which is worth telling).
 */
export async function waitForPlaybookReadiness(kubeConfig: KubeConfig, namespace: string, timeoutMs = READY_TIMEOUT_MS): Promise<PlaybookReadiness[]> {
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  return await waitFor(
    async () => {
      const list = (await custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: Plural.Playbook })) as { items: Playbook[] };
      const readiness: PlaybookReadiness[] = [];
      for (const playbook of list.items) {
        const ready = playbook.status?.conditions?.find((condition) => condition.type === ConditionType.Ready);
        if (ready === undefined || ready.observedGeneration !== playbook.metadata.generation) return undefined;
        readiness.push({ name: playbook.metadata.name ?? "", status: ready.status, reason: ready.reason, message: ready.message });
      }
      return readiness;
    },
    { timeoutMs, intervalMs: 200, description: `the Playbooks of ${namespace} to be reconciled` },
  );
}
