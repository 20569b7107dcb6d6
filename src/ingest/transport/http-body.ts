import type { IncomingMessage } from "node:http";

/** The body of a request, or why it could not be read within the limit. */
export type BodyResult =
  | { ok: true; body: Uint8Array }
  | { ok: false; status: 413; message: string }
  | { ok: false; status: 400; message: string };

/**
 * Reads a request body of at most `maxBytes`. A declared `Content-Length` above the limit is
 * refused before reading; a body that grows past the limit stops being read as soon as it does
 * (the connection is then closed by the caller's response). Never rejects.
 */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const declared = request.headers["content-length"];
  if (declared !== undefined && Number(declared) > maxBytes) {
    request.resume();
    return Promise.resolve({ ok: false, status: 413, message: `body: ${declared} bytes exceed the limit of ${String(maxBytes)} bytes` });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyResult): void => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    request.on("data", (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > maxBytes) {
        chunks.length = 0;
        request.pause();
        settle({ ok: false, status: 413, message: `body: exceeds the limit of ${String(maxBytes)} bytes` });
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => {
      settle({ ok: true, body: Buffer.concat(chunks, size) });
    });
    request.on("error", (error: Error) => {
      settle({ ok: false, status: 400, message: `body: could not be read (${error.message})` });
    });
    request.on("aborted", () => {
      settle({ ok: false, status: 400, message: "body: the client aborted the request" });
    });
  });
}
