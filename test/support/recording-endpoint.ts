import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One request a {@link RecordingEndpoint} received. */
export interface ReceivedRequest {
  /** When the request's body was read, by this process's clock. */
  readonly at: Date;
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
 * A local HTTP endpoint on 127.0.0.1 that answers every request 202 with a small JSON body and
 * records it, for tests that count what the operator's Connectors sent. Idle connections stay
 * open, as a hosted endpoint's would between calls seconds apart.
 */
export class RecordingEndpoint {
  readonly received: ReceivedRequest[];
  readonly url: string;
  readonly #server: Server;

  private constructor(server: Server, url: string, received: ReceivedRequest[]) {
    this.#server = server;
    this.url = url;
    this.received = received;
  }

  /** Starts listening on a free port of 127.0.0.1; `url` ends in `path`. */
  static async start(path = "/escalate"): Promise<RecordingEndpoint> {
    const received: ReceivedRequest[] = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        received.push({ at: new Date(), method: request.method ?? "", path: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
        response.writeHead(202, { "Content-Type": "application/json" }).end('{"status":"accepted"}');
      });
    });
    // Node closes idle keep-alive connections after 5 s; a call reusing one at that moment fails
    // with ECONNRESET. Tests space calls further apart than that, so idle connections stay open.
    server.keepAliveTimeout = 10 * 60_000;
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    return new RecordingEndpoint(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`, received);
  }

  /** The requests whose `Idempotency-Key` header is `key`. */
  withKey(key: string): ReceivedRequest[] {
    return this.received.filter((request) => request.headers["idempotency-key"] === key);
  }

  /** Closes the listener and every connection. */
  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    this.#server.close();
    await once(this.#server, "close");
  }
}
