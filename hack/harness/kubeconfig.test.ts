import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderKubeconfig } from "./kubeconfig.ts";

describe("renderKubeconfig", () => {
  it("embeds the certificates and makes its one context current", () => {
    const text = renderKubeconfig({
      name: "test",
      server: "https://127.0.0.1:6443",
      caCertPem: "CA PEM",
      clientCertPem: "CERT PEM",
      clientKeyPem: "KEY PEM",
    });
    const decode = (value: unknown): string => Buffer.from(String(value), "base64").toString("utf8");
    const config = parse(text) as {
      "current-context": string;
      clusters: { name: string; cluster: { server: string; "certificate-authority-data": string } }[];
      users: { name: string; user: { "client-certificate-data": string; "client-key-data": string } }[];
      contexts: { name: string; context: { cluster: string; user: string } }[];
    };
    expect(config["current-context"]).toBe("test");
    expect(config.contexts).toEqual([{ name: "test", context: { cluster: "test", user: "test" } }]);
    expect(config.clusters[0]?.cluster.server).toBe("https://127.0.0.1:6443");
    expect(decode(config.clusters[0]?.cluster["certificate-authority-data"])).toBe("CA PEM");
    expect(decode(config.users[0]?.user["client-certificate-data"])).toBe("CERT PEM");
    expect(decode(config.users[0]?.user["client-key-data"])).toBe("KEY PEM");
  });
});
