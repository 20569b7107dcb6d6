import { readFile } from "node:fs/promises";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";

/** Largest request body the stand-in reads; Slack's own limit on a message is far below it. */
const MAX_BODY_BYTES = 1024 * 1024;

/** A running stand-in for a Slack incoming webhook. */
export interface ChatStandIn {
  /** Where to post: `https://127.0.0.1:<port>/services/local`. */
  readonly url: string;
  close(): Promise<void>;
}

export interface ChatStandInOptions {
  /** PEM serving certificate valid for 127.0.0.1, and its key. */
  readonly certFile: string;
  readonly keyFile: string;
  /** Called with the `text` of every message posted (or the raw body when it has none). */
  readonly onMessage: (text: string) => void;
}

/** The message a Slack-style webhook body carries: its `text`, else the body as it came. */
export function messageText(body: string): string {
  try {
    const parsed = JSON.parse(body) as unknown;
    if (typeof parsed === "object" && parsed !== null && typeof (parsed as { text?: unknown }).text === "string") return (parsed as { text: string }).text;
  } catch {
    // Not JSON: shown as it came.
  }
  return body;
}

/**
 * Starts an HTTPS server on 127.0.0.1 that answers like a Slack incoming webhook (`200 ok` to
 * a POST, `405` to anything else, `413` past 1 MiB), so that `npm run local`'s notify step
 * reaches somewhere and the sample run can succeed without the internet.
 */
export async function startChatStandIn(options: ChatStandInOptions): Promise<ChatStandIn> {
  const server = createServer({ cert: await readFile(options.certFile), key: await readFile(options.keyFile) }, (request, response) => {
    if (request.method !== "POST") {
      response.writeHead(405, { "Content-Type": "text/plain", Allow: "POST" }).end("only POST\n");
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on("end", () => {
      if (size > MAX_BODY_BYTES) {
        response.writeHead(413, { "Content-Type": "text/plain" }).end("too large\n");
        return;
      }
      options.onMessage(messageText(Buffer.concat(chunks).toString("utf8")));
      response.writeHead(200, { "Content-Type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => { resolve(); });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${String(port)}/services/local`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => { resolve(); });
      }),
  };
}
