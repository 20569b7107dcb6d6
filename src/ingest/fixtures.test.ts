import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Alert } from "./alert.ts";
import { alertFromNatsMessage } from "./alert-intake.ts";
import { alertProblems, alertsFromAlertmanagerWebhook, alertsFromFalcoHttp, alertsFromHttpCloudEvents } from "../testing/ingest.ts";
import type { Result } from "./rejection.ts";

const fixture = (name: string): Buffer => readFileSync(new URL(`../../../shared/fixtures/${name}`, import.meta.url));
const receivedAt = new Date("2026-11-28T00:00:00Z");

function accepted<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`rejected: ${result.reason} ${result.field}: ${result.message}`);
  return result.value;
}

function only(alerts: readonly Alert[]): Alert {
  expect(alerts).toHaveLength(1);
  const [alert] = alerts;
  if (alert === undefined) throw new Error("no alert");
  return alert;
}

/** Reads a `name: value` transcript (the .txt fixtures): header lines, `subject:` and `body:` lines, `#` comments. */
function transcript(name: string): { subject: string; headers: Record<string, string>; body: Buffer } {
  const headers: Record<string, string> = {};
  let subject = "";
  let body: Buffer = Buffer.alloc(0);
  for (const line of fixture(name).toString("utf8").split("\n")) {
    const reference = /^<body: the JSON of (.+)>$/.exec(line);
    const header = /^([A-Za-z][A-Za-z0-9-]*): (.*)$/.exec(line);
    if (reference?.[1] !== undefined) body = fixture(reference[1].trim());
    else if (header?.[1] === "subject") subject = header[2] ?? "";
    else if (header?.[1] === "body") body = Buffer.from(header[2] ?? "", "utf8");
    else if (header?.[1] !== undefined) headers[header[1]] = header[2] ?? "";
  }
  return { subject, headers, body };
}

/** One `output_fields` value of a Falco fixture. */
function outputField(name: string, key: string): string {
  const alert = JSON.parse(fixture(name).toString("utf8")) as { output_fields: Record<string, string> };
  return alert.output_fields[key] ?? "";
}

/** The NATS subject Falcosidekick publishes a Falco alert on. */
function falcoSubject(json: { priority: string; rule: string }): string {
  const rule = json.rule.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
  return `falco.${json.priority.toLowerCase()}.${rule}`;
}

function natsFalco(name: string): Alert {
  const bytes = fixture(name);
  return accepted(alertFromNatsMessage({ subject: falcoSubject(JSON.parse(bytes.toString("utf8")) as { priority: string; rule: string }), data: bytes }, receivedAt));
}

