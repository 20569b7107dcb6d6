import type { Manifest } from "./cluster-setup.ts";

/** The sample Connector `npm run local` answers for, and the Secrets it reads. */
export const SAMPLE_CHAT = { connector: "slack-secops", urlSecret: "slack-secops-webhook", caSecret: "slack-secops-ca" } as const;

/**
 * The samples as `npm run local` creates them: the sample Slack Connector's webhook URL (its
 * Secret) points at the local stand-in, and the Connector trusts the CA that signed the
 * stand-in's certificate, from a Secret created before it. The rest is unchanged.
 */
export function samplesForLocalChat(samples: readonly Manifest[], standIn: { url: string; caPem: string }): Manifest[] {
  const adjusted = samples.map((sample): Manifest => {
    if (sample.kind === "Secret" && sample.metadata.name === SAMPLE_CHAT.urlSecret) {
      return { ...sample, stringData: { ...(sample["stringData"] as Record<string, string> | undefined), url: standIn.url } };
    }
    if (sample.kind === "Connector" && sample.metadata.name === SAMPLE_CHAT.connector) {
      const spec = (sample["spec"] ?? {}) as Record<string, unknown>;
      const tls = (spec["tls"] ?? {}) as Record<string, unknown>;
      return { ...sample, spec: { ...spec, tls: { ...tls, caSecretRef: { name: SAMPLE_CHAT.caSecret, key: "ca.crt" } } } };
    }
    return sample;
  });
  const urlSecret = adjusted.find((sample) => sample.kind === "Secret" && sample.metadata.name === SAMPLE_CHAT.urlSecret);
  if (urlSecret === undefined || !adjusted.some((sample) => sample.kind === "Connector" && sample.metadata.name === SAMPLE_CHAT.connector)) {
    throw new Error(`config/samples: the Connector ${SAMPLE_CHAT.connector} and its Secret ${SAMPLE_CHAT.urlSecret} are needed for the local run`);
  }
  const caSecret: Manifest = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: SAMPLE_CHAT.caSecret, ...(urlSecret.metadata.namespace === undefined ? {} : { namespace: urlSecret.metadata.namespace }) },
    type: "Opaque",
    stringData: { "ca.crt": standIn.caPem },
  };
  return [caSecret, ...adjusted];
}
