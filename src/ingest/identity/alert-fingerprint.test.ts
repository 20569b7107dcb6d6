import { describe, expect, it } from "vitest";
import { alertmanagerLabelsFingerprint } from "./alertmanager-fingerprint.ts";
import { fingerprint, type AlertIdentity } from "./alert-fingerprint.ts";
import { incidentNameFor, incidentNamePrefix } from "./incident-name.ts";

const falco: AlertIdentity = { kind: "falco", rule: "Terminal shell in container", source: "syscall", namespace: "shop", pod: "web-0", hostname: "worker-2", containerId: "5f2b" };

describe("fingerprint", () => {
  it("is 64 hex digits and deterministic", () => {
    expect(fingerprint(falco)).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint({ ...falco })).toBe(fingerprint(falco));
  });

  it.each<[string, AlertIdentity]>([
    ["another rule", { ...falco, rule: "Other" }],
    ["another source", { ...falco, source: "k8s_audit" }],
    ["another namespace", { ...falco, namespace: "batch" }],
    ["another pod", { ...falco, pod: "web-1" }],
    ["no pod, so host and container", { kind: "falco", rule: "Terminal shell in container", source: "syscall", namespace: "shop", hostname: "worker-2", containerId: "5f2b" }],
  ])("changes with %s", (_name, other) => {
    expect(fingerprint(other)).not.toBe(fingerprint(falco));
  });

  it("ignores hostname and container id when there is a pod, and uses them when there is none", () => {
    expect(fingerprint({ ...falco, hostname: "worker-9", containerId: "zzz" })).toBe(fingerprint(falco));
    const host: AlertIdentity = { kind: "falco", rule: "R", source: "syscall", hostname: "worker-3", containerId: "host" };
    expect(fingerprint({ ...host, containerId: "other" })).not.toBe(fingerprint(host));
    expect(fingerprint({ ...host, hostname: "worker-4" })).not.toBe(fingerprint(host));
  });

  it("cannot be forged across field boundaries", () => {
    expect(fingerprint({ kind: "cloudevent", type: "a", source: "bc" })).not.toBe(fingerprint({ kind: "cloudevent", type: "ab", source: "c" }));
  });

  it("uses Alertmanager's fingerprint, or computes the same one from the labels", () => {
    const labels = { alertname: "X", pod: "p" };
    const sent = fingerprint({ kind: "alertmanager", labels, fingerprint: alertmanagerLabelsFingerprint(labels).toUpperCase() });
    expect(fingerprint({ kind: "alertmanager", labels })).toBe(sent);
    expect(fingerprint({ kind: "alertmanager", labels: { alertname: "Y" } })).not.toBe(sent);
  });

  it("uses type, source and subject for other CloudEvents", () => {
    const event: AlertIdentity = { kind: "cloudevent", type: "t", source: "s", subject: "x" };
    expect(fingerprint({ ...event, subject: "y" })).not.toBe(fingerprint(event));
    expect(fingerprint({ ...event })).toBe(fingerprint(event));
  });
});

describe("incidentNameFor", () => {
  const hash = "3f9a0c12de".padEnd(64, "0");

  it.each([
    ["falco-Terminal shell in container", "falco-terminal-shell-in-container-3f9a0c12de"],
    ["KubePodCrashLooping", "kubepodcrashlooping-3f9a0c12de"],
    ["com.example.vulnerability.detected", "com-example-vulnerability-detected-3f9a0c12de"],
    ["", "incident-3f9a0c12de"],
    ["!!!", "incident-3f9a0c12de"],
    ["--x--", "x-3f9a0c12de"],
    ["évasion 😀 ${{ x }}", "vasion-x-3f9a0c12de"],
  ])("prefix %j gives %s", (prefix, name) => {
    expect(incidentNameFor(hash, prefix)).toBe(name);
  });

  it("defaults the prefix", () => {
    expect(incidentNameFor(hash)).toBe("incident-3f9a0c12de");
  });

  it("stays a DNS-1123 label of at most 63 characters for long prefixes", () => {
    for (const prefix of ["a".repeat(300), `${"a".repeat(51)}-b`, "x-".repeat(100)]) {
      const name = incidentNameFor(hash, prefix);
      expect(name.length).toBeLessThanOrEqual(63);
      expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      expect(name.endsWith("-3f9a0c12de")).toBe(true);
    }
  });

  it("hashes a fingerprint that is not hex rather than trusting it", () => {
    const name = incidentNameFor("NOT/HEX", "p");
    expect(name).toMatch(/^p-[0-9a-f]{10}$/);
    expect(incidentNameFor("NOT/HEX", "p")).toBe(name);
  });
});

describe("incidentNamePrefix", () => {
  it.each([
    [{ kind: "falco", labels: { rule: "Write below binary dir" }, type: "falco.rule.output.v1" }, "falco-Write below binary dir"],
    [{ kind: "alertmanager", labels: { alertname: "KubePodCrashLooping" }, type: "t" }, "KubePodCrashLooping"],
    [{ kind: "alertmanager", labels: {}, type: "t" }, "alertmanager"],
    [{ kind: "cloudevent", labels: {}, type: "com.example.found" }, "com.example.found"],
  ] as const)("%j → %s", (alert, prefix) => {
    expect(incidentNamePrefix(alert)).toBe(prefix);
  });
});
