/**
 * The threat-intelligence index on a feed of a million indicators: half IPv4 (addresses and CIDR
 * ranges of /20 to /30), a quarter domains, a quarter SHA-256 hashes.
 *
 *   node --expose-gc bench/intel.ts [--indicators 1000000] [--rounds 3] [--probes 200000]
 *
 * Prints (figures vary with machine load; nothing is asserted):
 * 1. memory: the RSS, JS heap and array-buffer growth of one load of the list text, after forced
 *    garbage collections, and the bytes per indicator they come to (the text itself is generated
 *    before the baseline and kept until after the measurement, so it is not counted);
 * 2. load time, text → FeedIndex, for the plain list (types inferred) and for the same values as
 *    CSV with a type and a confidence column: min / median / max of the rounds, by wall clock and
 *    by the process's CPU time (which a busy machine inflates less);
 * 3. lookups per second on one core, half hits and half misses over all types, through
 *    `IntelStore.match` (type inferred from the value) and `FeedIndex.lookup` (type given):
 *    min / median / max of the rounds, by wall clock and by CPU time.
 * Runs in well under a minute.
 */
import { parseArgs } from "node:util";
import { IntelStore, loadFeed, type FeedIndex, type FeedFormat, type FeedSettings, type IndicatorType } from "../src/intel/index.ts";

const { values: args } = parseArgs({
  options: {
    indicators: { type: "string", default: "1000000" },
    rounds: { type: "string", default: "3" },
    probes: { type: "string", default: "200000" },
  },
});

function intArg(name: "indicators" | "rounds" | "probes"): number {
  const value = Number(args[name]);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name}: expected a positive integer, got ${args[name]}`);
  return value;
}

const gc = globalThis.gc;
if (gc === undefined) throw new Error("run with node --expose-gc bench/intel.ts: the memory figures need forced garbage collections");
const collect = gc;

const INDICATORS = intArg("indicators");
const ROUNDS = intArg("rounds");
const PROBES = intArg("probes");
const NOW = Date.UTC(2026, 0, 1);
const SETTINGS: FeedSettings = { key: "kube-soar/bench", namespace: "kube-soar", labels: ["bench"], defaultConfidence: 60, includeSubdomains: true };

/** mulberry32: a small seeded generator, so every run indexes the same feed. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), state | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const random = generator(20260101);
const word32 = (): number => Math.floor(random() * 4294967296) >>> 0;
const ipv4 = (word: number): string => `${word >>> 24}.${(word >>> 16) & 255}.${(word >>> 8) & 255}.${word & 255}`;
const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
const label = (length: number): string => Array.from({ length }, () => ALPHABET[Math.floor(random() * 26)] ?? "a").join("");
const TLDS = ["com", "net", "org", "io", "example", "info", "xyz", "ru"];
const domain = (): string => `${label(6 + Math.floor(random() * 9))}.${TLDS[Math.floor(random() * TLDS.length)] ?? "com"}`;
const sha256 = (): string => Array.from({ length: 8 }, () => word32().toString(16).padStart(8, "0")).join("");

interface Generated {
  readonly list: string;
  readonly csv: string;
  readonly addresses: readonly number[];
  readonly ranges: readonly (readonly [number, number])[];
  readonly domains: readonly string[];
  readonly hashes: readonly string[];
}

function generate(count: number): Generated {
  const addresses: number[] = [];
  const ranges: [number, number][] = [];
  const domains: string[] = [];
  const hashes: string[] = [];
  const lines: string[] = [];
  const records: string[] = ["value,type,confidence"];
  const push = (value: string, type: string): void => {
    lines.push(value);
    records.push(`${value},${type},${50 + (lines.length % 50)}`);
  };
  for (let index = 0; index < count; index++) {
    const share = index % 4;
    if (share < 2) {
      if (index % 10 < 8) {
        const address = word32();
        addresses.push(address);
        push(ipv4(address), "ipv4");
      } else {
        const prefix = 20 + Math.floor(random() * 11);
        const network = (word32() & (0xffffffff << (32 - prefix))) >>> 0;
        ranges.push([network, prefix]);
        push(`${ipv4(network)}/${prefix}`, "ipv4");
      }
    } else if (share === 2) {
      const value = domain();
      domains.push(value);
      push(value, "domain");
    } else {
      const value = sha256();
      hashes.push(value);
      push(value, "sha256");
    }
  }
  return { list: lines.join("\n"), csv: records.join("\n"), addresses, ranges, domains, hashes };
}

interface Probe {
  readonly type: IndicatorType;
  readonly value: string;
}

/** Half hits (listed values, addresses inside listed ranges, subdomains of listed domains) and half misses, in the feed's type mix. */
function probes(generated: Generated, count: number): readonly Probe[] {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const result: Probe[] = [];
  for (let index = 0; index < count; index++) {
    const hit = index % 2 === 0;
    const share = Math.floor(index / 2) % 4;
    if (share < 2) {
      if (!hit) result.push({ type: "ipv4", value: ipv4(word32()) });
      else if (index % 10 < 6) result.push({ type: "ipv4", value: ipv4(pick(generated.addresses)) });
      else {
        const [network, prefix] = pick(generated.ranges);
        result.push({ type: "ipv4", value: ipv4((network + Math.floor(random() * 2 ** (32 - prefix))) >>> 0) });
      }
    } else if (share === 2) {
      result.push({ type: "domain", value: hit ? (index % 3 === 0 ? `www.${pick(generated.domains)}` : pick(generated.domains)) : domain() });
    } else {
      result.push({ type: "sha256", value: hit ? pick(generated.hashes) : sha256() });
    }
  }
  return result;
}

function load(text: string, format: FeedFormat): FeedIndex {
  const loaded = loadFeed(text, format, SETTINGS, NOW);
  if (!loaded.ok) throw new Error(`the bench feed did not load: ${loaded.reason}`);
  if (loaded.rejected.count > 0) throw new Error(`the bench feed rejected ${loaded.rejected.count} lines: ${JSON.stringify(loaded.rejected.first)}`);
  return loaded.index;
}

function spread(values: readonly number[], format: (value: number) => string): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return `min ${format(sorted[0] ?? 0)}  median ${format(median)}  max ${format(sorted.at(-1) ?? 0)}`;
}

const mib = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MiB`;

