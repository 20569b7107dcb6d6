import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { JetStreamClient, PubAck } from "@nats-io/jetstream";
import { falcoSubject } from "../../src/cli/send/falco-subject.ts";

/** The sample Falco alert `npm run local` publishes: an outbound connection to a crypto-mining pool. */
export const CRYPTO_MINER_ALERT = new URL("./crypto-miner-outbound.json", import.meta.url);

/** A Falco alert as Falco's JSON output (and Falcosidekick) writes it; unknown members are kept. */
export interface FalcoAlert {
  uuid?: string;
  output: string;
  priority: string;
  rule: string;
  time: string;
  source?: string;
  hostname?: string;
  tags?: string[];
  output_fields?: Record<string, unknown>;
  [member: string]: unknown;
}

/** Reads a Falco alert from a JSON file; throws naming the file and the missing member. */
export async function readFalcoAlert(file: URL | string): Promise<FalcoAlert> {
  const value: unknown = JSON.parse(await readFile(file, "utf8"));
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`${String(file)}: not a JSON object`);
  const alert = value as Record<string, unknown>;
  for (const member of ["output", "priority", "rule", "time"]) {
    if (typeof alert[member] !== "string") throw new Error(`${String(file)}: ${member} must be a string`);
  }
  return alert as FalcoAlert;
}

/** The subject Falcosidekick's NATS output publishes an alert on (one home: the CLI's `send`). */
export { falcoSubject };

/** What makes one alert of a series distinct. */
export interface AlertVariant {
  /** `output_fields["k8s.ns.name"]`. */
  namespace: string;
  /** `output_fields["k8s.pod.name"]`: a different pod is a different fingerprint, so a new Incident. */
  pod: string;
  /** Replaces the rule when given. */
  rule?: string;
  /** The alert's time; default now. */
  time?: Date;
}

/**
 * A copy of `base` about another pod, with a fresh uuid (as Falcosidekick adds to every alert)
 * and a fresh time, so it is a new event of a new Incident.
 */
export function alertVariant(base: FalcoAlert, variant: AlertVariant): FalcoAlert {
  return {
    ...base,
    uuid: randomUUID(),
    time: (variant.time ?? new Date()).toISOString(),
    rule: variant.rule ?? base.rule,
    output_fields: { ...base.output_fields, "k8s.ns.name": variant.namespace, "k8s.pod.name": variant.pod },
  };
}

/**
 * Publishes the alert's JSON raw (no CloudEvent envelope, no headers) on its Falcosidekick
 * subject and resolves once JetStream stored it; rejects when no stream covers the subject.
 */
export async function publishFalcoAlert(js: JetStreamClient, alert: FalcoAlert): Promise<PubAck> {
  return await js.publish(falcoSubject(alert), new TextEncoder().encode(JSON.stringify(alert)));
}
