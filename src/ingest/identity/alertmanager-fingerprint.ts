const FNV64_OFFSET = 14695981039346656037n;
const FNV64_PRIME = 1099511628211n;
const SEPARATOR_BYTE = 0xffn;
const MASK64 = (1n << 64n) - 1n;
const encoder = new TextEncoder();

/**
 * The fingerprint Prometheus and Alertmanager compute for a label set (FNV-1a 64 over the
 * label names in sorted order, each name and value followed by the byte 0xff), as 16 lower-case
 * hex digits. It equals the `fingerprint` Alertmanager sends for the same labels, so alerts
 * without that field still fold with those that carry it.
 */
export function alertmanagerLabelsFingerprint(labels: Readonly<Record<string, string>>): string {
  let hash = FNV64_OFFSET;
  const add = (byte: bigint): void => {
    hash = ((hash ^ byte) * FNV64_PRIME) & MASK64;
  };
  for (const name of Object.keys(labels).sort(compareByCodeUnits)) {
    for (const part of [name, labels[name] ?? ""]) {
      for (const byte of encoder.encode(part)) add(BigInt(byte));
      add(SEPARATOR_BYTE);
    }
  }
  return hash.toString(16).padStart(16, "0");
}

/** Go sorts strings by bytes; for the label names Prometheus allows, UTF-16 order is the same. */
function compareByCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
