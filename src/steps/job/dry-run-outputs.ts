import { boundText, MAX_OUTPUT_VALUE_LENGTH } from "../../api/v1alpha1/bounds.ts";
import type { JobManifest } from "./job-manifest.ts";

/**
 * What a dry run records for a Job step, as step outputs (at most 16 keys of at most 2048
 * characters, the bounds of `StepState.outputs`): `dryRun` ("true"), `jobName`, `image`,
 * `serviceAccountName`, `activeDeadlineSeconds`, and `command`, `args`, `env`,
 * `podAnnotations` as JSON (env values as rendered; Secret references as
 * `{"secretKeyRef": {"name", "key"}}`, never their content). A value that does not fit is cut
 * with an ellipsis.
 */
export function jobDryRunOutputs(job: JobManifest): Record<string, string> {
  const pod = job.spec?.template.spec;
  const container = pod?.containers[0];
  const outputs: Record<string, string | undefined> = {
    dryRun: "true",
    jobName: job.metadata?.name,
    image: container?.image,
    serviceAccountName: pod?.serviceAccountName,
    activeDeadlineSeconds: job.spec?.activeDeadlineSeconds === undefined ? undefined : String(job.spec.activeDeadlineSeconds),
    command: container?.command === undefined ? undefined : JSON.stringify(container.command),
    args: container?.args === undefined ? undefined : JSON.stringify(container.args),
    env:
      container?.env === undefined
        ? undefined
        : JSON.stringify(
            Object.fromEntries(
              container.env.map((variable) => [
                variable.name,
                variable.valueFrom?.secretKeyRef === undefined
                  ? (variable.value ?? "")
                  : { secretKeyRef: { name: variable.valueFrom.secretKeyRef.name, key: variable.valueFrom.secretKeyRef.key } },
              ]),
            ),
          ),
    podAnnotations:
      job.spec?.template.metadata?.annotations === undefined ? undefined : JSON.stringify(job.spec.template.metadata.annotations),
  };
  return Object.fromEntries(
    Object.entries(outputs)
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      .map(([key, value]) => [key, boundText(value, MAX_OUTPUT_VALUE_LENGTH)]),
  );
}
