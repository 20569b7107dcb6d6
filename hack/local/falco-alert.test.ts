import { describe, expect, it } from "vitest";
import { alertVariant, CRYPTO_MINER_ALERT, falcoSubject, readFalcoAlert } from "./falco-alert.ts";

describe("falcoSubject", () => {
  it.each([
    { priority: "Critical", rule: "Detect outbound connections to common miner pool ports", expected: "falco.critical.detect_outbound_connections_to_common_miner_pool_ports" },
    { priority: "Notice", rule: "Terminal shell in container", expected: "falco.notice.terminal_shell_in_container" },
    { priority: "Warning", rule: "  (Write) below /bin -- dir!  ", expected: "falco.warning.write_below_bin_dir" },
    { priority: "Error", rule: "Ünïcode & $(rm -rf /) > x", expected: "falco.error.n_code_rm_rf_x" },
  ])("$rule → $expected", ({ priority, rule, expected }) => {
    expect(falcoSubject({ priority, rule })).toBe(expected);
  });
});

describe("alertVariant", () => {
  it("changes the pod, namespace, uuid and time and keeps the rest of the sample", async () => {
    const base = await readFalcoAlert(CRYPTO_MINER_ALERT);
    const time = new Date("2026-11-28T12:00:00.123Z");
    const variant = alertVariant(base, { namespace: "bench", pod: "miner-7", time });
    expect(variant.uuid).not.toBe(base.uuid);
    expect(variant.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(variant.time).toBe("2026-11-28T12:00:00.123Z");
    expect(variant.output_fields).toEqual({ ...base.output_fields, "k8s.ns.name": "bench", "k8s.pod.name": "miner-7" });
    expect({ ...variant, uuid: base.uuid, time: base.time, output_fields: base.output_fields }).toEqual(base);
  });

  it("replaces the rule when asked", async () => {
    const base = await readFalcoAlert(CRYPTO_MINER_ALERT);
    expect(alertVariant(base, { namespace: "n", pod: "p", rule: "kube-soar bench" }).rule).toBe("kube-soar bench");
  });
});

describe("readFalcoAlert", () => {
  it("reads the shipped sample", async () => {
    const alert = await readFalcoAlert(CRYPTO_MINER_ALERT);
    expect(falcoSubject(alert)).toBe("falco.critical.detect_outbound_connections_to_common_miner_pool_ports");
    expect(alert.output_fields?.["k8s.pod.name"]).toBe("report-gen-7f9c-kq2lz");
  });
});
