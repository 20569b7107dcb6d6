import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Playbook, PlaybookStep } from "../../api/v1alpha1/types.generated.ts";
import { createExpressionCompiler } from "../../expr/index.ts";
import { compilePlaybook } from "../../playbook/index.ts";
import { renderStepTemplates } from "../render-templates.ts";
import { buildJobManifest, type JobManifestInput } from "./job-manifest.ts";
import { API_VERSION } from "../../api/v1alpha1/constants.ts";

const hostile = JSON.parse(
  readFileSync(new URL("../../../../shared/fixtures/falco/hostile-fields.json", import.meta.url), "utf8"),
) as { output_fields: Record<string, string> };

const expressions = createExpressionCompiler();

function compiledStep(step: PlaybookStep) {
  const playbook: Playbook = {
    apiVersion: API_VERSION,
    kind: "Playbook",
    metadata: { name: "pb", namespace: "ns" },
    spec: { trigger: { types: ["t"] }, steps: [step] },
  };
  const compiled = compilePlaybook(playbook, expressions);
  expect(compiled.problems).toEqual([]);
  const [first] = compiled.steps;
  if (first === undefined) throw new Error("no step compiled");
  return first;
}

function input(overrides: Partial<JobManifestInput> = {}): JobManifestInput {
  return {
    owner: { name: "inc-1", namespace: "ns", uid: "uid-inc" },
    playbook: "pb",
    step: "scan",
    job: { image: "scanner:1" },
    jobName: "inc-1-scan-1-abcdef12",
    attempt: 1,
    rendered: new Map(),
    serviceAccountName: undefined,
    timeoutMs: undefined,
    ...overrides,
  };
}

describe("buildJobManifest", () => {
  it("sets ownership, labels, retries, deadline, TTL and a restricted security context", () => {
    const job = buildJobManifest(
      input({ job: { image: "scanner:1", ttlSecondsAfterFinished: 600 }, timeoutMs: 1500, serviceAccountName: "responder" }),
    );
    expect(job.metadata?.name).toBe("inc-1-scan-1-abcdef12");
    expect(job.metadata?.namespace).toBe("ns");
    expect(job.metadata?.ownerReferences).toEqual([
      { apiVersion: API_VERSION, kind: "Incident", name: "inc-1", uid: "uid-inc", controller: true, blockOwnerDeletion: true },
    ]);
    expect(job.metadata?.labels).toEqual({
      "app.kubernetes.io/managed-by": "kube-soar",
      "soar.kube-soar.io/incident": "inc-1",
      "soar.kube-soar.io/playbook": "pb",
      "soar.kube-soar.io/step": "scan",
    });
    expect(job.metadata?.annotations).toEqual({ "soar.kube-soar.io/intent": "inc-1-scan-1-abcdef12", "soar.kube-soar.io/attempt": "1" });
    expect(job.spec?.backoffLimit).toBe(0);
    expect(job.spec?.activeDeadlineSeconds).toBe(2);
    expect(job.spec?.ttlSecondsAfterFinished).toBe(600);
    const pod = job.spec?.template.spec;
    expect(pod?.restartPolicy).toBe("Never");
    expect(pod?.serviceAccountName).toBe("responder");
    expect(pod?.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    const container = pod?.containers[0];
    expect(container?.securityContext).toEqual({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(container?.terminationMessagePolicy).toBe("FallbackToLogsOnError");
  });

  it.each([
    { name: "no timeout: no deadline", timeoutMs: undefined, deadline: undefined },
    { name: "sub-second timeout rounds up to one second", timeoutMs: 200, deadline: 1 },
    { name: "whole seconds", timeoutMs: 90_000, deadline: 90 },
  ])("$name", ({ timeoutMs, deadline }) => {
    expect(buildJobManifest(input({ timeoutMs })).spec?.activeDeadlineSeconds).toBe(deadline);
  });

  it("passes pod annotations, resources and secret references through", () => {
    const job = buildJobManifest(
      input({
        job: {
          image: "x",
          podAnnotations: { "kwok.kube-soar.io/exit-code": "1" },
          resources: { requests: { cpu: "100m", memory: 64 }, limits: { memory: "128Mi" } },
          env: [{ name: "TOKEN", valueFrom: { secretKeyRef: { name: "creds", key: "token" } } }],
        },
      }),
    );
    expect(job.spec?.template.metadata?.annotations).toEqual({ "kwok.kube-soar.io/exit-code": "1" });
    const container = job.spec?.template.spec?.containers[0];
    expect(container?.resources).toEqual({ requests: { cpu: "100m", memory: "64" }, limits: { memory: "128Mi" } });
    expect(container?.env).toEqual([{ name: "TOKEN", valueFrom: { secretKeyRef: { name: "creds", key: "token" } } }]);
  });

  it("passes hostile event fields as inert, exact argv items and env values", () => {
    const step = compiledStep({
      name: "scan",
      job: {
        image: "scanner:1",
        command: ["/bin/scan"],
        args: ["--cmdline", "${{ event.data.output_fields['proc.cmdline'] }}", "--user=${{ event.data.output_fields['user.name'] }}"],
        env: [
          { name: "POD", value: "${{ event.data.output_fields['k8s.pod.name'] }}" },
          { name: "CONTAINER", value: "${{ event.data.output_fields['container.name'] }}" },
          { name: "LITERAL", value: "plain" },
        ],
      },
    });
    const rendered = renderStepTemplates(step, { event: { data: hostile }, incident: {}, steps: {} });
    if (!rendered.ok) throw new Error(rendered.message);
    const job = buildJobManifest(input({ job: step.spec.job ?? { image: "" }, rendered: rendered.values }));
    const container = job.spec?.template.spec?.containers[0];
    const fields = hostile.output_fields;
    expect(container?.command).toEqual(["/bin/scan"]);
    expect(container?.args).toEqual(["--cmdline", fields["proc.cmdline"], `--user=${fields["user.name"]}`]);
    expect(container?.args?.[2]).toBe("--user=${{ event.data }}");
    expect(container?.env).toEqual([
      { name: "POD", value: "web-0; kubectl delete ns kube-system" },
      { name: "CONTAINER", value: "{{ .Values.secret }}\n\u0000\u202e" },
      { name: "LITERAL", value: "plain" },
    ]);
  });
});

describe("renderStepTemplates", () => {
  it("names the field that failed to render", () => {
    const step = compiledStep({ name: "scan", job: { image: "x", args: ["ok", "${{ event.data.missing }}"] } });
    const result = renderStepTemplates(step, { event: { data: {} }, incident: {}, steps: {} });
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.field).toBe("spec.steps[0].job.args[1]");
    expect(result.ok ? "" : result.message).toContain("template segment 0");
  });
});
