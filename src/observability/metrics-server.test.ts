import { Counter } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { capturedLogger } from "../testing/captured-logger.ts";
import { silentLogger } from "../testing/silent-logger.ts";
import { createMetricsRegistry } from "./metrics.ts";
import { bearerToken, isLoopbackHost, startMetricsServer, type MetricsAccess, type MetricsAccessDecision, type MetricsServer } from "./metrics-server.ts";

function registryWithCounter(): ReturnType<typeof createMetricsRegistry> {
  const registry = createMetricsRegistry({ defaultMetrics: false });
  new Counter({ name: "soar_test_total", help: "a test counter", registers: [registry] }).inc(3);
  return registry;
}

/** An access check answering by token, recording the tokens it was asked about. */
function accessByToken(decisions: Record<string, MetricsAccessDecision>): MetricsAccess & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    decide: (token) => {
      asked.push(token);
      return Promise.resolve(decisions[token] ?? "unauthenticated");
    },
  };
}

describe("metrics server", () => {
  let server: MetricsServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  describe("with an access check", () => {
    const access = accessByToken({ reader: "allowed", stranger: "forbidden", flaky: "unavailable" });
    const get = async (headers: Record<string, string> = {}, path = "/metrics", method = "GET"): Promise<Response> => {
      server ??= await startMetricsServer({ host: "127.0.0.1", port: 0, registry: registryWithCounter(), access, logger: silentLogger });
      return await fetch(`http://127.0.0.1:${String(server.port)}${path}`, { headers, method });
    };

    it("serves the registry to a token that is allowed", async () => {
      const answer = await get({ authorization: "Bearer reader" });
      expect(answer.status).toBe(200);
      expect(await answer.text()).toContain("soar_test_total 3");
      expect(access.asked.at(-1)).toBe("reader");
    });

    it.each([
      { name: "no Authorization header", headers: {}, status: 401, asks: false },
      { name: "Basic credentials", headers: { authorization: "Basic cmVhZGVyOnJlYWRlcg==" }, status: 401, asks: false },
      { name: "a token that is not valid", headers: { authorization: "Bearer forged" }, status: 401, asks: true },
      { name: "a token whose user may not get /metrics", headers: { authorization: "Bearer stranger" }, status: 403, asks: true },
      { name: "a token that cannot be checked", headers: { authorization: "Bearer flaky" }, status: 503, asks: true },
    ])("refuses $name with $status and closes the connection", async ({ headers, status, asks }) => {
      const before = access.asked.length;
      const answer = await get(headers);
      expect(answer.status).toBe(status);
      expect(answer.headers.get("connection")).toBe("close");
      expect(await answer.text()).not.toContain("soar_test_total");
      expect(access.asked.length - before).toBe(asks ? 1 : 0);
      if (status === 401) expect(answer.headers.get("www-authenticate")).toMatch(/^Bearer /);
      if (status === 503) expect(answer.headers.get("retry-after")).toBe("5");
    });

    it("answers HEAD without a body, 404 elsewhere and 405 to other methods, the latter two without asking", async () => {
      const head = await get({ authorization: "Bearer reader" }, "/metrics", "HEAD");
      expect(head.status).toBe(200);
      expect(await head.text()).toBe("");
      const before = access.asked.length;
      expect((await get({ authorization: "Bearer reader" }, "/healthz")).status).toBe(404);
      expect((await get({ authorization: "Bearer reader" }, "/metrics", "POST")).status).toBe(405);
      expect(access.asked.length).toBe(before);
    });
  });

  it("says at start that tokens travel unencrypted over plain HTTP", async () => {
    const { logger, lines } = capturedLogger("info");
    server = await startMetricsServer({ host: "127.0.0.1", port: 0, registry: registryWithCounter(), access: accessByToken({}), logger });
    expect(lines.filter((line) => line.includes('"level":40') && line.includes("bearer tokens travel unencrypted"))).toHaveLength(1);
    expect(lines.some((line) => line.includes('"authentication":"kubernetes"') && line.includes('"tls":false'))).toBe(true);
  });

  describe("without an access check", () => {
    it("serves anyone on a loopback address and says so once, at info", async () => {
      const { logger, lines } = capturedLogger("info");
      server = await startMetricsServer({ host: "127.0.0.1", port: 0, registry: registryWithCounter(), access: undefined, logger, unauthenticatedWarningMs: 20 });
      expect(await (await fetch(`http://127.0.0.1:${String(server.port)}/metrics`)).text()).toContain("soar_test_total 3");
      await new Promise((resolve) => setTimeout(resolve, 60));
      const notices = lines.filter((line) => line.includes("without authentication (--metrics-auth none)"));
      expect(notices).toHaveLength(1);
      expect(notices[0]).toContain('"level":30');
    });

    it("warns at start and every interval on any other address, and not after it closed", async () => {
      const { logger, lines } = capturedLogger("info");
      server = await startMetricsServer({ host: "0.0.0.0", port: 0, registry: registryWithCounter(), access: undefined, logger, unauthenticatedWarningMs: 20 });
      const warnings = (): number => lines.filter((line) => line.includes('"level":40') && line.includes("without authentication (--metrics-auth none) on 0.0.0.0")).length;
      expect(warnings()).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 110));
      expect(warnings()).toBeGreaterThanOrEqual(3);
      await server.close();
      const afterClose = warnings();
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(warnings()).toBe(afterClose);
    });
  });
});

describe("isLoopbackHost", () => {
  it.each([
    ["127.0.0.1", true], ["127.1.2.3", true], ["localhost", true], ["::1", true],
    ["0.0.0.0", false], ["::", false], ["", false], ["10.0.0.1", false], ["127.example.com", false],
  ])("%s → %s", (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});

describe("bearerToken", () => {
  it.each([
    ["Bearer abc.def", "abc.def"], ["bearer abc", "abc"], ["Bearer  abc ", "abc"],
    [undefined, undefined], ["Bearer", undefined], ["Bearer a b", undefined], ["Basic abc", undefined],
  ])("%s → %s", (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
});
