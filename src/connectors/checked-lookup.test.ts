import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { destinationPolicy, parseCidr, type Cidr } from "../policy/destination-policy.ts";
import { checkedLookup, DestinationRefusedError, ipLiteralHost, type Resolver } from "./checked-lookup.ts";

function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (typeof parsed === "string") throw new Error(parsed);
  return parsed;
}

/**
 * Only 127.0.0.1 of loopback is allowed (Connectors in the operator's namespace use it): 127.0.0.2
 * stands for the address a rebinding answer would switch to.
 */
const policy = destinationPolicy({ operatorNamespace: "soar-system", allowed: [cidr("127.0.0.1/32")], denied: [], protectedAddresses: { apiServer: [], operator: [] } });

/** A resolver that gives each answer in turn (the last one repeats) and counts the questions. */
function answering(...answers: string[][]): Resolver & { calls: number } {
  const resolver = Object.assign(
    () => {
      const answer = answers[Math.min(resolver.calls, answers.length - 1)] ?? [];
      resolver.calls++;
      return Promise.resolve(answer.map((address) => ({ address, family: address.includes(":") ? 6 : 4 })));
    },
    { calls: 0 },
  );
  return resolver;
}

const requests: string[] = [];
const server = http.createServer((request, response) => {
  requests.push(request.socket.localAddress ?? "");
  response.end("ok");
});
let port: number;

beforeAll(async () => {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.close();
  await once(server, "close");
});

function get(agent: http.Agent): Promise<{ status: number; remote: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(`http://rebind.test:${port}/`, { agent }, (response) => {
      response.resume();
      response.on("end", () => { resolve({ status: response.statusCode ?? 0, remote: request.socket?.remoteAddress ?? "" }); });
    });
    request.on("error", reject);
  });
}

describe("checkedLookup", () => {
  it("connects to the address it checked, resolving once per connection, so a second answer cannot redirect that connection", async () => {
    requests.length = 0;
    const resolver = answering(["127.0.0.1"], ["127.0.0.2"]);
    const agent = new http.Agent({ keepAlive: false, lookup: checkedLookup(policy, "soar-system", resolver) });
    expect(await get(agent)).toEqual({ status: 200, remote: "127.0.0.1" });
    expect(resolver.calls).toBe(1);

    // The next connection asks again; its answer is checked before the socket uses it.
    const refused = await get(agent).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DestinationRefusedError);
    expect((refused as Error).message).toBe(
      "rebind.test resolves to 127.0.0.2: 127.0.0.2 is in 127.0.0.0/8 (loopback, the operator itself), refused unless --connector-allowed-destinations covers it",
    );
    expect(resolver.calls).toBe(2);
    expect(requests).toEqual(["127.0.0.1"]);
    agent.destroy();
  });

  it("refuses a name when any of its addresses is refused", async () => {
    requests.length = 0;
    const agent = new http.Agent({ lookup: checkedLookup(policy, "soar-system", answering(["127.0.0.1", "169.254.169.254"])) });
    await expect(get(agent)).rejects.toThrow("rebind.test resolves to 169.254.169.254: 169.254.169.254 is in 169.254.0.0/16 (link-local, cloud metadata)");
    expect(requests).toEqual([]);
    agent.destroy();
  });

  it("refuses localhost through the system resolver", async () => {
    const agent = new http.Agent({ lookup: checkedLookup(destinationPolicy({ operatorNamespace: "soar-system", allowed: [], denied: [], protectedAddresses: { apiServer: [], operator: [] } }), "team-a") });
    const refused = await new Promise<unknown>((resolve) => {
      http.get(`http://localhost:${port}/`, { agent }, resolve).on("error", resolve);
    });
    expect(refused).toBeInstanceOf(DestinationRefusedError);
    expect((refused as Error).message).toMatch(/^localhost resolves to (127\.0\.0\.1|::1): .*loopback/);
    agent.destroy();
  });
});

describe("ipLiteralHost", () => {
  it.each([
    ["http://127.0.0.1:8080/x", "127.0.0.1"],
    ["http://[::1]/", "::1"],
    ["http://[::ffff:169.254.169.254]/", "::ffff:a9fe:a9fe"],
    ["http://2130706433/", "127.0.0.1"],
    ["http://0x7f.1/", "127.0.0.1"],
    ["https://hooks.example/x", undefined],
  ])("%s has the IP host %s", (url, host) => {
    expect(ipLiteralHost(new URL(url))).toBe(host);
  });
});
