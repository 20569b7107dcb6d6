import { describe, expect, it } from "vitest";
import type { NormalisedAlert, NormaliseOptions } from "./normalised-alert.ts";
import { ALERTMANAGER_EVENT_TYPE } from "../decode/alertmanager-alert.ts";
import type { CloudEventEnvelope } from "../decode/cloudevent-envelope.ts";
import { DEFAULT_DECODE_LIMITS } from "../decode/decode-limits.ts";
import { FALCO_EVENT_SOURCE, FALCO_EVENT_TYPE } from "../decode/falco-event.ts";
import { normaliseEvent } from "./normalise-event.ts";
import { RejectReason, type Result } from "../rejection.ts";

const options: NormaliseOptions = { defaultSeverity: "low", receivedAt: "2026-11-28T00:00:00.000Z", limits: DEFAULT_DECODE_LIMITS };
const event = (fields: Partial<CloudEventEnvelope>): CloudEventEnvelope => ({ specversion: "1.0", id: "1", source: "//s", type: "com.example.t", extensions: {}, ...fields });

function draft(result: Result<NormalisedAlert>): NormalisedAlert {
  if (!result.ok) throw new Error(`rejected: ${result.message}`);
  return result.value;
}

describe("normaliseEvent for generic CloudEvents", () => {
  it("uses the receive time, the default severity and the type as title when the event says nothing", () => {
    expect(draft(normaliseEvent(event({}), options))).toMatchObject({
      kind: "cloudevent",
      status: "firing",
      time: options.receivedAt,
      severity: "low",
      titleText: "com.example.t",
      resources: {},
      observables: [],
      labels: {},
    });
  });

  it.each([
    [{ title: "T", summary: "S", message: "M" }, "T"],
    [{ summary: "S", message: "M" }, "S"],
    [{ message: "M" }, "M"],
    [{ title: 42 }, "com.example.t: sub"],
  ])("takes the title from %j", (data, title) => {
    expect(draft(normaliseEvent(event({ subject: "sub", data }), options)).titleText).toBe(title);
  });

  it("takes resources from data members first, then from a namespace/kind/name subject", () => {
    expect(draft(normaliseEvent(event({ subject: "shop/deployment/web" }), options)).resources).toEqual({ namespace: "shop", workload: "Deployment/web" });
    expect(draft(normaliseEvent(event({ subject: "shop/pod/web-0" }), options)).resources).toEqual({ namespace: "shop", pod: "web-0" });
    expect(draft(normaliseEvent(event({ subject: "just-a-subject" }), options)).resources).toEqual({});
    expect(
      draft(normaliseEvent(event({ subject: "shop/deployment/web", data: { namespace: "other", pod: "p-1", container: "c", node: "n1", image: "img:1", workload: "statefulset/db" } }), options))
        .resources,
    ).toEqual({ namespace: "other", pod: "p-1", container: "c", node: "n1", image: "img:1", workload: "StatefulSet/db" });
  });

  it("takes observables from a data.observables list and from well-known members", () => {
    const data = {
      observables: [{ type: "domain", value: "Evil.Example" }, { type: "bogus", value: "x" }, { type: "ip", value: "not-an-ip" }, "junk"],
      src_ip: "198.51.100.7",
      url: "https://evil.example/payload",
      sha256: "A".repeat(64),
      user: "mallory",
    };
    expect(draft(normaliseEvent(event({ data }), options)).observables).toEqual([
      { type: "domain", value: "evil.example" },
      { type: "ip", value: "198.51.100.7" },
      { type: "url", value: "https://evil.example/payload" },
      { type: "user", value: "mallory" },
      { type: "hash", value: "a".repeat(64) },
    ]);
  });

  it("maps the severity extension", () => {
    expect(draft(normaliseEvent(event({ extensions: { severity: "WARN" } }), options)).severity).toBe("medium");
  });
});

