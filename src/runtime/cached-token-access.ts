import { createHash } from "node:crypto";
import type { Logger } from "pino";
import { LruCache } from "../collections/lru-cache.ts";
import type { Clock } from "./clock.ts";
import type { TokenAccessDecision } from "./token-access-review.ts";

/** A decision of {@link CachedTokenAccess}: the review's, or `unavailable` when it could not be made. */
export type CachedAccessDecision = TokenAccessDecision | "unavailable";

/** Limits of {@link CachedTokenAccess}. */
export interface CachedTokenAccessLimits {
  /** How long an `allowed` answer is reused. */
  allowTtlMs: number;
  /** How long an `unauthenticated` or `forbidden` answer is reused (shorter: a new RoleBinding takes effect soon). */
  denyTtlMs: number;
  /** Tokens whose answer is kept; the least recently used go first. */
  maxEntries: number;
  /** Reviews under way at once; a token beyond is `unavailable` rather than queued (a storm of new tokens cannot flood the API server). */
  maxInFlight: number;
}

/** The limits the operator's metrics listener uses. */
export const METRICS_ACCESS_LIMITS: CachedTokenAccessLimits = { allowTtlMs: 60_000, denyTtlMs: 10_000, maxEntries: 1024, maxInFlight: 16 };

/**
 * Reviews of bearer tokens, each answer reused for a while: the cache is a bounded LRU keyed by
 * the SHA-256 of the token (no token is kept), allows live `allowTtlMs`, denials `denyTtlMs`;
 * requests with the same token share one review under way. A review that fails is logged and
 * answered `unavailable`, never cached, never an allow. Never rejects.
 */
export class CachedTokenAccess {
  readonly #review: (token: string) => Promise<TokenAccessDecision>;
  readonly #clock: Clock;
  readonly #limits: CachedTokenAccessLimits;
  readonly #logger: Logger;
  readonly #answers: LruCache<string, { decision: TokenAccessDecision; expiresAt: number }>;
  readonly #underWay = new Map<string, Promise<CachedAccessDecision>>();

  constructor(input: { review: (token: string) => Promise<TokenAccessDecision>; clock: Clock; limits: CachedTokenAccessLimits; logger: Logger }) {
    this.#review = input.review;
    this.#clock = input.clock;
    this.#limits = input.limits;
    this.#logger = input.logger;
    this.#answers = new LruCache(input.limits.maxEntries);
  }

  /** The decision for `token`: cached while fresh, else reviewed. */
  decide(token: string): Promise<CachedAccessDecision> {
    const key = createHash("sha256").update(token).digest("hex");
    const now = this.#clock.now().getTime();
    const cached = this.#answers.get(key);
    if (cached !== undefined && cached.expiresAt > now) return Promise.resolve(cached.decision);
    const underWay = this.#underWay.get(key);
    if (underWay !== undefined) return underWay;
    if (this.#underWay.size >= this.#limits.maxInFlight) return Promise.resolve("unavailable");
    const review = this.#reviewAndKeep(key, token).finally(() => { this.#underWay.delete(key); });
    this.#underWay.set(key, review);
    return review;
  }

  async #reviewAndKeep(key: string, token: string): Promise<CachedAccessDecision> {
    let decision: TokenAccessDecision;
    try {
      decision = await this.#review(token);
    } catch (error: unknown) {
      this.#logger.warn({ err: error }, "token review failed; the request is refused as unavailable");
      return "unavailable";
    }
    const ttl = decision === "allowed" ? this.#limits.allowTtlMs : this.#limits.denyTtlMs;
    this.#answers.set(key, { decision, expiresAt: this.#clock.now().getTime() + ttl });
    return decision;
  }
}
