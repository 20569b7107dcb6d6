import { describe, expect, it } from "vitest";
import { operatorArgs, parseLogLines, startedPorts } from "./operator-process.ts";

describe("operatorArgs", () => {
  const launch = { kubeconfig: "/k/config", natsUrl: "nats://127.0.0.1:4222", namespace: "soar-system", identity: "op-a" };
  it.each([
    {
      name: "defaults bind the probes, metrics (unauthenticated, loopback only) and the receiver to a free local port",
      flags: undefined,
      expected: [
        "--kubeconfig", "/k/config", "--nats-servers", "nats://127.0.0.1:4222", "--namespace", "soar-system",
        "--leader-election-identity", "op-a", "--probe-bind", "127.0.0.1:0",
        "--metrics-bind", "127.0.0.1:0", "--metrics-auth", "none", "--receiver-bind", "127.0.0.1:0",
        "--receiver-token-file", "/k/receiver-token",
      ],
    },
    {
      name: "flags override defaults in place and add new ones at the end",
      flags: { "probe-bind": "127.0.0.1:9090", "lease-duration": "4s" },
      expected: [
        "--kubeconfig", "/k/config", "--nats-servers", "nats://127.0.0.1:4222", "--namespace", "soar-system",
        "--leader-election-identity", "op-a", "--probe-bind", "127.0.0.1:9090",
        "--metrics-bind", "127.0.0.1:0", "--metrics-auth", "none", "--receiver-bind", "127.0.0.1:0",
        "--receiver-token-file", "/k/receiver-token", "--lease-duration", "4s",
      ],
    },
  ])("$name", ({ flags, expected }) => {
    expect(operatorArgs({ ...launch, ...(flags === undefined ? {} : { flags }) }, "/k/receiver-token")).toEqual(expected);
  });
});

describe("parseLogLines and startedPorts", () => {
  it.each([
    {
      name: "the started line among others",
      text: '==> 2026 starting node\n{"level":30,"msg":"campaigning"}\n{"level":30,"msg":"operator started","probePort":4001,"metricsPort":4003,"receiverPort":4002}\n',
      lines: 2,
      ports: { probePort: 4001, metricsPort: 4003, receiverPort: 4002 },
    },
    {
      name: "the receiver disabled",
      text: '{"msg":"operator started","probePort":4001,"metricsPort":4003}\n',
      lines: 1,
      ports: { probePort: 4001, metricsPort: 4003, receiverPort: undefined },
    },
    { name: "not started yet, with a line cut short by a kill", text: '{"msg":"intake stopping"}\n{"msg":"operator st', lines: 1, ports: undefined },
    { name: "a started line without a probe port", text: '{"msg":"operator started","metricsPort":4003}\n', lines: 1, ports: undefined },
    { name: "a started line without a metrics port", text: '{"msg":"operator started","probePort":4001}\n', lines: 1, ports: undefined },
    { name: "JSON that is not an object", text: '["operator started"]\n42\n', lines: 0, ports: undefined },
  ])("$name", ({ text, lines, ports }) => {
    const parsed = parseLogLines(text);
    expect(parsed).toHaveLength(lines);
    expect(startedPorts(parsed)).toEqual(ports);
  });
});
