import { jetstream } from "@nats-io/jetstream";
import { connect, headers as natsHeaders } from "@nats-io/transport-node";
import { CliFailure } from "../cli-errors.ts";
import { FORMAT_NAMES, type AlertPayload } from "./alert-payload.ts";

/** Where to publish. */
export interface NatsTarget {
  /** NATS server URL(s), comma separated. */
  readonly servers: string;
  /** Overrides the payload's subject. */
  readonly subject: string | undefined;
  readonly timeoutMs: number;
}

/** What JetStream acknowledged. */
export interface NatsReceipt {
  readonly subject: string;
  readonly stream: string;
  readonly sequence: number;
  readonly duplicate: boolean;
}

/**
 * Publishes the payload with JetStream (a CloudEvent with `Content-Type:
 * application/cloudevents+json`, a Falco alert raw, as Falcosidekick does) and resolves once a
 * stream stored it; throws a `CliFailure` when the server cannot be reached or no stream stores
 * the subject.
 */
export async function sendNats(payload: AlertPayload, target: NatsTarget): Promise<NatsReceipt> {
  const subject = target.subject ?? payload.subject;
  if (subject === undefined) throw new CliFailure(`an ${FORMAT_NAMES[payload.format]} comes to kube-soar over HTTP only (${payload.path}): use --http`);
  const servers = target.servers.split(",").filter((server) => server !== "");
  const connection = await connect({ servers, timeout: target.timeoutMs, maxReconnectAttempts: 0 }).catch((error: unknown) => {
    throw new CliFailure(`--nats ${target.servers}: ${error instanceof Error ? error.message : String(error)}`);
  });
  try {
    const headers = natsHeaders();
    if (payload.format === "cloudevent") headers.set("Content-Type", payload.contentType);
    const ack = await jetstream(connection, { timeout: target.timeoutMs }).publish(subject, payload.body, payload.format === "cloudevent" ? { headers } : {});
    return { subject, stream: ack.stream, sequence: ack.seq, duplicate: ack.duplicate };
  } catch (error: unknown) {
    throw new CliFailure(`publish on ${subject}: ${error instanceof Error ? error.message : String(error)} (does a JetStream stream, kube-soar's intake stream, take this subject?)`);
  } finally {
    await connection.close();
  }
}
