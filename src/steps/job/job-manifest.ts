import type { V1Container, V1EnvVar, V1Job, V1ResourceRequirements } from "@kubernetes/client-node";
import type { Plain } from "../../runtime/plain-object.ts";
import { API_VERSION, Annotation, Kind, Label, MANAGED_BY, MANAGED_BY_LABEL } from "../../api/v1alpha1/constants.ts";
import type { JobStep, ResourceRequirements } from "../../api/v1alpha1/types.generated.ts";
import type { RenderedTemplates } from "../render-templates.ts";
import { labelValueFor } from "./job-name.ts";

/** Name of the step's container in the Job's Pod. */
export const STEP_CONTAINER_NAME = "step";


/** The Incident a Job belongs to. */
export interface JobOwner {
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
}

/** A Job manifest as plain data. */
export type JobManifest = Plain<V1Job>;

/** Everything a step attempt's Job is built from. */
export interface JobManifestInput {
  readonly owner: JobOwner;
  readonly playbook: string;
  readonly step: string;
  /** The step's `job` spec. */
  readonly job: JobStep;
  readonly jobName: string;
  readonly attempt: number;
  /** Rendered templates of the step, by path relative to the step (`job.args[0]`). */
  readonly rendered: RenderedTemplates;
  /** The step's, else the Playbook's; absent uses the namespace's default ServiceAccount. */
  readonly serviceAccountName: string | undefined;
  readonly timeoutMs: number | undefined;
}

function renderedList(prefix: string, list: readonly string[] | undefined, rendered: RenderedTemplates): string[] | undefined {
  return list?.map((literal, index) => rendered.get(`${prefix}[${index}]`) ?? literal);
}

function envOf(job: JobStep, rendered: RenderedTemplates): Plain<V1EnvVar>[] | undefined {
  return job.env?.map((variable, index): Plain<V1EnvVar> => {
    if (variable.valueFrom !== undefined) {
      const { name, key } = variable.valueFrom.secretKeyRef;
      return { name: variable.name, valueFrom: { secretKeyRef: { name, key } } };
    }
    return { name: variable.name, value: rendered.get(`job.env[${index}].value`) ?? variable.value ?? "" };
  });
}

function quantities(values: Readonly<Record<string, number | string>> | undefined): Record<string, string> | undefined {
  if (values === undefined) return undefined;
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, String(value)]));
}

function resourcesOf(resources: ResourceRequirements | undefined): Plain<V1ResourceRequirements> | undefined {
  if (resources === undefined) return undefined;
  const requests = quantities(resources.requests);
  const limits = quantities(resources.limits);
  return { ...(requests === undefined ? {} : { requests }), ...(limits === undefined ? {} : { limits }) };
}

function containerOf(input: JobManifestInput): Plain<V1Container> {
  const { job, rendered } = input;
  const command = renderedList("job.command", job.command, rendered);
  const args = renderedList("job.args", job.args, rendered);
  const env = envOf(job, rendered);
  const resources = resourcesOf(job.resources);
  return {
    name: STEP_CONTAINER_NAME,
    image: job.image,
    ...(command === undefined ? {} : { command }),
    ...(args === undefined ? {} : { args }),
    ...(env === undefined ? {} : { env }),
    ...(resources === undefined ? {} : { resources }),
    securityContext: {
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    },
    terminationMessagePolicy: "FallbackToLogsOnError",
    volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
  };
}

/** Labels of a step's Job and Pod; values longer than a label allows are shortened with a hash. */
export function jobLabels(owner: string, playbook: string, step: string): Record<string, string> {
  return {
    [MANAGED_BY_LABEL]: MANAGED_BY,
    [Label.Incident]: labelValueFor(owner),
    [Label.Playbook]: labelValueFor(playbook),
    [Label.Step]: labelValueFor(step),
  };
}

/**
 * The batch/v1 Job of one step attempt. Guarantees: the deterministic name given; an
 * ownerReference to the Incident (controller, blockOwnerDeletion) and labels that map it back;
 * `backoffLimit: 0` (the engine retries, with new Jobs), `restartPolicy: Never`,
 * `activeDeadlineSeconds` from the step timeout (rounded up to whole seconds), the step's TTL;
 * a restricted security context (non-root, no privilege escalation, all capabilities dropped,
 * RuntimeDefault seccomp, read-only root filesystem with a writable emptyDir at /tmp); rendered
 * templates as separate argv items and environment values, exactly as rendered, never joined
 * into a shell string; Secret references passed through, never read.
 */
export function buildJobManifest(input: JobManifestInput): JobManifest {
  const labels = jobLabels(input.owner.name, input.playbook, input.step);
  const podAnnotations = input.job.podAnnotations;
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name: input.jobName,
      namespace: input.owner.namespace,
      labels,
      annotations: { [Annotation.Intent]: input.jobName, [Annotation.Attempt]: String(input.attempt) },
      ownerReferences: [
        {
          apiVersion: API_VERSION,
          kind: Kind.Incident,
          name: input.owner.name,
          uid: input.owner.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      backoffLimit: 0,
      ...(input.timeoutMs === undefined ? {} : { activeDeadlineSeconds: Math.max(1, Math.ceil(input.timeoutMs / 1000)) }),
      ...(input.job.ttlSecondsAfterFinished === undefined ? {} : { ttlSecondsAfterFinished: input.job.ttlSecondsAfterFinished }),
      template: {
        metadata: { labels, ...(podAnnotations === undefined ? {} : { annotations: { ...podAnnotations } }) },
        spec: {
          restartPolicy: "Never",
          ...(input.serviceAccountName === undefined ? {} : { serviceAccountName: input.serviceAccountName }),
          securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
          containers: [containerOf(input)],
          volumes: [{ name: "tmp", emptyDir: {} }],
        },
      },
    },
  };
}
