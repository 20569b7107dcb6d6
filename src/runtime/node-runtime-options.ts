/**
 * The options Node runs the operator with (the image's entry point, `npm run local`, the tests
 * and the benchmarks start it so). `--optimize-for-size` keeps V8's young generation small and
 * collects garbage before growing the heap: when an API server returns from an outage and intake
 * drains its backlog, each large alert leaves megabytes of decoded text behind, and with V8's
 * defaults those pile up faster than they are collected (a 60 s pause with 300 alerts of 1 MiB
 * peaked at 425 MiB RSS with the defaults, 228 MiB with this option; docs/performance.md).
 */
export const OPERATOR_NODE_OPTIONS: readonly string[] = ["--optimize-for-size"];

/** The options of {@link OPERATOR_NODE_OPTIONS} that `execArgv` (the running Node's own options) lacks. */
export function missingNodeOptions(execArgv: readonly string[]): readonly string[] {
  return OPERATOR_NODE_OPTIONS.filter((option) => !execArgv.includes(option));
}
