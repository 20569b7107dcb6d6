import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, inject, it } from "vitest";
import { binaryPath } from "../../hack/harness/binaries.ts";
import { createTestNamespace, waitFor } from "../support/kube.ts";
import { createPlaybook, listIncidents, testOptions, useIntakeSuite } from "./intake-helpers.ts";

const run = promisify(execFile);

const TOKEN = "sdk-go-receiver-token";
const TYPE = "com.example.sdk.checked";
const SOURCE = "//producers.example.com/sdk-go";

/** Every mode the CloudEvents Go SDK sends in, and where its event goes. */
const MODES = ["http-binary", "http-structured", "nats", "jetstream-binary", "jetstream-structured"] as const;

describe("the CloudEvents Go SDK as a producer", () => {
  const scratch = mkdtempSync(join(tmpdir(), "kube-soar-sdk-"));
  let namespace = "";
  const suite = useIntakeSuite(async (kubeConfig, natsUrl) => {
    namespace = await createTestNamespace(kubeConfig, "intake-sdk");
    const tokenFile = join(scratch, "tokens");
    writeFileSync(tokenFile, `${TOKEN}\n`);
    // The Playbook matches on the extensions only, so an Incident naming it proves they arrived.
    await createPlaybook(kubeConfig, namespace, {
      metadata: { name: "sdk-extensions" },
      spec: {
        trigger: { types: [TYPE], when: 'event.extensions.team == "payments" && event.extensions.ticket == "OPS-42"' },
        steps: [{ name: "notify", job: { image: "registry.example.com/notify:1" } }],
      },
    });
    return testOptions({ natsUrl, defaultNamespace: namespace, receiver: { tokenFile } });
  });

  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  for (const mode of MODES) {
    it(`turns an event sent in ${mode} mode into an Incident with its attributes, extensions and data`, async () => {
      const data = { mode, host: "db-1", message: "Zürich ✓ 50% load", nested: { count: 3 } };
      const dataFile = join(scratch, `${mode}.json`);
      writeFileSync(dataFile, JSON.stringify(data));
      const id = `sdk-${mode}-1`;
      const subject = `checkout/${mode} Zürich ✓ 東京 50% load`;
      const http = mode.startsWith("http");
      await run(await binaryPath(inject("binDir"), "cloudevents-send"), [
        "-mode", mode,
        "-target", http ? `${suite.intake.receiverUrl}/events` : suite.nats.url,
        ...(http ? ["-token", TOKEN] : ["-subject", "soar.events.sdk", "-stream", "SOAR_EVENTS"]),
        "-id", id,
        "-type", TYPE,
        "-source", SOURCE,
        "-ce-subject", subject,
        "-time", "2026-11-28T10:00:00Z",
        "-ext", "team=payments",
        "-ext", "ticket=OPS-42",
        "-ext", "severity=high",
        "-data", dataFile,
      ]);
      const incident = await waitFor(
        async () => (await listIncidents(suite.kubeConfig, namespace)).find((found) => found.spec.event?.subject === subject),
        { timeoutMs: 30_000, description: `the Incident of ${mode}` },
      );
      expect(incident.spec.event).toMatchObject({ id, source: SOURCE, type: TYPE, subject, time: "2026-11-28T10:00:00Z", data });
      expect(incident.spec.severity).toBe("high");
      expect(incident.spec.playbooks).toEqual(["sdk-extensions"]);
      expect(incident.status?.occurrences).toBe(1);
    });
  }

  it("refuses the SDK's HTTP request without the token", async () => {
    const binary = await binaryPath(inject("binDir"), "cloudevents-send");
    const args = ["-mode", "http-binary", "-target", `${suite.intake.receiverUrl}/events`, "-id", "no-token", "-type", TYPE, "-source", SOURCE];
    await expect(run(binary, args)).rejects.toThrow(/401/);
  });
});
