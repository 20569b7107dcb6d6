import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { KubeConfig, KubernetesObject } from "@kubernetes/client-node";
import { ApiException, ApiextensionsV1Api, CoreV1Api, KubernetesObjectApi, PatchStrategy } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { API_VERSION } from "../../src/api/v1alpha1/constants.ts";
import type { AlertSuppression, Playbook } from "../../src/api/v1alpha1/types.generated.ts";
import { createExpressionCompiler } from "../../src/expr/index.ts";
import { compilePlaybook } from "../../src/playbook/index.ts";
import { compileSuppression } from "../../src/suppression/index.ts";
import { ensureCrds, loadCrds } from "../support/crds.ts";
import { createTestNamespace, loadKubeConfig, waitFor } from "../support/kube.ts";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const samplesDir = path.join(repoRoot, "config/samples");
const FIELD_MANAGER = "kube-soar-crd-tests";

/** An object as written in YAML: plain data, metadata included. */
interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec?: unknown;
  readonly [field: string]: unknown;
}

interface StatusCause {
  readonly field?: string;
  readonly message?: string;
  readonly reason?: string;
}

let kubeConfig: KubeConfig;
let objects: KubernetesObjectApi;
let namespace = "";

async function kubectl(...args: string[]): Promise<string> {
  const binary = path.join(inject("binDir"), "kubectl");
  const { stdout } = await promisify(execFile)(binary, ["--kubeconfig", inject("kubeconfig"), ...args], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

async function loadSamples(): Promise<Manifest[]> {
  const kustomization = parseAllDocuments(await readFile(path.join(samplesDir, "kustomization.yaml"), "utf8"))[0]?.toJS() as
    | { resources?: string[] }
    | undefined;
  const manifests: Manifest[] = [];
  for (const resource of kustomization?.resources ?? []) {
    for (const document of parseAllDocuments(await readFile(path.join(samplesDir, resource), "utf8"))) {
      manifests.push(document.toJS() as Manifest);
    }
  }
  return manifests;
}

async function apply(manifest: Manifest, dryRun?: "All"): Promise<KubernetesObject> {
  const namespaced: Manifest = { ...manifest, metadata: { ...manifest.metadata, namespace } };
  return await objects.patch(namespaced, undefined, dryRun, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
}

/** The spec of an object of this test's namespace, as plain JSON. */
async function readSpec(kind: string, name: string): Promise<Record<string, unknown>> {
  const object: unknown = await objects.read({ apiVersion: API_VERSION, kind, metadata: { name, namespace } });
  const spec: unknown = (object as { spec?: unknown }).spec;
  if (typeof spec !== "object" || spec === null) throw new Error(`${kind}/${name} has no spec`);
  return spec as Record<string, unknown>;
}

function stepNamed(spec: Record<string, unknown>, name: string): unknown {
  const steps = Array.isArray(spec["steps"]) ? (spec["steps"] as unknown[]) : [];
  return steps.find((candidate) => typeof candidate === "object" && candidate !== null && (candidate as { name?: unknown }).name === name);
}

/** The causes of a rejected request (the apiserver's Status details), or the error itself when it is not one. */
async function rejection(request: Promise<unknown>): Promise<{ code: number; message: string; causes: StatusCause[] }> {
  try {
    await request;
  } catch (error: unknown) {
    if (!(error instanceof ApiException)) throw error;
    const body: unknown = typeof error.body === "string" ? JSON.parse(error.body) : error.body;
    const status = body as { message?: string; details?: { causes?: StatusCause[] } };
    return { code: error.code, message: status.message ?? "", causes: status.details?.causes ?? [] };
  }
  throw new Error("the apiserver accepted the object");
}

function playbook(name: string, spec: Record<string, unknown>): Manifest {
  return { apiVersion: API_VERSION, kind: "Playbook", metadata: { name }, spec };
}

const trigger = { types: ["falco.rule.output.v1"] };
const notify = { connector: "slack", message: "hello" };
const step = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ name, notify, ...extra });

function connector(name: string, spec: Record<string, unknown>): Manifest {
  return { apiVersion: API_VERSION, kind: "Connector", metadata: { name }, spec };
}

const incidentSpec = {
  severity: "high",
  title: "A shell in a container",
  fingerprint: "abc123",
  source: { kind: "falco" },
};

function incident(name: string, spec: Record<string, unknown>): Manifest {
  return { apiVersion: API_VERSION, kind: "Incident", metadata: { name }, spec };
}

beforeAll(async () => {
  kubeConfig = loadKubeConfig();
  await ensureCrds(kubeConfig);
  objects = KubernetesObjectApi.makeApiClient(kubeConfig);
  namespace = await createTestNamespace(kubeConfig, "crds");
});

afterAll(async () => {
  if (namespace !== "") {
    await kubeConfig.makeApiClient(CoreV1Api).deleteNamespace({ name: namespace });
  }
});

describe("ensureCrds", () => {
  it("is idempotent, safe to run concurrently, and leaves every CRD Established as generated", async () => {
    await Promise.all([ensureCrds(kubeConfig), ensureCrds(kubeConfig)]);
    const extensions = kubeConfig.makeApiClient(ApiextensionsV1Api);
    for (const crd of await loadCrds()) {
      const served = await extensions.readCustomResourceDefinition({ name: crd.metadata.name });
      expect(served.spec.names).toMatchObject({ kind: crd.spec.names.kind, categories: ["soar"] });
      expect(served.spec.names.shortNames).toEqual(crd.spec.names.shortNames);
      expect(served.spec.versions[0]?.subresources?.status).toEqual({});
      expect(served.status?.conditions?.find((condition) => condition.type === "Established")?.status).toBe("True");
      const raw = JSON.parse(await kubectl("get", "crd", crd.metadata.name, "-o", "json")) as typeof crd;
      expect(raw.spec.versions[0]?.schema?.openAPIV3Schema, "the served schema is the generated one").toEqual(
        crd.spec.versions[0]?.schema?.openAPIV3Schema,
      );
    }
  });
});

describe("samples", () => {
  it("are all accepted by the apiserver, which fills in the schema defaults", async () => {
    const samples = await loadSamples();
    expect(samples.map((sample) => `${sample.kind}/${sample.metadata.name}`)).toEqual([
      "Secret/slack-secops-webhook",
      "Connector/slack-secops",
      "Playbook/falco-crypto-miner",
      "Playbook/falco-terminal-shell",
      "Playbook/alertmanager-crash-loop",
      "Incident/falco-crypto-miner-7c1d2e9a",
      "AlertSuppression/ci-terminal-shells",
    ]);
    for (const sample of samples) await apply(sample);

    expect(await readSpec("Connector", "slack-secops")).toMatchObject({
      method: "POST",
      timeout: "5s",
      retries: { limit: 3, backoff: "2s" },
    });
    expect(stepNamed(await readSpec("Playbook", "falco-terminal-shell"), "approve")).toMatchObject({
      approval: { timeout: "30m", onTimeout: "reject" },
    });
    const miner = await readSpec("Playbook", "falco-crypto-miner");
    expect(miner).toMatchObject({ dedup: { window: "1h" } });
    expect(stepNamed(miner, "isolate")).toMatchObject({ retries: { limit: 3, backoff: "10s" } });
    expect(await readSpec("Incident", "falco-crypto-miner-7c1d2e9a")).toMatchObject({
      state: "Open",
      event: { data: { output_fields: { "fd.rport": 3333 } } },
    });
  });

  it("compile without problems: their CEL expressions and templates are valid", async () => {
    const compiler = createExpressionCompiler();
    const playbooks = (await loadSamples()).filter((sample) => sample.kind === "Playbook");
    expect(playbooks).toHaveLength(3);
    for (const sample of playbooks) {
      const compiled = compilePlaybook(sample as unknown as Playbook, compiler);
      expect(compiled.problems, sample.metadata.name).toEqual([]);
    }
    const suppressions = (await loadSamples()).filter((sample) => sample.kind === "AlertSuppression");
    expect(suppressions).toHaveLength(1);
    for (const sample of suppressions) expect(compileSuppression(sample as unknown as AlertSuppression, compiler).problems, sample.metadata.name).toEqual([]);
  });

  it("build with kustomize, as do the CRDs", async () => {
    const samples = parseAllDocuments(await kubectl("kustomize", samplesDir)).map((document) => document.toJS() as Manifest);
    expect(samples.map((sample) => sample.kind).sort()).toEqual(
      ["AlertSuppression", "Connector", "Incident", "Playbook", "Playbook", "Playbook", "Secret"].sort(),
    );
    const crds = parseAllDocuments(await kubectl("kustomize", path.join(repoRoot, "config/crd"))).map(
      (document) => document.toJS() as Manifest,
    );
    expect(crds.map((crd) => crd.metadata.name).sort()).toEqual([
      "alertsuppressions.soar.kube-soar.io",
      "connectors.soar.kube-soar.io",
      "incidents.soar.kube-soar.io",
      "playbooks.soar.kube-soar.io",
      "threatfeeds.soar.kube-soar.io",
    ]);
  });
});

describe("validation", () => {
  const tooManySteps = Array.from({ length: 33 }, (_, index) => step(`s${index}`));

  it.each<[string, Manifest, string, string]>([
    [
      "a step with two kinds",
      playbook("two-kinds", { trigger, steps: [{ name: "a", notify, action: { type: "deletePod" } }] }),
      "spec.steps[0]",
      "exactly one of job, action, connector, approval or notify must be set",
    ],
    [
      "a step without a kind",
      playbook("no-kind", { trigger, steps: [{ name: "a" }] }),
      "spec.steps[0]",
      "exactly one of job, action, connector, approval or notify must be set",
    ],
    ["duplicate step names", playbook("duplicate", { trigger, steps: [step("a"), step("a")] }), "spec.steps", "step names must be unique"],
    [
      "needs naming a missing step",
      playbook("unknown-need", { trigger, steps: [step("a"), step("b", { needs: ["a", "ghost"] })] }),
      "spec.steps",
      "every entry of needs must name a step of this playbook",
    ],
    [
      "a step needing itself",
      playbook("self-need", { trigger, steps: [step("a", { needs: ["a"] })] }),
      "spec.steps[0].needs",
      "a step cannot need itself",
    ],
    [
      "an empty trigger",
      playbook("empty-trigger", { trigger: {}, steps: [step("a")] }),
      "spec.trigger",
      "at least one of types, sources or when is required",
    ],
    [
      "a malformed duration",
      playbook("bad-duration", { trigger, dedup: { window: "1d" }, steps: [step("a")] }),
      "spec.dedup.window",
      "should match",
    ],
    [
      "an unknown severity",
      playbook("bad-severity", { trigger: { ...trigger, minSeverity: "urgent" }, steps: [step("a")] }),
      "spec.trigger.minSeverity",
      'Unsupported value: "urgent"',
    ],
    [
      "a step name that is not a DNS label",
      playbook("bad-step-name", { trigger, steps: [step("Isolate")] }),
      "spec.steps[0].name",
      "should match",
    ],
    [
      "a step name over 40 characters",
      playbook("long-step-name", { trigger, steps: [step("s".repeat(41))] }),
      "spec.steps[0].name",
      "may not be more than 40 bytes",
    ],
    ["more than 32 steps", playbook("many-steps", { trigger, steps: tooManySteps }), "spec.steps", "must have at most 32 items"],
    ["no steps", playbook("no-steps", { trigger }), "spec.steps", "Required value"],
    [
      "too many retries",
      playbook("retries", { trigger, steps: [step("a", { retries: { limit: 11 } })] }),
      "spec.steps[0].retries.limit",
      "should be less than or equal to 10",
    ],
    [
      "an action target of the wrong kind",
      playbook("wrong-target", { trigger, steps: [{ name: "a", action: { type: "cordonNode", target: { kind: "Pod" } } }] }),
      "spec.steps[0].action.target.kind",
      "target.kind Pod does not fit action cordonNode",
    ],
    [
      "a namespaced Node",
      playbook("node-namespace", {
        trigger,
        steps: [{ name: "a", action: { type: "cordonNode", target: { kind: "Node", namespace: "x" } } }],
      }),
      "spec.steps[0].action.target.namespace",
      "a Node is cluster-scoped",
    ],
    [
      "an env var with value and valueFrom",
      playbook("env", {
        trigger,
        steps: [
          {
            name: "a",
            job: { image: "busybox", env: [{ name: "X", value: "1", valueFrom: { secretKeyRef: { name: "s", key: "k" } } }] },
          },
        ],
      }),
      "spec.steps[0].job.env[0]",
      "value and valueFrom are mutually exclusive",
    ],
    [
      "a Playbook name over 63 characters",
      playbook("p".repeat(64), { trigger, steps: [step("a")] }),
      "metadata",
      "at most 63 characters",
    ],
    ["a Connector without url", connector("no-url", { type: "http" }), "spec.url", "url or urlSecretRef is required for type http"],
    [
      "a plain http url",
      connector("plain-http", { type: "webhook", url: "http://hooks.example.com/x" }),
      "spec.url",
      "url must use https unless allowInsecureHTTP is true",
    ],
    [
      "both url and urlSecretRef",
      connector("two-urls", { type: "slack", url: "https://hooks.example.com/x", urlSecretRef: { name: "s", key: "url" } }),
      "spec.urlSecretRef",
      "url and urlSecretRef are mutually exclusive",
    ],
    [
      "a pagerduty Connector without its settings",
      connector("pd", { type: "pagerduty" }),
      "spec.pagerduty",
      "pagerduty settings are required for type pagerduty",
    ],
    [
      "hmac auth without header",
      connector("hmac", {
        type: "webhook",
        url: "https://hooks.example.com/x",
        auth: { type: "hmac", secretRef: { name: "s", key: "k" } },
      }),
      "spec.auth.header",
      "header is required for auth types header and hmac",
    ],
    [
      "a malformed header name",
      connector("header", { type: "webhook", url: "https://hooks.example.com/x", headers: { "X Bad": "1" } }),
      "spec.headers",
      "header names must consist of letters, digits and '-'",
    ],
    [
      "an Incident without fingerprint",
      incident("no-fingerprint", { ...incidentSpec, fingerprint: undefined }),
      "spec.fingerprint",
      "Required value",
    ],
    [
      "an Incident title over 256 characters",
      incident("long-title", { ...incidentSpec, title: "t".repeat(257) }),
      "spec.title",
      "may not be more than 256 bytes",
    ],
    [
      "an unknown Incident state",
      incident("bad-state", { ...incidentSpec, state: "Reopened" }),
      "spec.state",
      'Unsupported value: "Reopened"',
    ],
  ])("rejects %s", async (_, manifest, field, message) => {
    const rejected = await rejection(apply(JSON.parse(JSON.stringify(manifest)) as Manifest, "All"));
    expect(rejected.code).toBe(422);
    const cause = rejected.causes.find((candidate) => candidate.field === field);
    expect(cause, `no cause for ${field} in ${JSON.stringify(rejected.causes)}`).toBeDefined();
    expect(cause?.message).toContain(message);
  });

  it.each<[string, Manifest]>([
    ["an in-cluster http Connector that allows it", connector("in-cluster", { type: "http", url: "http://sink.default.svc:8080/x", allowInsecureHTTP: true })],
    ["a pagerduty Connector without url", connector("pagerduty", { type: "pagerduty", pagerduty: { routingKeySecretRef: { name: "pd", key: "routing-key" } } })],
    ["a trigger with only when", playbook("only-when", { trigger: { when: "true" }, steps: [step("a")] })],
    ["label on a Node", playbook("label-node", { trigger, steps: [{ name: "a", action: { type: "label", target: { kind: "Node" }, params: { quarantine: "true" } } }] })],
    ["a manually declared Incident", incident("manual", { ...incidentSpec, source: { kind: "manual" } })],
  ])("accepts %s", async (_, manifest) => {
    const applied = await apply(manifest, "All");
    expect(applied.metadata?.name).toBe(manifest.metadata.name);
  });

  it("keeps an Incident's fingerprint immutable", async () => {
    await apply(incident("immutable", incidentSpec));
    const rejected = await rejection(apply(incident("immutable", { ...incidentSpec, fingerprint: "other" })));
    const cause = rejected.causes.find((candidate) => candidate.field === "spec.fingerprint");
    expect(cause?.message).toContain("fingerprint is immutable");
  });
});

describe("kubectl", () => {
  it("explains playbook.spec.steps with the schema's descriptions", async () => {
    // The apiserver publishes a new CRD's OpenAPI asynchronously.
    const explained = await waitFor(
      async () => {
        const output = await kubectl("explain", "playbook.spec.steps");
        return output.includes("safeToRetry") ? output : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, description: "kubectl explain to know playbook.spec.steps" },
    );
    expect(explained).toContain("One step of the playbook. Exactly one of job, action, connector, approval or");
    expect(explained).toContain("Whether the step may run again when its outcome is unknown");
    expect(explained).toContain("Steps that must finish successfully before this one starts");
  });

  it("prints the Incident columns and finds every kind through the soar category", async () => {
    await apply(incident("printed", incidentSpec));
    const table = await kubectl("get", "inc", "printed", "-n", namespace);
    expect(table.split("\n")[0]?.split(/\s+/)).toEqual(["NAME", "SEVERITY", "PHASE", "STATE", "OCCURRENCES", "AGE"]);
    expect(table).toMatch(/^printed\s+high\s+(<none>\s+)?Open\s+/m);

    await apply(connector("listed", { type: "webhook", url: "https://hooks.example.com/x" }));
    await apply(playbook("listed", { trigger, steps: [step("a")] }));
    const all = await kubectl("get", "soar", "-n", namespace, "-o", "name");
    expect(all).toContain("incident.soar.kube-soar.io/printed");
    expect(all).toContain("connector.soar.kube-soar.io/listed");
    expect(all).toContain("playbook.soar.kube-soar.io/listed");

    const playbooks = await kubectl("get", "pb", "listed", "-n", namespace, "-o", "wide");
    expect(playbooks.split("\n")[0]?.split(/\s+/)).toEqual(["NAME", "READY", "STEPS", "ACTIVE", "LAST-TRIGGERED", "SUSPENDED", "DRY-RUN", "AGE"]);
  });
});
