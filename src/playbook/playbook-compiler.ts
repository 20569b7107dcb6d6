import type { Playbook } from "../api/v1alpha1/types.generated.ts";
import { LruCache } from "../collections/lru-cache.ts";
import type { ExpressionCompiler } from "../expr/index.ts";
import type { CompiledPlaybook } from "./compiled-playbook.ts";
import { compilePlaybook } from "./compile-playbook.ts";

/** Playbook generations kept compiled when not configured otherwise. */
export const DEFAULT_COMPILED_PLAYBOOKS = 2048;

/**
 * Compiles Playbooks once per generation and shares the result: intake's matcher and both
 * reconcilers hold one of these and get the same {@link CompiledPlaybook} for the same
 * uid and generation (a generation's spec never changes). The cache keeps the most recently
 * used `maxEntries` generations; objects without a uid (not from the API server) are compiled
 * every time.
 */
export class PlaybookCompiler {
  readonly #expressions: ExpressionCompiler;
  readonly #cache: LruCache<string, CompiledPlaybook>;

  constructor(expressions: ExpressionCompiler, maxEntries = DEFAULT_COMPILED_PLAYBOOKS) {
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`PlaybookCompiler: maxEntries must be a positive integer, got ${String(maxEntries)}`);
    }
    this.#expressions = expressions;
    this.#cache = new LruCache(maxEntries);
  }

  /** The CEL compiler of its Playbooks, with their cache and cost limits: suppressions' `match` shares it. */
  get expressions(): ExpressionCompiler {
    return this.#expressions;
  }

  /** The compiled form of the Playbook's current generation. Never throws. */
  compile(playbook: Playbook): CompiledPlaybook {
    const uid = playbook.metadata.uid;
    const generation = playbook.metadata.generation;
    if (uid === undefined || uid === "" || generation === undefined) return compilePlaybook(playbook, this.#expressions);
    const key = `${uid}/${generation}`;
    const cached = this.#cache.get(key);
    if (cached !== undefined) return cached;
    const compiled = compilePlaybook(playbook, this.#expressions);
    this.#cache.set(key, compiled);
    return compiled;
  }

  /** Compiled generations currently cached. */
  get size(): number {
    return this.#cache.size;
  }
}