describe("normaliseEvent for Falco events", () => {
  const falco = { output: "o", priority: "Notice", rule: "R", time: "2026-11-20T10:42:17Z", hostname: "cp-1" };

  it("refuses an event of the Falco type whose data is not a Falco alert", () => {
    expect(normaliseEvent(event({ type: FALCO_EVENT_TYPE, data: { rule: "R" } }), options)).toMatchObject({ ok: false, reason: RejectReason.InvalidFalco, field: "data.priority" });
    expect(normaliseEvent(event({ type: FALCO_EVENT_TYPE }), options)).toMatchObject({ ok: false, reason: RejectReason.InvalidFalco, field: "data" });
  });

  it("reads Kubernetes audit targets, skips Falco's <NA> placeholders and gives audit events no node", () => {
    const data = {
      ...falco,
      source: "k8s_audit",
      output_fields: { "ka.target.resource": "deployments", "ka.target.name": "web", "ka.target.namespace": "shop", "k8s.pod.name": "<NA>", "ka.user.name": "bob" },
    };
    expect(draft(normaliseEvent(event({ type: FALCO_EVENT_TYPE, source: FALCO_EVENT_SOURCE, data }), options))).toMatchObject({
      resources: { namespace: "shop", workload: "Deployment/web" },
      observables: [{ type: "user", value: "bob" }],
      time: "2026-11-20T10:42:17Z",
    });
  });

  it("composes the image, skips the container of host events, and reads hashes and domains", () => {
    const digest = `sha256:${"b".repeat(64)}`;
    const data = {
      ...falco,
      output_fields: {
        "container.id": "host",
        "container.name": "host",
        "container.image.repository": "nginx",
        "container.image.digest": digest,
        "fd.sip.name": "pool.minexmr.example",
        "proc.exe.sha256": "c".repeat(64),
      },
    };
    const result = draft(normaliseEvent(event({ type: FALCO_EVENT_TYPE, data }), options));
    expect(result.resources).toEqual({ node: "cp-1", image: "nginx" });
    expect(result.observables).toEqual([
      { type: "domain", value: "pool.minexmr.example" },
      { type: "hash", value: "b".repeat(64) },
      { type: "hash", value: "c".repeat(64) },
    ]);
  });

  it("folds alerts from the same host and container when there is no pod", () => {
    const hostAlert = (time: string, output: string): string =>
      draft(normaliseEvent(event({ type: FALCO_EVENT_TYPE, data: { ...falco, time, output, output_fields: { "container.id": "host" } } }), options)).fingerprint;
    expect(hostAlert("2026-11-20T10:42:17Z", "a")).toBe(hostAlert("2026-11-21T00:00:00Z", "b"));
  });
});

describe("normaliseEvent for Alertmanager events", () => {
  const alert = { status: "firing", labels: { alertname: "A" }, annotations: {}, startsAt: "2026-11-24T09:12:30.512Z" };

  it("refuses an event of the Alertmanager type whose data is not an alert", () => {
    expect(normaliseEvent(event({ type: ALERTMANAGER_EVENT_TYPE, data: { ...alert, status: "?" } }), options)).toMatchObject({
      ok: false,
      reason: RejectReason.InvalidAlertmanager,
      field: "data.status",
    });
  });

  it.each([
    [{ deployment: "web" }, "Deployment/web"],
    [{ statefulset: "db" }, "StatefulSet/db"],
    [{ job_name: "backup" }, "Job/backup"],
    [{ job: "kube-state-metrics" }, undefined],
    [{ workload: "api", workload_type: "deployment" }, "Deployment/api"],
  ])("reads the workload from labels %j", (labels, workload) => {
    const result = draft(normaliseEvent(event({ type: ALERTMANAGER_EVENT_TYPE, data: { ...alert, labels: { ...alert.labels, ...labels } } }), options));
    expect(result.resources.workload).toBe(workload);
  });

  it("reads IPs from instance and IP labels, and resources from exported labels", () => {
    const labels = { ...alert.labels, instance: "10.0.0.5:9100", pod_ip: "10.0.0.6", exported_namespace: "ns", kubernetes_node: "n-1" };
    const result = draft(normaliseEvent(event({ type: ALERTMANAGER_EVENT_TYPE, data: { ...alert, labels } }), options));
    expect(result.observables).toEqual([
      { type: "ip", value: "10.0.0.6" },
      { type: "ip", value: "10.0.0.5" },
    ]);
    expect(result.resources).toEqual({ namespace: "ns", node: "n-1" });
  });

  it.each([
    [{ summary: "S" }, { alertname: "A" }, "A: S"],
    [{ message: "M" }, { alertname: "A" }, "A: M"],
    [{}, { alertname: "A" }, "A"],
    [{ summary: "S" }, {}, "S"],
    [{}, {}, "Alertmanager alert"],
  ])("titles annotations %j with labels %j as %j", (annotations, labels, title) => {
    expect(draft(normaliseEvent(event({ type: ALERTMANAGER_EVENT_TYPE, data: { ...alert, annotations, labels } }), options)).titleText).toBe(title);
  });

  it("uses the default severity without a severity label", () => {
    expect(draft(normaliseEvent(event({ type: ALERTMANAGER_EVENT_TYPE, data: alert }), options)).severity).toBe("low");
  });
});
