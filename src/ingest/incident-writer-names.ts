/** Longest Incident name: names are used as label values on the objects steps create. */
export const MAX_INCIDENT_NAME_LENGTH = 63;

/**
 * The name of the `generation`-th Incident for one dedup identity: the base name for the first,
 * `<base>-<generation>` after that (the base shortened from the left part of its readable
 * prefix when needed, never losing its trailing hash segment). Every replica and every
 * redelivery derives the same sequence, so the chain is found again without shared state.
 */
export function generationName(baseName: string, generation: number): string {
  if (!Number.isSafeInteger(generation) || generation < 1) {
    throw new RangeError(`generation must be a positive integer, got ${String(generation)}`);
  }
  if (generation === 1) return baseName;
  const suffix = `-${String(generation)}`;
  const room = MAX_INCIDENT_NAME_LENGTH - suffix.length;
  if (baseName.length <= room) return `${baseName}${suffix}`;
  const lastDash = baseName.lastIndexOf("-");
  const hash = lastDash === -1 ? "" : baseName.slice(lastDash);
  if (hash.length > 0 && hash.length < room) {
    const prefix = baseName.slice(0, room - hash.length).replace(/-+$/, "");
    return `${prefix}${hash}${suffix}`.replace(/^-+/, "");
  }
  return `${baseName.slice(0, room).replace(/-+$/, "")}${suffix}`;
}
