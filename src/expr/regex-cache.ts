import type { celEnv } from "@bufbuild/cel";
import { RE2JS } from "@bufbuild/re2";
import { LruCache } from "../collections/lru-cache.ts";

/** The regular expression engine interface an environment accepts. */
export type RegexEngine = NonNullable<NonNullable<Parameters<typeof celEnv>[0]>["re2"]>;

/** Most compiled patterns kept per environment. */
export const regexCacheEntries = 256;

/** Most pattern characters kept per environment, summed over the cached patterns. */
export const regexCacheChars = 64 * 1024;

/**
 * RE2 (linear-time matching, whatever the text) with compiled patterns kept in a bounded LRU
 * cache: `matches` with a constant pattern compiles it once instead of on every call. A pattern
 * that does not compile is not cached; the error reaches the caller as a CEL error.
 */
export function cachingRegexEngine(): RegexEngine {
  const cache = new LruCache<string, RE2JS>(regexCacheEntries, regexCacheChars);
  return {
    compile(pattern) {
      const cached = cache.get(pattern);
      if (cached !== undefined) return cached;
      const compiled = RE2JS.compile(pattern);
      cache.set(pattern, compiled, pattern.length);
      return compiled;
    },
  };
}
