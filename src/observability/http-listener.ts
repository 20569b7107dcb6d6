import { readFileSync } from "node:fs";
import { createServer as createHttpServer, type RequestListener, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";

/** Certificate and key files (PEM) of a listener that serves HTTPS. */
export interface ListenerTls {
  certFile: string;
  keyFile: string;
}

/** A listening HTTP(S) server reduced to what its owner needs. */
export interface HttpListener {
  /** The bound port (the chosen one when asked for port 0). */
  port: number;
  /** The bound address and port. */
  address: AddressInfo;
  /** Stops accepting, closes open connections and resolves once the server closed; idempotent. */
  close(): Promise<void>;
}

/**
 * Listens on `host:port` with `handler`: HTTPS with the files of `tls` (read once, at start),
 * plain HTTP without. Slow clients cannot hold a connection open: headers must arrive within
 * 10 s and a request within 30 s. Rejects when the files cannot be read or the address cannot
 * be bound; resolves once listening. A server error after that goes to `onError`.
 */
export async function startHttpListener(options: {
  host: string;
  port: number;
  tls?: ListenerTls | undefined;
  handler: RequestListener;
  onError?: (error: Error) => void;
}): Promise<HttpListener> {
  const { tls, handler } = options;
  const server: Server = tls === undefined
    ? createHttpServer(handler)
    : createHttpsServer({ cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) }, handler);
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  if (options.onError !== undefined) server.on("error", options.onError);
  const address = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    port: address.port,
    address,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => { resolve(); });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