function settle(): NodeJS.MemoryUsage {
  for (let round = 0; round < 3; round++) collect();
  return process.memoryUsage();
}

function measureMemory(generated: Generated): FeedIndex {
  const before = settle();
  const index = load(generated.list, { kind: "list" });
  const after = settle();
  const per = (bytes: number): string => `${(bytes / index.size).toFixed(1)} B/indicator`;
  const rss = after.rss - before.rss;
  const heap = after.heapUsed - before.heapUsed;
  const buffers = after.arrayBuffers - before.arrayBuffers;
  console.log(`\n== Memory of one index (${index.size} indicators: ${JSON.stringify(index.counts)}) ==`);
  console.log(`  RSS added          ${mib(rss).padStart(10)}  ${per(rss)}`);
  console.log(`  JS heap added      ${mib(heap).padStart(10)}  ${per(heap)}`);
  console.log(`  array buffers      ${mib(buffers).padStart(10)}  ${per(buffers)}`);
  console.log(`  the index's arrays ${mib(index.byteLength).padStart(10)}  ${per(index.byteLength)}`);
  return index;
}

/** The process's CPU time in seconds, which a busy machine inflates less than the wall clock. */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

function measureLoads(generated: Generated): void {
  console.log(`\n== Load, text → FeedIndex (${ROUNDS} rounds; wall clock and CPU time) ==`);
  for (const [name, text, format] of [
    ["list, types inferred", generated.list, { kind: "list" }],
    ["CSV, type and confidence columns", generated.csv, { kind: "csv", valueColumn: "value", typeColumn: "type", confidenceColumn: "confidence", header: true }],
  ] as const) {
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      collect();
      const started = performance.now();
      const cpuStarted = cpuSeconds();
      load(text, format);
      wall.push((performance.now() - started) / 1000);
      cpu.push(cpuSeconds() - cpuStarted);
    }
    const seconds = (value: number): string => `${value.toFixed(2)} s`;
    console.log(`  ${name} (${mib(text.length)} of text)`);
    console.log(`    wall clock  ${spread(wall, seconds)}`);
    console.log(`    CPU time    ${spread(cpu, seconds)}`);
  }
}

function measureLookups(index: FeedIndex, probeSet: readonly Probe[]): void {
  const store = new IntelStore("kube-soar");
  store.set(index);
  const scope = { namespace: "shop", now: NOW };
  const rounds = Math.max(ROUNDS, 5);
  console.log(`\n== Lookups on one core, ${probeSet.length} probes a round, half hits (${rounds} rounds; rates by wall clock and by CPU time) ==`);
  for (const [name, run] of [
    ["IntelStore.match (type inferred)", () => probeSet.reduce((found, probe) => found + (store.match(probe.value, scope).length > 0 ? 1 : 0), 0)],
    ["FeedIndex.lookup (type given)", () => probeSet.reduce((found, probe) => found + (index.lookup(probe.type, probe.value, NOW) === undefined ? 0 : 1), 0)],
  ] as const) {
    const found = run();
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const started = performance.now();
      const cpuStarted = cpuSeconds();
      run();
      wall.push(probeSet.length / ((performance.now() - started) / 1000));
      cpu.push(probeSet.length / (cpuSeconds() - cpuStarted));
    }
    const rate = (value: number): string => `${(value / 1e6).toFixed(2)} M/s`;
    console.log(`  ${name} (${((found / probeSet.length) * 100).toFixed(1)}% hits)`);
    console.log(`    wall clock  ${spread(wall, rate)}`);
    console.log(`    CPU time    ${spread(cpu, rate)}`);
  }
}

console.log(`Generating ${INDICATORS} indicators...`);
const generated = generate(INDICATORS);
const index = measureMemory(generated);
measureLoads(generated);
measureLookups(index, probes(generated, PROBES));
