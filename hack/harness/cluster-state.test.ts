import { describe, expect, it } from "vitest";
import { clusterProcessAlive, exportLine, parseClusterState, shellQuote } from "./cluster-state.ts";

const valid = {
  pid: 42,
  profile: "e2e",
  kubeconfig: "/x/kubeconfig",
  server: "https://127.0.0.1:1234",
  natsUrl: "nats://127.0.0.1:4222",
};

describe("parseClusterState", () => {
  it("accepts a complete state", () => {
    expect(parseClusterState(JSON.stringify(valid))).toEqual(valid);
  });

  it.each([
    { name: "not JSON", text: "{", error: /cluster state: not JSON/ },
    { name: "not an object", text: "3", error: /expected a JSON object/ },
    { name: "pid missing", text: JSON.stringify({ ...valid, pid: undefined }), error: /pid must be a positive integer/ },
    { name: "pid fractional", text: JSON.stringify({ ...valid, pid: 1.5 }), error: /pid must be a positive integer/ },
    { name: "unknown profile", text: JSON.stringify({ ...valid, profile: "prod" }), error: /profile must be "integration" or "e2e"/ },
    { name: "empty kubeconfig", text: JSON.stringify({ ...valid, kubeconfig: "" }), error: /kubeconfig must be a non-empty string/ },
    { name: "natsUrl a number", text: JSON.stringify({ ...valid, natsUrl: 4222 }), error: /natsUrl must be a non-empty string/ },
  ])("rejects $name naming the field", ({ text, error }) => {
    expect(() => parseClusterState(text)).toThrow(error);
  });
});

describe("exportLine", () => {
  it("prints both variables on one export line", () => {
    expect(exportLine(valid)).toBe("export KUBECONFIG=/x/kubeconfig NATS_URL=nats://127.0.0.1:4222");
  });

  it.each([
    { value: "/a/b-c_d.e", quoted: "/a/b-c_d.e" },
    { value: "/has space", quoted: "'/has space'" },
    { value: "it's", quoted: `'it'"'"'s'` },
    { value: "$HOME", quoted: "'$HOME'" },
  ])("quotes $value for the shell", ({ value, quoted }) => {
    expect(shellQuote(value)).toBe(quoted);
  });
});

describe("clusterProcessAlive", () => {
  it("is false for this test process, which does not run cluster.ts", () => {
    expect(clusterProcessAlive(process.pid)).toBe(false);
  });

  it("is false for a pid that does not exist", () => {
    expect(clusterProcessAlive(2 ** 30)).toBe(false);
  });
});
