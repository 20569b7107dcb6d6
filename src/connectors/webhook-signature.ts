import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The signature header value of a webhook call: `t=<unix seconds>,v1=<hex HMAC-SHA256>` where
 * the HMAC covers `<unix seconds>.<body>`. The timestamp lets a receiver refuse replays; the
 * key is the Connector's HMAC Secret.
 */
export function signatureHeader(key: Buffer, timestampSeconds: number, body: string): string {
  const mac = createHmac("sha256", key).update(`${timestampSeconds}.${body}`).digest("hex");
  return `t=${timestampSeconds},v1=${mac}`;
}

/**
 * Checks a signature header as a receiver would: well-formed, made with `key` over `body`, and
 * its timestamp within `toleranceSeconds` of `nowSeconds`. Constant-time comparison.
 */
export function verifySignatureHeader(
  header: string,
  key: Buffer,
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  const timestamp = match?.[1];
  const mac = match?.[2];
  if (timestamp === undefined || mac === undefined) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return false;
  const expected = createHmac("sha256", key).update(`${timestamp}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(mac, "hex"));
}
