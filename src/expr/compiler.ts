import { parse, plan } from "@bufbuild/cel";
import { analyzeReferences } from "./check-references.ts";
import { measureTree } from "./check-structure.ts";
import { contextVariables, isExpressionContext, variableFields, type ExpressionContext } from "./contexts.ts";
import { createExpressionEnvironment, type ExpressionEnvironment } from "./environment.ts";
import { safeMessage } from "./error-text.ts";
import { instrumentComprehensions } from "./instrument.ts";
import { resolveExpressionLimits, type ExpressionLimits } from "./limits.ts";
import { LruCache } from "../collections/lru-cache.ts";
import { CompiledExpression } from "./program.ts";
import { bracketNesting, lineColumn } from "./source-scan.ts";
import type { ParsedExpression } from "./syntax-tree.ts";

/** A compiled program, or the reason the source was rejected (never an exception). */
export type CompileResult =
  | { readonly ok: true; readonly program: CompiledExpression }
  | { readonly ok: false; readonly message: string };

/** Options for an expression compiler; everything has a default. */
export interface ExpressionCompilerOptions {
  readonly limits?: Partial<ExpressionLimits>;
  /** Most compile results kept in the cache. */
  readonly cacheEntries?: number;
  /** Most source characters kept in the cache, summed over its entries. */
  readonly cacheSourceChars?: number;
}

/** Compiles CEL for one operator: one environment, one cost meter, one bounded cache. */
export interface ExpressionCompiler {
  readonly limits: ExpressionLimits;
  /**
   * Checks `source` against the limits and the variables of `context`, then plans it. The
   * result for a (context, source) pair is cached: compiling it again returns the same
   * program (or the same message) without parsing. Never throws.
   */
  compile(source: string, context: ExpressionContext): CompileResult;
  /** Entries currently cached. */
  readonly cacheSize: number;
}

/** Default bound on cached compile results: enough for every Playbook of a large cluster. */
export const defaultCacheEntries = 4096;

/** Default bound on the source characters held by the compile cache, summed over entries. */
export const defaultCacheSourceChars = 4 * 1024 * 1024;

/**
 * Creates a compiler. Throws a RangeError naming the field when an option is not a positive
 * integer (options come from operator configuration, validated at startup).
 */
export function createExpressionCompiler(options: ExpressionCompilerOptions = {}): ExpressionCompiler {
  const limits = resolveExpressionLimits(options.limits);
  const cacheEntries = positiveInteger("cacheEntries", options.cacheEntries ?? defaultCacheEntries);
  const cacheSourceChars = positiveInteger("cacheSourceChars", options.cacheSourceChars ?? defaultCacheSourceChars);
  const environment = createExpressionEnvironment();
  const cache = new LruCache<string, CompileResult>(cacheEntries, cacheSourceChars);
  return {
    limits,
    compile(source, context) {
      if (!isExpressionContext(context)) return rejected(`unknown expression context '${String(context)}'`);
      // Over-long sources are rejected before the cache so that they never evict real entries.
      if (source.length > limits.maxSourceBytes) return tooLong(source, limits);
      const key = `${context}\u0000${source}`;
      const cached = cache.get(key);
      if (cached !== undefined) return cached;
      const result = compileUncached(source, context, limits, environment);
      cache.set(key, result, key.length);
      return result;
    },
    get cacheSize() {
      return cache.size;
    },
  };
}

function compileUncached(
  source: string,
  context: ExpressionContext,
  limits: ExpressionLimits,
  environment: ExpressionEnvironment,
): CompileResult {
  if (Buffer.byteLength(source, "utf8") > limits.maxSourceBytes) return tooLong(source, limits);
  if (source.trim() === "") return rejected("expression is empty");
  const nesting = bracketNesting(source);
  if (nesting > limits.maxBracketNesting) {
    return rejected(`expression nests brackets ${nesting} deep; the limit is ${limits.maxBracketNesting}`);
  }
  const parsed = parseSource(source);
  if (typeof parsed === "string") return rejected(parsed);
  const shape = measureTree(parsed.expr);
  if (shape.depth > limits.maxTreeDepth) {
    return rejected(`expression nests ${shape.depth} levels deep; the limit is ${limits.maxTreeDepth}`);
  }
  if (shape.comprehensionNesting > limits.maxComprehensionNesting) {
    return rejected(
      `expression nests ${shape.comprehensionNesting} comprehensions (all, exists, exists_one, map, filter) ` +
        `inside one another; the limit is ${limits.maxComprehensionNesting}`,
    );
  }
  const declared = contextVariables[context];
  const references = analyzeReferences(parsed, new Set(declared), environment.functions, variableFields);
  if (references.unresolved !== undefined) {
    const { kind, problem, offset, hint } = references.unresolved;
    const where = offset === undefined ? "" : ` at ${lineColumn(source, offset)}`;
    const help = kind === "variable" ? ` (${context} expressions may use: ${declared.join(", ")})` : hint === undefined ? "" : ` (${hint})`;
    return rejected(`${problem}${where}${help}`);
  }
  instrumentComprehensions(parsed.expr);
  try {
    const evaluate = plan(environment.env, parsed);
    return {
      ok: true,
      program: new CompiledExpression({
        context,
        source,
        variables: references.variables,
        environment,
        evaluate,
        positions: parsed.sourceInfo?.positions ?? {},
        costLimit: limits.costLimit,
      }),
    };
  } catch (error: unknown) {
    return rejected(`invalid expression: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The parsed tree, or a syntax error message with its 1-based line and column. */
function parseSource(source: string): ParsedExpression | string {
  try {
    return parse(source);
  } catch (error: unknown) {
    return syntaxErrorMessage(error);
  }
}

function syntaxErrorMessage(error: unknown): string {
  if (!(error instanceof Error)) return `syntax error: ${String(error)}`;
  if (error instanceof RangeError) return "syntax error: expression is too deeply nested to parse";
  const { rawMessage, location } = error as { rawMessage?: unknown; location?: { start?: { line?: unknown; column?: unknown } } };
  const line = location?.start?.line;
  const column = location?.start?.column;
  if (typeof rawMessage === "string" && typeof line === "number" && typeof column === "number") {
    return `syntax error at ${line}:${column}: ${rawMessage}`;
  }
  return `syntax error: ${error.message}`;
}

function tooLong(source: string, limits: ExpressionLimits): CompileResult {
  return rejected(
    `expression is ${Buffer.byteLength(source, "utf8")} bytes long; the limit is ${limits.maxSourceBytes}`,
  );
}

function rejected(message: string): CompileResult {
  return { ok: false, message: safeMessage(message) };
}

function positiveInteger(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`expression compiler: ${field} must be a positive integer, got ${String(value)}`);
  }
  return value;
}
