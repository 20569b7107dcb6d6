/** Bounds applied while decoding hostile input; every decoder takes them from its caller. */
export interface DecodeLimits {
  /** Largest accepted message body (HTTP body, NATS payload), in bytes. */
  readonly maxBytes: number;
  /** Deepest accepted JSON nesting of a whole body, counting the outermost object or array as 1. */
  readonly maxDepth: number;
  /** Largest accepted CloudEvents attribute value (after percent-decoding), in UTF-8 bytes. */
  readonly maxAttributeBytes: number;
  /** Most extension attributes accepted on one event. */
  readonly maxExtensions: number;
  /** Longest accepted extension attribute name (the CloudEvents spec recommends 20 at most). */
  readonly maxExtensionNameLength: number;
  /** Most events accepted in one CloudEvents batch or one Alertmanager webhook. */
  readonly maxBatchEvents: number;
  /** Largest accepted total of `ce-*` and `Content-Type` header names and values, in bytes. */
  readonly maxHeaderBytes: number;
}

/** The defaults: 1 MiB bodies, depth 32, 4 KiB attributes, 64 extensions, 1000 events per batch. */
export const DEFAULT_DECODE_LIMITS: DecodeLimits = Object.freeze({
  maxBytes: 1024 * 1024,
  maxDepth: 32,
  maxAttributeBytes: 4096,
  maxExtensions: 64,
  maxExtensionNameLength: 64,
  maxBatchEvents: 1000,
  maxHeaderBytes: 64 * 1024,
});

/**
 * Fills unset limits with the defaults and checks each is a positive safe integer.
 * @throws RangeError naming the limit when one is not a positive integer (a configuration error,
 * raised once at start-up, never for message input).
 */
export function resolveDecodeLimits(overrides: Partial<DecodeLimits> = {}): DecodeLimits {
  const limits: DecodeLimits = { ...DEFAULT_DECODE_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || (value as number) < 1) {
      throw new RangeError(`decode limit ${name} must be a positive integer, got ${String(value)}`);
    }
  }
  return Object.freeze(limits);
}
