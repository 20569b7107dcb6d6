import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { formatPidfile, parsePidfile, ProcessRegistry, readPidfile } from "./pidfile.ts";

describe("pidfile format", () => {
  it.each([
    { name: "empty", text: "", entries: [] },
    { name: "two entries", text: "12 etcd\n34 kube-apiserver\n", entries: [{ pid: 12, name: "etcd" }, { pid: 34, name: "kube-apiserver" }] },
    { name: "line cut short by a crash", text: "12 etcd\n34", entries: [{ pid: 12, name: "etcd" }] },
    { name: "garbage and zero pid", text: "x y\n0 etcd\n-3 kwok\n\n56 nats-server\n", entries: [{ pid: 56, name: "nats-server" }] },
  ])("parses $name", ({ text, entries }) => {
    expect(parsePidfile(text)).toEqual(entries);
  });

  it("round-trips what it formats", () => {
    const entries = [{ pid: 1, name: "a" }, { pid: 22, name: "kube-controller-manager" }];
    expect(parsePidfile(formatPidfile(entries))).toEqual(entries);
  });
});

describe("ProcessRegistry", () => {
  let dir = "";
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("mirrors every add and remove into the pidfile", async () => {
    dir = await mkdtemp(join(tmpdir(), "pidfile-test-"));
    const path = join(dir, "pids");
    const registry = new ProcessRegistry(path);
    expect(await readFile(path, "utf8")).toBe("");
    registry.add(10, "etcd");
    registry.add(20, "kwok");
    expect(readPidfile(path)).toEqual([{ pid: 10, name: "etcd" }, { pid: 20, name: "kwok" }]);
    registry.remove(10);
    registry.remove(99);
    expect(readPidfile(path)).toEqual([{ pid: 20, name: "kwok" }]);
  });

  it("reads a missing pidfile as empty", async () => {
    dir = await mkdtemp(join(tmpdir(), "pidfile-test-"));
    expect(readPidfile(join(dir, "absent"))).toEqual([]);
  });
});
