/**
 * The options Node runs the operator with (the image's entry point, `npm run local`, the tests
 * and the benchmarks start it so): a young generation of 2 MiB semi-spaces and an old generation
 * grown by 20 % after each full collection, instead of V8's 16 MiB and a factor of up to 4. When
 * an API server returns from an outage and intake drains its backlog, each large alert leaves
 * megabytes of decoded text behind, and with V8's defaults those pile up faster than they are
 * collected (a 60 s pause with 300 alerts of 1 MiB peaked at 425 MiB RSS with the defaults,
 * 267 MiB with these; docs/performance.md). No cap on the heap: many open Incidents make a
 * bigger process, not an out-of-memory crash.
 */
export const OPERATOR_NODE_OPTIONS: readonly string[] = ["--max-semi-space-size=2", "--heap-growing-percent=20"];

/** The options of {@link OPERATOR_NODE_OPTIONS} that `execArgv` (the running Node's own options) lacks. */
export function missingNodeOptions(execArgv: readonly string[]): readonly string[] {
  return OPERATOR_NODE_OPTIONS.filter((option) => !execArgv.includes(option));
}
