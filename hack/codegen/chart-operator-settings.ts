import { DURATION_PATTERN } from "../../src/api/duration.ts";
import type { Flag, Setting } from "../../src/config/flags.ts";
import { settings } from "../../src/config/flags.ts";

/**
 * The flags the chart sets from its own values or from the release, each with where its value
 * comes from; every other flag is a key of the chart's `operator` values.
 */
export const CHART_MANAGED_FLAGS: Readonly<Partial<Record<Flag, string>>> = {
  kubeconfig: "never set: the operator uses its in-cluster configuration",
  namespace: "the release namespace",
  "default-namespace": "the release namespace",
  "watch-namespaces": "`watchNamespaces` (the RBAC follows it)",
  "probe-bind": "`probes.port`",
  "metrics-bind": "`metrics.port`",
  "metrics-auth": "`metrics.auth`",
  "metrics-tls-cert-file": "`metrics.tls.secretName`",
  "metrics-tls-key-file": "`metrics.tls.secretName`",
  "leader-elect": "always true: every replica takes alerts in, the controllers run in one elected leader",
  "leader-election-namespace": "the release namespace",
  "leader-election-identity": "the Pod name",
  "nats-servers": "`nats.servers`",
  "nats-creds-file": "`nats.auth.credsSecret`",
  "nats-nkey-seed-file": "`nats.auth.nkeySecret`",
  "nats-token-file": "`nats.auth.tokenSecret`",
  "nats-user": "`nats.auth.user`",
  "nats-password-file": "`nats.auth.passwordSecret`",
  "nats-tls-ca-file": "`nats.tls.caSecret`",
  "nats-tls-cert-file": "`nats.tls.clientSecret`",
  "nats-tls-key-file": "`nats.tls.clientSecret`",
  "receiver-enabled": "`receiver.enabled`",
  "receiver-bind": "`receiver.port`",
  "receiver-token-file": "`receiver.auth.existingSecret`, or the Secret the chart creates",
  "receiver-allow-unauthenticated": "`receiver.allowUnauthenticated`",
  "receiver-tls-cert-file": "`receiver.tls.secretName`",
  "receiver-tls-key-file": "`receiver.tls.secretName`",
};

/** Chart values that a flag with choices takes verbatim (values path to flag): their schema lists the choices. */
export const CHART_VALUE_CHOICES: Readonly<Record<string, Flag>> = { "metrics.auth": "metrics-auth" };

/** A JSON value as values.yaml and values.schema.json hold it. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** One flag as a key of the chart's `operator` values. */
export interface OperatorSetting {
  readonly flag: Flag;
  /** The values key: the flag in camelCase. */
  readonly key: string;
  readonly setting: Setting;
  /** The flag's default as a typed YAML value. */
  readonly value: Json;
  /** The JSON schema of the key, description included. */
  readonly schema: { [key: string]: Json };
}

function camelCase(flag: string): string {
  return flag.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

function listOf(text: string | undefined): string[] {
  return (text ?? "").split(",").map((item) => item.trim()).filter((item) => item !== "");
}

function typedDefault(setting: Setting): Json {
  switch (setting.kind) {
    case "bool":
      return setting.default === "true";
    case "int":
      return Number(setting.default ?? "0");
    case "list":
    case "durations":
      return listOf(setting.default);
    case "string":
    case "duration":
      return setting.default ?? "";
  }
}

/** A description as users read it: the flag's help, the flag's name, and its choices. */
export function describeSetting(flag: string, setting: Setting): string {
  const choices = setting.choices === undefined ? "" : `; one of ${setting.choices.join(", ")}`;
  return `${setting.description} (\`--${flag}\`${choices}).`;
}

function schemaOf(flag: string, setting: Setting): { [key: string]: Json } {
  const description = describeSetting(flag, setting);
  const duration = DURATION_PATTERN.source;
  switch (setting.kind) {
    case "bool":
      return { type: "boolean", description };
    case "int":
      return { type: "integer", description };
    case "list":
      return { type: "array", items: { type: "string", minLength: 1 }, description };
    case "durations":
      return { type: "array", items: { type: "string", pattern: duration }, description };
    case "duration":
      return { type: "string", pattern: duration, description };
    case "string":
      return setting.choices === undefined
        ? { type: "string", description }
        : { type: "string", enum: [...setting.choices], description };
  }
}

/** Every flag the chart does not manage, in the order of src/config/flags.ts. */
export function operatorSettings(): OperatorSetting[] {
  return (Object.entries(settings) as [Flag, Setting][])
    .filter(([flag]) => CHART_MANAGED_FLAGS[flag] === undefined)
    .map(([flag, setting]) => ({
      flag,
      key: camelCase(flag),
      setting,
      value: typedDefault(setting),
      schema: schemaOf(flag, setting),
    }));
}

function comment(text: string, indent: string): string {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = `${indent}# --`;
  for (const word of words) {
    if (line.length + word.length + 1 > 100 && line.trim() !== "# --") {
      lines.push(line);
      line = `${indent}#`;
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines.join("\n");
}

function yamlScalar(value: Json): string {
  if (Array.isArray(value)) return value.length === 0 ? "[]" : `[${value.map((item) => JSON.stringify(item)).join(", ")}]`;
  return value === "" ? '""' : JSON.stringify(value);
}

/** The `operator` block of values.yaml: every unmanaged flag with its help and default. */
export function renderOperatorValues(list: readonly OperatorSetting[]): string {
  const lines = [
    "# -- Operator settings, one per flag of the operator that the chart does not set itself (the",
    "# README lists those); a setting equal to the operator's default renders no argument.",
    "operator:",
  ];
  for (const entry of list) {
    lines.push(comment(describeSetting(entry.flag, entry.setting), "  "));
    lines.push(`  ${entry.key}: ${yamlScalar(entry.value)}`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * The Helm helper `kube-soar.operatorArgs`: one `--flag=value` argument per `operator` value
 * that differs from the operator's default, so that the defaults stay the operator's.
 */
export function renderOperatorArgsTemplate(list: readonly OperatorSetting[]): string {
  const lines = [
    "{{- /* Code generated by hack/generate-api.ts from src/config/flags.ts. DO NOT EDIT. */ -}}",
    "{{- /* The operator's arguments for the `operator` values that differ from the flags' defaults. */ -}}",
    '{{- define "kube-soar.operatorArgs" -}}',
    "{{- $o := .Values.operator -}}",
  ];
  for (const { flag, key, setting, value } of list) {
    const ref = `$o.${key}`;
    switch (setting.kind) {
      case "bool":
        lines.push(`{{- if ne ${ref} ${JSON.stringify(value)} }}`, `- --${flag}={{ ${ref} }}`);
        break;
      case "int":
        lines.push(`{{- if ne (int64 ${ref}) (int64 ${JSON.stringify(value)}) }}`, `- --${flag}={{ int64 ${ref} }}`);
        break;
      case "list":
      case "durations":
        lines.push(
          `{{- if ne (join "," ${ref}) ${JSON.stringify((value as string[]).join(","))} }}`,
          `- {{ printf "--${flag}=%s" (join "," ${ref}) | quote }}`,
        );
        break;
      case "string":
      case "duration":
        lines.push(`{{- if ne ${ref} ${JSON.stringify(value)} }}`, `- {{ printf "--${flag}=%s" ${ref} | quote }}`);
        break;
    }
    lines.push("{{- end }}");
  }
  lines.push("{{- end -}}");
  return `${lines.join("\n")}\n`;
}
