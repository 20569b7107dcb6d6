import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { createTestNamespace, waitFor } from "../support/kube.ts";
import { listIncidents, testOptions, useIntakeSuite } from "./intake-helpers.ts";

/** An HTTP answer read off a raw socket. */
interface RawAnswer {
  status: number;
  body: string;
}

/**
 * POSTs over a raw socket, writing the header lines byte for byte (so non-ASCII header bytes
 * reach the server exactly as a Go producer sends them), and reads the answer to the end.
 */
function rawPost(receiverUrl: string, path: string, headerLines: readonly Buffer[], body: Buffer): Promise<RawAnswer> {
  const { hostname, port } = new URL(receiverUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      resolve({ status: Number(status ?? 0), body: text.slice(text.indexOf("\r\n\r\n") + 4) });
    });
    const head = [
      Buffer.from(`POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\nContent-Length: ${String(body.length)}\r\n`, "latin1"),
      ...headerLines.flatMap((line) => [line, Buffer.from("\r\n", "latin1")]),
      Buffer.from("\r\n", "latin1"),
    ];
    socket.write(Buffer.concat([...head, body]));
  });
}

const utf8Line = (line: string): Buffer => Buffer.from(line, "utf8");

describe("producers as they really send", () => {
  let namespace = "";
  const suite = useIntakeSuite(async (kubeConfig, natsUrl) => {
    namespace = await createTestNamespace(kubeConfig, "intake-producers");
    return testOptions({ natsUrl, defaultNamespace: namespace });
  });

  it("reads raw UTF-8 and quoted-string ce- headers of a binary-mode CloudEvent", async () => {
    const answer = await rawPost(
      suite.intake.receiverUrl,
      "/events",
      [
        utf8Line("Content-Type: application/json"),
        utf8Line("Ce-Specversion: 1.0"),
        utf8Line("Ce-Id: utf8-header-1"),
        utf8Line("Ce-Source: //producers.test"),
        utf8Line("Ce-Type: com.example.utf8"),
        utf8Line("Ce-Severity: high"),
        utf8Line("Ce-Subject: Zürich ✓ 東京 50% load"),
        utf8Line('Ce-Comment: "a \\"quoted\\" value"'),
      ],
      Buffer.from("{}"),
    );
    expect(answer).toMatchObject({ status: 202 });
    await waitFor(async () => (await listIncidents(suite.kubeConfig, namespace)).some((incident) => incident.spec.event?.id === "utf8-header-1"), {
      timeoutMs: 20_000,
      description: "the Incident of the event with UTF-8 headers",
    });
    const incident = (await listIncidents(suite.kubeConfig, namespace)).find((candidate) => candidate.spec.event?.id === "utf8-header-1");
    expect(incident?.spec.event?.subject).toBe("Zürich ✓ 東京 50% load");
  });

  it("refuses header bytes that are neither ASCII nor UTF-8", async () => {
    const answer = await rawPost(
      suite.intake.receiverUrl,
      "/events",
      [
        utf8Line("Content-Type: application/json"),
        utf8Line("Ce-Specversion: 1.0"),
        utf8Line("Ce-Id: latin1-header-1"),
        utf8Line("Ce-Source: //producers.test"),
        utf8Line("Ce-Type: com.example.utf8"),
        Buffer.from("Ce-Subject: Z\xfcrich", "latin1"),
      ],
      Buffer.from("{}"),
    );
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { reason: "invalid-encoding", field: "ce-subject" } });
  });
});