describe("Falco fixtures over NATS", () => {
  it.each([
    [
      "falco/terminal-shell-in-container.json",
      {
        id: "3f1c2a9e-5b7d-4e8a-9c0f-1d2e3f4a5b6c",
        time: "2026-11-20T10:42:17.118823521Z",
        severity: "low",
        title: "Terminal shell in container",
        resources: { namespace: "shop", pod: "web-6d8f7b9c4-x2k9p", container: "web", node: "worker-2", image: "registry.example.com/shop/web:1.14.2" },
        observables: [
          { type: "user", value: "root" },
          { type: "process", value: "bash" },
          { type: "process", value: "/usr/bin/bash" },
        ],
        labels: { rule: "Terminal shell in container", priority: "Notice", source: "syscall", hostname: "worker-2", tags: "T1059,container,maturity_stable,mitre_execution,shell" },
      },
    ],
    [
      "falco/crypto-miner-outbound.json",
      {
        id: "8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d",
        severity: "critical",
        title: "Detect outbound connections to common miner pool ports",
        resources: { namespace: "batch", pod: "report-gen-7f9c-kq2lz", container: "worker", node: "worker-1" },
        observables: [
          { type: "ip", value: "203.0.113.45" },
          { type: "user", value: "nobody" },
          { type: "process", value: "xmrig" },
          { type: "process", value: outputField("falco/crypto-miner-outbound.json", "proc.exepath") },
        ],
      },
    ],
    [
      "falco/write-below-binary-dir.json",
      {
        id: createHash("sha256").update(fixture("falco/write-below-binary-dir.json")).digest("hex"),
        severity: "high",
        title: "Write below binary dir",
        resources: { node: "worker-3" },
        observables: [{ type: "user", value: "root" }],
      },
    ],
    [
      "falco/k8s-audit-exec.json",
      {
        severity: "low",
        title: "Attach/Exec Pod",
        resources: { namespace: "payments", pod: "payments-api-0" },
        observables: [{ type: "user", value: "alice@example.com" }],
        labels: { rule: "Attach/Exec Pod", priority: "Notice", source: "k8s_audit", hostname: "control-plane-1", tags: "k8s" },
      },
    ],
    [
      "falco/hostile-fields.json",
      {
        severity: "medium",
        title: "Run shell untrusted",
        resources: { namespace: "shop", node: "worker-2" },
        observables: [{ type: "process", value: "sh" }],
      },
    ],
  ])("%s normalises", (name, expected) => {
    const alert = natsFalco(name);
    expect(alert).toMatchObject({ source: "https://falco.org", type: "falco.rule.output.v1", specversion: "1.0", kind: "falco", status: "firing", dataTruncated: false, ...expected });
    expect(alert.resources).toEqual(expected.resources);
    expect(alert.observables).toEqual(expected.observables);
    expect(alert.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(alert.data).toEqual(JSON.parse(fixture(name).toString("utf8")));
    expect(alertProblems(alert)).toEqual([]);
  });

  it("gives two Falcosidekick copies of one alert (new uuid, time and output) the same fingerprint and different ids", () => {
    const original = JSON.parse(fixture("falco/terminal-shell-in-container.json").toString("utf8")) as Record<string, unknown>;
    const copy = {
      ...original,
      uuid: "9b2f6a3e-1c4d-4e5f-8a7b-0c1d2e3f4a5b",
      time: "2026-11-20T10:49:03.000000001Z",
      output: "10:49:03.000000001: Notice A shell was spawned in a container with an attached terminal (different text)",
      output_fields: { ...(original["output_fields"] as Record<string, unknown>), "evt.time": 1763635743000000000, "proc.tty": 1 },
    };
    const first = natsFalco("falco/terminal-shell-in-container.json");
    const second = accepted(alertFromNatsMessage({ subject: "falco.notice.terminal_shell_in_container", data: Buffer.from(JSON.stringify(copy)) }, receivedAt));
    expect(second.fingerprint).toBe(first.fingerprint);
    expect(second.id).not.toBe(first.id);
    expect(second.time).toBe("2026-11-20T10:49:03.000000001Z");
  });

  it("gives the same rule in another pod or another rule in the same pod another fingerprint", () => {
    const original = JSON.parse(fixture("falco/terminal-shell-in-container.json").toString("utf8")) as Record<string, unknown>;
    const fields = original["output_fields"] as Record<string, unknown>;
    const variant = (changes: Record<string, unknown>): string =>
      accepted(alertFromNatsMessage({ subject: "falco.notice.x", data: Buffer.from(JSON.stringify({ ...original, ...changes })) }, receivedAt)).fingerprint;
    const base = natsFalco("falco/terminal-shell-in-container.json").fingerprint;
    expect(variant({ output_fields: { ...fields, "k8s.pod.name": "web-6d8f7b9c4-zzzzz" } })).not.toBe(base);
    expect(variant({ rule: "Another rule" })).not.toBe(base);
    expect(variant({ source: "syscalls" })).toBe(base);
  });
});

describe("Falcosidekick's CloudEvents over HTTP", () => {
  it("normalises exactly like the raw alert on NATS, keyed by the alert's uuid rather than its random ce-id", () => {
    const { headers, body } = transcript("cloudevents/falcosidekick-http-binary.txt");
    const alert = only(accepted(alertsFromFalcoHttp(headers, body, receivedAt)));
    const raw = natsFalco("falco/terminal-shell-in-container.json");
    expect(alert.id).toBe("3f1c2a9e-5b7d-4e8a-9c0f-1d2e3f4a5b6c");
    expect(alert).toEqual(raw);
  });

  it("is accepted on the generic CloudEvents endpoint too", () => {
    const { headers, body } = transcript("cloudevents/falcosidekick-http-binary.txt");
    expect(only(accepted(alertsFromHttpCloudEvents(headers, body, receivedAt)))).toMatchObject({ kind: "falco", severity: "low" });
  });

  it("accepts plain Falco JSON posted over HTTP", () => {
    const alert = only(accepted(alertsFromFalcoHttp({ "content-type": "application/json" }, fixture("falco/crypto-miner-outbound.json"), receivedAt)));
    expect(alert).toEqual(natsFalco("falco/crypto-miner-outbound.json"));
  });
});

describe("Alertmanager fixtures", () => {
  const firing = accepted(alertsFromAlertmanagerWebhook(fixture("alertmanager/crashloop-firing.json"), receivedAt));
  const resolved = accepted(alertsFromAlertmanagerWebhook(fixture("alertmanager/crashloop-resolved.json"), receivedAt));

  it("turns each alert of a group into its own alert", () => {
    expect(firing).toHaveLength(2);
    expect(firing[0]).toMatchObject({
      id: "4c3f1a7e9b2d6c80:2026-11-24T09:12:30.512Z:firing",
      source: "http://alertmanager.monitoring:9093",
      type: "io.prometheus.alertmanager.alert.v1",
      subject: "KubePodCrashLooping",
      time: "2026-11-24T09:12:30.512Z",
      kind: "alertmanager",
      status: "firing",
      severity: "medium",
      title: "KubePodCrashLooping: Pod is crash looping.",
      resources: { namespace: "payments", pod: "payments-api-5c9d7f-8xkq2", container: "api" },
      observables: [],
      extensions: { receiver: "kube-soar" },
      labels: { alertname: "KubePodCrashLooping", container: "api", namespace: "payments", severity: "warning" },
    });
    expect(firing[1]).toMatchObject({ id: "9e8d7c6b5a4f3e21:2026-11-24T09:13:00.004Z:firing", resources: { pod: "payments-worker-77b9d-2mzzc", container: "worker" } });
    expect(firing[0]?.fingerprint).not.toBe(firing[1]?.fingerprint);
    for (const alert of [...firing, ...resolved]) expect(alertProblems(alert)).toEqual([]);
  });

  it("folds the resolved notification onto the firing alert's fingerprint, with its own id and end time", () => {
    const [done] = resolved;
    expect(done).toMatchObject({ status: "resolved", time: "2026-11-24T09:41:00.000Z", id: "4c3f1a7e9b2d6c80:2026-11-24T09:12:30.512Z:resolved" });
    expect(done?.fingerprint).toBe(firing[0]?.fingerprint);
  });
});

describe("CloudEvents fixtures", () => {
  it("normalises the structured event", () => {
    const alert = only(accepted(alertsFromHttpCloudEvents({ "content-type": "application/cloudevents+json" }, fixture("cloudevents/structured.json"), receivedAt)));
    expect(alert).toMatchObject({
      id: "b3f6c0a2-77d1-4c5e-9a0b-2f1e3d4c5b6a",
      source: "//scanner.example.com/trivy-operator",
      type: "com.example.vulnerability.detected",
      subject: "shop/deployment/web",
      time: "2026-11-25T14:00:00Z",
      kind: "cloudevent",
      status: "firing",
      severity: "high",
      title: "com.example.vulnerability.detected: shop/deployment/web",
      resources: { namespace: "shop", image: "registry.example.com/shop/web:1.14.2", workload: "Deployment/web" },
      observables: [],
      extensions: { severity: "high" },
      data: { cve: "CVE-2026-12345", package: "openssl" },
    });
    expect(alertProblems(alert)).toEqual([]);
  });

  it("normalises the binary event on NATS and gives it the structured event's fingerprint (same type, source, subject)", () => {
    const { subject, headers, body } = transcript("cloudevents/binary-nats.txt");
    expect(subject).toBe("soar.events.scanner");
    const natsHeaders = new Map(Object.entries(headers).map(([name, value]) => [name, [value]]));
    const alert = accepted(alertFromNatsMessage({ subject, headers: natsHeaders, data: body }, receivedAt));
    expect(alert).toMatchObject({
      id: "0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a",
      severity: "critical",
      time: "2026-11-25T14:00:05Z",
      resources: { namespace: "shop", image: "registry.example.com/shop/web:1.14.2", workload: "Deployment/web" },
      data: { cve: "CVE-2026-99999", package: "glibc" },
    });
    const structured = only(accepted(alertsFromHttpCloudEvents({ "content-type": "application/cloudevents+json" }, fixture("cloudevents/structured.json"), receivedAt)));
    expect(alert.fingerprint).toBe(structured.fingerprint);
    expect(alertProblems(alert)).toEqual([]);
  });
});
