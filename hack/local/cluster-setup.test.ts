import { describe, expect, it } from "vitest";
import { loadSamples } from "./cluster-setup.ts";

describe("loadSamples", () => {
  it("puts every sample but Incidents into the namespace, Secrets first, then Connectors, then Playbooks", async () => {
    const samples = await loadSamples("soar-demo");
    const kinds = samples.map((sample) => sample.kind);
    expect(kinds).not.toContain("Incident");
    expect(kinds.filter((kind) => ["Secret", "Connector", "Playbook"].includes(kind))).toEqual([
      ...kinds.filter((kind) => kind === "Secret"),
      ...kinds.filter((kind) => kind === "Connector"),
      ...kinds.filter((kind) => kind === "Playbook"),
    ]);
    expect(samples.map((sample) => `${sample.kind}/${sample.metadata.name}`)).toEqual(
      expect.arrayContaining(["Secret/slack-secops-webhook", "Connector/slack-secops", "Playbook/falco-crypto-miner"]),
    );
    expect(new Set(samples.map((sample) => sample.metadata.namespace))).toEqual(new Set(["soar-demo"]));
  });
});
