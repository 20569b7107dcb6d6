import { describe, expect, it } from "vitest";
import type { Resolver } from "./checked-lookup.ts";
import { discoverProtectedAddresses } from "./protected-addresses.ts";

const resolver: Resolver = (hostname) =>
  hostname === "api.cluster.example"
    ? Promise.resolve([{ address: "203.0.113.10", family: 4 }, { address: "2001:db8::10", family: 6 }])
    : Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }));

const interfaces = {
  lo: [{ address: "127.0.0.1", netmask: "255.0.0.0", family: "IPv4", mac: "00:00:00:00:00:00", internal: true, cidr: "127.0.0.1/8" }],
  eth0: [{ address: "10.244.1.7", netmask: "255.255.255.0", family: "IPv4", mac: "0a:58:0a:f4:01:07", internal: false, cidr: "10.244.1.7/24" }],
} as const;

describe("discoverProtectedAddresses", () => {
  it("resolves the kubeconfig's server host, adds the kubernetes Service and the non-internal interface and pod addresses", async () => {
    const found = await discoverProtectedAddresses({
      apiServerUrl: "https://api.cluster.example:6443",
      env: { KUBERNETES_SERVICE_HOST: "10.96.0.1", POD_IP: "10.244.1.7", POD_IPS: "10.244.1.7, fd00:10:244::7" },
      interfaces: { lo: [...interfaces.lo], eth0: [...interfaces.eth0] },
      resolver,
    });
    expect(found).toEqual({ apiServer: ["203.0.113.10", "2001:db8::10", "10.96.0.1"], operator: ["10.244.1.7", "fd00:10:244::7"] });
  });

  it("takes IP-literal servers as they are, IPv6 included", async () => {
    const found = await discoverProtectedAddresses({ apiServerUrl: "https://[fd00::1]:6443", env: {}, interfaces: {}, resolver });
    expect(found).toEqual({ apiServer: ["fd00::1"], operator: [] });
  });

  it("rejects when the API server's host does not resolve", async () => {
    await expect(discoverProtectedAddresses({ apiServerUrl: "https://nowhere.invalid", env: {}, interfaces: {}, resolver })).rejects.toThrow("ENOTFOUND nowhere.invalid");
  });
});
