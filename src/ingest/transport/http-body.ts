import type { IncomingMessage } from "node:http";

/**
 * How many times the body limit the receiver reads and discards of an oversized body before
 * answering 413. A client that sends its whole body before reading the answer (as `fetch` and
 * most HTTP libraries do) only sees the 413 if the connection is still open when it finishes
 * sending; beyond this bound the connection is closed under it.
 */
export const OVERSIZED_BODY_DRAIN_FACTOR = 4;

/**
 * The bytes a request's body is reserved in the receiver's in-flight budget: its declared
 * `Content-Length` up to `maxBytes` (a larger body is refused, and drained without being kept),
 * or `maxBytes` when the length is not declared (a chunked body may grow to the limit).
 */
export function reservedBodyBytes(request: Pick<IncomingMessage, "headers">, maxBytes: number): number {
  const declared = Number(request.headers["content-length"]);
  return Number.isSafeInteger(declared) && declared >= 0 ? Math.min(declared, maxBytes) : maxBytes;
}

/** The body of a request, or why it could not be read within the limit. */
export type BodyResult =
  | { ok: true; body: Uint8Array }
  | { ok: false; status: 413; message: string }
  | { ok: false; status: 400; message: string };

/**
 * Reads a request body of at most `maxBytes`. A body above the limit is read to its end and
 * discarded, up to {@link OVERSIZED_BODY_DRAIN_FACTOR} times `maxBytes` in all, before it is
 * refused with 413, so that the client can read the answer; a declared `Content-Length` above
 * that bound is refused before reading, and a body that grows past it stops being read (the
 * connection is then closed by the caller's response). Never rejects.
 */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const drainBytes = OVERSIZED_BODY_DRAIN_FACTOR * maxBytes;
  const declared = request.headers["content-length"];
  const tooLarge: BodyResult = {
    ok: false,
    status: 413,
    message: declared !== undefined && Number(declared) > maxBytes
      ? `body: ${declared} bytes exceed the limit of ${String(maxBytes)} bytes`
      : `body: exceeds the limit of ${String(maxBytes)} bytes`,
  };
  if (declared !== undefined && Number(declared) > drainBytes) return Promise.resolve(tooLarge);
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
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      chunks.length = 0;
      if (size > drainBytes) {
        request.pause();
        settle(tooLarge);
      }
    });
    request.on("end", () => {
      settle(size > maxBytes ? tooLarge : { ok: true, body: Buffer.concat(chunks, size) });
    });
    request.on("error", (error: Error) => {
      settle({ ok: false, status: 400, message: `body: could not be read (${error.message})` });
    });
    request.on("aborted", () => {
      settle({ ok: false, status: 400, message: "body: the client aborted the request" });
    });
  });
}
