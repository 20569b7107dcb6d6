import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Alert } from "./alert.ts";
import { alertFromNatsMessage } from "./alert-intake.ts";
import { alertProblems, alertsFromFalcoHttp } from "../testing/ingest.ts";
import { toCelEvent } from "./match/cel-event.ts";
import { REDACTED } from "./normalise/redaction.ts";

const bytes = readFileSync(new URL("../../../shared/fixtures/falco/hostile-fields.json", import.meta.url));
const original = JSON.parse(bytes.toString("utf8")) as { output_fields: Record<string, string>; [key: string]: unknown };
const receivedAt = new Date("2026-11-28T00:00:00Z");

function viaNats(data: Uint8Array): Alert {
  const result = alertFromNatsMessage({ subject: "falco.warning.run_shell_untrusted", data }, receivedAt);
  if (!result.ok) throw new Error(`rejected: ${result.message}`);
  return result.value;
}

function viaHttp(data: Uint8Array): Alert {
  const result = alertsFromFalcoHttp({ "content-type": "application/json" }, data, receivedAt);
  if (!result.ok || result.value[0] === undefined) throw new Error("rejected");
  return result.value[0];
}

describe("falco/hostile-fields.json", () => {
  it.each([
    ["NATS", viaNats],
    ["HTTP", viaHttp],
  ])("round-trips as inert data via %s", (_name, decode) => {
    const alert = decode(bytes);
    expect(alert.data).toEqual(original);
    expect(Buffer.from(JSON.stringify(alert.data))).toEqual(Buffer.from(JSON.stringify(original)));
    const fields = (alert.data as typeof original).output_fields;
    for (const key of ["proc.cmdline", "user.name", "container.name", "k8s.pod.name"]) {
      expect(Buffer.from(fields[key] ?? "", "utf8")).toEqual(Buffer.from(original.output_fields[key] ?? "", "utf8"));
    }
    expect(fields["container.name"]).toBe("{{ .Values.secret }}\n\u0000\u202e");
    expect(fields["user.name"]).toBe("${{ event.data }}");
    expect(toCelEvent(alert).data).toEqual(original);
    expect(alertProblems(alert)).toEqual([]);
  });

  it("keeps every hostile value out of the fields that actions and displays use", () => {
    const alert = viaNats(bytes);
    expect(alert.resources).toEqual({ namespace: "shop", node: "worker-2" });
    expect(alert.observables).toEqual([{ type: "process", value: "sh" }]);
    const surfaces = JSON.stringify([alert.title, alert.labels, alert.resources, alert.observables, alert.extensions, toCelEvent(alert).resources]);
    for (const hostile of ["kubectl delete", "{{", "${", "$(", "`", "\\u0000", "\u202e", "rm -rf"]) expect(surfaces).not.toContain(hostile);
  });

  it("shows a hostile rule name as literal text with its bidi characters removed, and refuses one with control characters", () => {
    const rule = "Run ${{ event.data }}\u202e $(id)\u2066 {{ .x }}";
    const alert = viaNats(Buffer.from(JSON.stringify({ ...original, rule })));
    expect(alert.title).toBe("Run ${{ event.data }} $(id) {{ .x }}");
    expect(alert.labels["rule"]).toBe(rule);
    const refused = alertFromNatsMessage({ subject: "falco.warning.x", data: Buffer.from(JSON.stringify({ ...original, rule: "a\u0000b" })) }, receivedAt);
    expect(refused).toMatchObject({ ok: false, reason: "invalid-falco", field: "rule" });
  });

  it("changes nothing but the redacted value when the alert carries a credential", () => {
    const withSecret = { ...original, output_fields: { ...original.output_fields, "proc.cmdline": "mysql --password=hunter2" } };
    const alert = viaNats(Buffer.from(JSON.stringify(withSecret)));
    expect(alert.data).toEqual({ ...original, output_fields: { ...original.output_fields, "proc.cmdline": `mysql --password=${REDACTED}` } });
    expect(JSON.stringify(alert)).not.toContain("hunter2");
  });
});
