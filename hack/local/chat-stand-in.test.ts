import { readFile, mkdtemp, rm } from "node:fs/promises";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCertificates, type ControlPlaneCertificates } from "../harness/certificates.ts";
import { messageText, startChatStandIn, type ChatStandIn } from "./chat-stand-in.ts";

describe("messageText", () => {
  it.each([
    { body: '{"text":"pod isolated"}', expected: "pod isolated" },
    { body: '{"blocks":[]}', expected: '{"blocks":[]}' },
    { body: "plain words", expected: "plain words" },
  ])("$body → $expected", ({ body, expected }) => {
    expect(messageText(body)).toBe(expected);
  });
});

describe("startChatStandIn", () => {
  let dir = "";
  let certs: ControlPlaneCertificates;
  let standIn: ChatStandIn;
  const received: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "kube-soar-chat-"));
    certs = await generateCertificates(dir);
    standIn = await startChatStandIn({ certFile: certs.servingCert, keyFile: certs.servingKey, onMessage: (text) => received.push(text) });
  });

  afterAll(async () => {
    await standIn.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function send(method: string, body?: string): Promise<{ status: number; text: string }> {
    const ca = await readFile(certs.caCert);
    return new Promise((resolve, reject) => {
      const call = request(standIn.url, { method, ca, headers: { "Content-Type": "application/json" } }, (response) => {
        let text = "";
        response.setEncoding("utf8").on("data", (chunk: string) => { text += chunk; });
        response.on("end", () => { resolve({ status: response.statusCode ?? 0, text }); });
      });
      call.on("error", reject);
      call.end(body);
    });
  }

  it("answers a POST like a Slack webhook, over TLS the harness CA verifies, and hands over the text", async () => {
    expect(standIn.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/services\/local$/);
    expect(await send("POST", JSON.stringify({ text: "Crypto-miner traffic from batch/p" }))).toEqual({ status: 200, text: "ok" });
    expect(received).toEqual(["Crypto-miner traffic from batch/p"]);
  });

  it("refuses other methods and takes no message from them", async () => {
    const before = received.length;
    expect((await send("GET")).status).toBe(405);
    expect(received.length).toBe(before);
  });
});
