import { describe, expect, it } from "vitest";
import { protectedNamespaces } from "../policy/protected-namespace-guard.ts";
import { ConfigError } from "./flag-reader.ts";
import { envNameOf, usage } from "./flags.ts";
import { parseOperatorOptions } from "./parse.ts";

/** The receiver is enabled by default and needs tokens; these tests are about other flags. */
const withTokens = (argv: readonly string[]): string[] => ["--receiver-token-file", "/etc/kube-soar/tokens", ...argv];

describe("parseOperatorOptions", () => {
  it("applies documented defaults", () => {
    const options = parseOperatorOptions(withTokens([]), {});
    expect(options.namespace).toBe("soar-system");
    expect(options.protectedNamespaces).toEqual([]);
    expect(protectedNamespaces(options.namespace, options.protectedNamespaces)).toEqual(["kube-system", "kube-public", "kube-node-lease", "soar-system"]);
    expect(options.nats.subjects).toEqual(["soar.events.>", "falco.>"]);
    expect(options.nats.backoffMs).toEqual([1_000, 5_000, 15_000, 30_000, 60_000]);
    expect(options.nats.ackWaitMs).toBe(30_000);
    expect(options.receiver).toMatchObject({ enabled: true, host: "0.0.0.0", port: 8080, maxBodyBytes: 1_048_576 });
    expect(options.leaderElection).toMatchObject({ leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000, leaseNamespace: "soar-system" });
    expect(options.kubeconfig).toBeUndefined();
    expect(options.nats.tls).toBeUndefined();
    expect(options.nats.streamLimits).toEqual({ maxBytes: 1024 ** 3, maxMsgs: 1_000_000, discard: "new" });
    expect(options.nats.deadLetterLimits).toEqual({ maxBytes: 256 * 1024 ** 2, maxMsgs: 100_000, discard: "old" });
    expect(options.nats.maxInflight).toEqual({ count: 4_096, bytes: 8 * 1024 ** 2 });
    expect(options.receiver.maxInflight).toEqual({ count: 64, bytes: 8 * 1024 ** 2 });
    expect({ host: options.probeHost, port: options.probePort }).toEqual({ host: "0.0.0.0", port: 8081 });
    expect(options.metrics).toEqual({ host: "0.0.0.0", port: 8443, auth: "kubernetes" });
  });

  it("reads the metrics listener's address, authentication and TLS", () => {
    const options = parseOperatorOptions(withTokens([
      "--metrics-bind", "127.0.0.1:9090", "--metrics-auth", "none", "--metrics-tls-cert-file", "m.crt", "--metrics-tls-key-file", "m.key",
    ]), {});
    expect(options.metrics).toEqual({ host: "127.0.0.1", port: 9090, auth: "none", tls: { certFile: "m.crt", keyFile: "m.key" } });
  });

  it("lets probes and metrics both take a free port", () => {
    const options = parseOperatorOptions(withTokens(["--metrics-bind", "127.0.0.1:0", "--probe-bind", "127.0.0.1:0"]), {});
    expect([options.probePort, options.metrics.port]).toEqual([0, 0]);
  });

  it("reads stream limits, 0 meaning none", () => {
    const options = parseOperatorOptions(withTokens(["--nats-stream-max-bytes", "0", "--nats-stream-discard", "old", "--nats-dead-letter-max-msgs", "50"]), {});
    expect(options.nats.streamLimits).toEqual({ maxBytes: 0, maxMsgs: 1_000_000, discard: "old" });
    expect(options.nats.deadLetterLimits).toMatchObject({ maxMsgs: 50 });
  });

  it("publishes lifecycle events under soar.incidents without a capture stream by default, and none with an empty prefix", () => {
    expect(parseOperatorOptions(withTokens([]), {}).incidentEvents).toEqual({
      prefix: "soar.incidents",
      stream: "",
      maxAgeMs: 168 * 3_600_000,
      limits: { maxBytes: 256 * 1024 ** 2, maxMsgs: 1_000_000, discard: "old" },
    });
    expect(parseOperatorOptions(withTokens(["--nats-incident-events-prefix="]), {}).incidentEvents.prefix).toBe("");
    const captured = parseOperatorOptions(withTokens(["--nats-incident-events-prefix", "sec.soar", "--nats-incident-events-stream", "SOAR_INCIDENTS", "--nats-incident-events-max-age", "24h", "--nats-incident-events-discard", "new"]), {});
    expect(captured.incidentEvents).toMatchObject({ prefix: "sec.soar", stream: "SOAR_INCIDENTS", maxAgeMs: 86_400_000, limits: { discard: "new" } });
  });

  it("takes flags over environment over defaults", () => {
    const options = parseOperatorOptions(withTokens(["--namespace", "sec"]), {
      KUBE_SOAR_NAMESPACE: "ignored",
      KUBE_SOAR_NATS_SERVERS: "nats://a:4222, nats://b:4222",
      KUBE_SOAR_DRY_RUN: "true",
    });
    expect(options.namespace).toBe("sec");
    expect(options.nats.servers).toEqual(["nats://a:4222", "nats://b:4222"]);
    expect(options.dryRun).toBe(true);
    expect(protectedNamespaces(options.namespace, options.protectedNamespaces)).toContain("sec");
  });

  it("reads the Connector destination blocks, none by default", () => {
    expect(parseOperatorOptions(withTokens([]), {}).connectorDestinations).toEqual({ allowed: [], denied: [] });
    const options = parseOperatorOptions(withTokens(["--connector-allowed-destinations", "127.0.0.1/32, ::1"]), { KUBE_SOAR_CONNECTOR_DENIED_DESTINATIONS: "10.9.0.0/16" });
    expect(options.connectorDestinations.allowed.map((cidr) => cidr.text)).toEqual(["127.0.0.1/32", "::1/128"]);
    expect(options.connectorDestinations.denied.map((cidr) => cidr.text)).toEqual(["10.9.0.0/16"]);
  });

  it("protects control-plane nodes by default, the given selector's nodes when set, and none when empty", () => {
    expect(parseOperatorOptions(withTokens([]), {}).protectedNodes?.requirements).toEqual([{ key: "node-role.kubernetes.io/control-plane", operator: "exists" }]);
    expect(parseOperatorOptions(withTokens(["--protected-node-selector", "tier in (infra, vault)"]), {}).protectedNodes?.requirements).toEqual([
      { key: "tier", operator: "in", values: ["infra", "vault"] },
    ]);
    expect(parseOperatorOptions(withTokens(["--protected-node-selector="]), {}).protectedNodes).toBeUndefined();
  });

  it("bounds suppressions to 720h by default, or to the given shorter time", () => {
    expect(parseOperatorOptions(withTokens([]), {}).suppressionMaxDurationMs).toBe(720 * 3_600_000);
    expect(parseOperatorOptions(withTokens(["--suppression-max-duration", "168h"]), {}).suppressionMaxDurationMs).toBe(168 * 3_600_000);
  });

  it("parses bind addresses including IPv6", () => {
    const options = parseOperatorOptions(withTokens(["--receiver-bind", "[::1]:9443", "--probe-bind", ":8081"]), {});
    expect(options.receiver).toMatchObject({ host: "::1", port: 9443 });
    expect(options.probeHost).toBe("0.0.0.0");
  });

  it.each([
    [["--nats-max-deliver", "0"], /--nats-max-deliver: "0" must be a whole number from 1 to 10000/],
    [["--nats-ack-wait", "30"], /--nats-ack-wait: "30" is not a duration/],
    [["--log-level", "loud"], /--log-level: "loud" is not one of/],
    [["--dry-run", "yes"], /--dry-run: "yes" must be true or false/],
    [["--receiver-bind", "8080"], /--receiver-bind: "8080" must be host:port/],
    [["--renew-deadline", "20s"], /--renew-deadline must be shorter than --lease-duration/],
    [["--nats-tls-cert-file", "c.pem"], /must be set together/],
    [["--redact-key-patterns", "("], /--redact-key-patterns: "\(" is not a valid regular expression/],
    [["--protected-node-selector", "role in (a"], /--protected-node-selector: "role in \(a" is not a label selector: unbalanced or nested parentheses/],
    [["--no-such-flag", "1"], /no-such-flag/],
    [["--nats-backoff", "1s,2x"], /--nats-backoff: "2x" is not a duration/],
    [["--nats-dead-letter-max-msgs", "1.5"], /--nats-dead-letter-max-msgs: "1.5" must be a whole number from 0/],
    [["--nats-dead-letter-discard", "both"], /--nats-dead-letter-discard: "both" is not one of old, new/],
    [["--connector-allowed-destinations", "127.0.0.1/33"], /--connector-allowed-destinations: "127.0.0.1\/33": the prefix length must be a whole number from 0 to 32/],
    [["--connector-denied-destinations", "10.0.0.0/8,metadata.internal"], /--connector-denied-destinations: "metadata.internal" is not an IP address or CIDR block/],
    [["--nats-max-inflight-alerts", "0"], /--nats-max-inflight-alerts: "0" must be a whole number from 1/],
    [["--receiver-max-inflight-bytes", "524288"], /--receiver-max-inflight-bytes must be at least --receiver-max-body-bytes/],
    [["--metrics-auth", "basic"], /--metrics-auth: "basic" is not one of kubernetes, none/],
    [["--metrics-bind", "127.0.0.1:8081"], /--metrics-bind: port 8081 is the port of --probe-bind/],
    [["--metrics-tls-key-file", "m.key"], /--metrics-tls-cert-file and --metrics-tls-key-file must be set together/],
    [["--suppression-max-duration", "721h"], /--suppression-max-duration: must be longer than 0 and at most 720h/],
    [["--suppression-max-duration", "0s"], /--suppression-max-duration: must be longer than 0/],
    [["--nats-incident-events-prefix", "soar.*"], /--nats-incident-events-prefix: "soar\.\*" is not a NATS subject prefix/],
    [["--nats-incident-events-prefix", "soar..incidents"], /--nats-incident-events-prefix: "soar\.\.incidents" is not a NATS subject prefix/],
    [["--nats-incident-events-prefix", "soar.events.incidents"], /--nats-incident-events-prefix: soar\.events\.incidents\.> overlaps soar\.events\.> of --nats-subjects/],
    [["--nats-incident-events-prefix", "soar.deadletter"], /--nats-incident-events-prefix: soar\.deadletter\.> overlaps soar\.deadletter\.> of --nats-subjects or --nats-dead-letter-prefix/],
    [["--nats-incident-events-discard", "drop"], /--nats-incident-events-discard: "drop" is not one of old, new/],
  ])("rejects %j naming the flag", (argv, message) => {
    expect(() => parseOperatorOptions(withTokens(argv), {})).toThrow(ConfigError);
    expect(() => parseOperatorOptions(withTokens(argv), {})).toThrow(message);
  });

  it("refuses to start the receiver without tokens, naming both flags", () => {
    expect(() => parseOperatorOptions([], {})).toThrow(ConfigError);
    expect(() => parseOperatorOptions([], {})).toThrow(/--receiver-token-file.*--receiver-allow-unauthenticated/);
  });

  it("starts the receiver without tokens only when told to, or not at all when disabled", () => {
    expect(parseOperatorOptions(["--receiver-allow-unauthenticated", "true"], {}).receiver).toMatchObject({ enabled: true, allowUnauthenticated: true });
    expect(parseOperatorOptions(["--receiver-enabled", "false"], {}).receiver).toMatchObject({ enabled: false, allowUnauthenticated: false });
    expect(parseOperatorOptions([], { KUBE_SOAR_RECEIVER_TOKEN_FILE: "/t" }).receiver).toMatchObject({ tokenFile: "/t", allowUnauthenticated: false });
  });

  it("names the environment variable when the bad value came from it", () => {
    expect(() => parseOperatorOptions(withTokens([]), { KUBE_SOAR_NATS_CONCURRENCY: "lots" })).toThrow(/KUBE_SOAR_NATS_CONCURRENCY: "lots"/);
  });

  it("documents every flag with its variable", () => {
    expect(envNameOf("nats-ack-wait")).toBe("KUBE_SOAR_NATS_ACK_WAIT");
    expect(usage()).toContain("--nats-ack-wait  [KUBE_SOAR_NATS_ACK_WAIT] (default 30s)");
  });
});
