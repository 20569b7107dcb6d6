import { describe, expect, it } from "vitest";
import { loadSamples } from "./cluster-setup.ts";
import { SAMPLE_CHAT, samplesForLocalChat } from "./local-chat.ts";

const standIn = { url: "https://127.0.0.1:4431/services/local", caPem: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n" };

describe("samplesForLocalChat", () => {
  it("points the sample Slack Connector at the stand-in, trusting its CA, and leaves every other sample as it is", async () => {
    const samples = await loadSamples("soar-system");
    const adjusted = samplesForLocalChat(samples, standIn);

    expect(adjusted[0]).toEqual({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: SAMPLE_CHAT.caSecret, namespace: "soar-system" },
      type: "Opaque",
      stringData: { "ca.crt": standIn.caPem },
    });
    const urlSecret = adjusted.find((object) => object.metadata.name === SAMPLE_CHAT.urlSecret);
    expect(urlSecret?.["stringData"]).toEqual({ url: standIn.url });
    const connector = adjusted.find((object) => object.kind === "Connector" && object.metadata.name === SAMPLE_CHAT.connector);
    expect(connector?.["spec"]).toMatchObject({ type: "slack", urlSecretRef: { name: SAMPLE_CHAT.urlSecret, key: "url" }, tls: { caSecretRef: { name: SAMPLE_CHAT.caSecret, key: "ca.crt" } } });
    const untouched = (objects: typeof samples) => objects.filter((object) => ![SAMPLE_CHAT.urlSecret, SAMPLE_CHAT.connector, SAMPLE_CHAT.caSecret].includes(object.metadata.name as never));
    expect(untouched(adjusted)).toEqual(untouched(samples));
    expect(adjusted).toHaveLength(samples.length + 1);
  });

  it("refuses samples without the Connector it answers for", () => {
    expect(() => samplesForLocalChat([], standIn)).toThrow(/slack-secops and its Secret slack-secops-webhook are needed/);
  });
});
