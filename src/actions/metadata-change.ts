/** Keys kube-soar changed on an object, with their values before the first change (null: absent). */
export type RecordedValues = Record<string, string | null>;

/** Reads the marker annotation; anything that is not a JSON object of strings and nulls counts as empty. */
export function parseRecordedValues(json: string | undefined): RecordedValues {
  if (json === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(json) as unknown;
  } catch {
    return {};
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return {};
  const result: RecordedValues = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof value === "string" || value === null) result[key] = value;
  }
  return result;
}

/** The marker annotation value for `recorded`, or null (remove the annotation) when empty. */
export function serializeRecordedValues(recorded: RecordedValues): string | null {
  return Object.keys(recorded).length === 0 ? null : JSON.stringify(recorded);
}

/** What applying requested values to an object's labels (or annotations) takes. */
export interface MetadataChangePlan {
  /** False when every requested key already has its value: nothing to write. */
  readonly changed: boolean;
  /** The requested values that differ from the current ones. */
  readonly set: Readonly<Record<string, string>>;
  /** The marker after the change: earlier values of every key kube-soar has changed. */
  readonly recorded: RecordedValues;
  /** Earlier values of the requested keys that had one (for the undo record). */
  readonly previous: Readonly<Record<string, string>>;
  /** Requested keys that had no value before kube-soar first changed them. */
  readonly previouslyAbsent: readonly string[];
}

/**
 * Plans setting `requested` on `current`, given the earlier values already recorded on the
 * object. A key's earlier value is the one before kube-soar *first* changed it, so re-running
 * the action (after a crash, or a second time) yields the same undo record.
 */
export function planMetadataChange(
  current: Readonly<Record<string, string>>,
  recordedBefore: RecordedValues,
  requested: Readonly<Record<string, string>>,
): MetadataChangePlan {
  const set: Record<string, string> = {};
  const recorded: RecordedValues = { ...recordedBefore };
  const previous: Record<string, string> = {};
  const previouslyAbsent: string[] = [];
  for (const [key, value] of Object.entries(requested)) {
    const now = Object.hasOwn(current, key) ? current[key] : undefined;
    if (now !== value) {
      set[key] = value;
      if (!Object.hasOwn(recorded, key)) recorded[key] = now ?? null;
    }
    const earlier = Object.hasOwn(recorded, key) ? recorded[key] : now;
    if (earlier === null || earlier === undefined) previouslyAbsent.push(key);
    else previous[key] = earlier;
  }
  return { changed: Object.keys(set).length > 0, set, recorded, previous, previouslyAbsent };
}

/** What reverting an earlier change takes. */
export interface MetadataRevertPlan {
  /** Values to write; null removes the key. */
  readonly patch: Readonly<Record<string, string | null>>;
  /** The marker after the revert. */
  readonly recorded: RecordedValues;
  /** Keys put back to their earlier value (or removed). */
  readonly restored: readonly string[];
  /** Keys someone changed since the action: left as they are. */
  readonly leftAlone: readonly string[];
}

/**
 * Plans the undo of a change: each key that still has the value the action set goes back to
 * its earlier value (removed when it had none); a key changed since by someone else is left
 * alone. Either way kube-soar forgets the key in its marker.
 */
export function planMetadataRevert(
  current: Readonly<Record<string, string>>,
  recordedBefore: RecordedValues,
  undo: { applied: Readonly<Record<string, string>>; previous: Readonly<Record<string, string>>; previouslyAbsent: readonly string[] },
): MetadataRevertPlan {
  const patch: Record<string, string | null> = {};
  const recorded: RecordedValues = { ...recordedBefore };
  const restored: string[] = [];
  const leftAlone: string[] = [];
  for (const [key, applied] of Object.entries(undo.applied)) {
    Reflect.deleteProperty(recorded, key);
    const now = Object.hasOwn(current, key) ? current[key] : undefined;
    if (now !== applied) {
      leftAlone.push(key);
      continue;
    }
    const earlier = Object.hasOwn(undo.previous, key) ? undo.previous[key] : undefined;
    if (earlier === undefined && !undo.previouslyAbsent.includes(key)) continue;
    if (earlier !== applied) {
      patch[key] = earlier ?? null;
      restored.push(key);
    }
  }
  return { patch, recorded, restored, leftAlone };
}
