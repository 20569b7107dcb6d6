import { KubeConfig } from "@kubernetes/client-node";

/** A KubeConfig whose server nothing listens on: for code under test that must never reach a cluster. */
export function unreachableKubeConfig(): KubeConfig {
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: "unused", server: "https://127.0.0.1:9", skipTLSVerify: false }],
    users: [{ name: "unused" }],
    contexts: [{ name: "unused", cluster: "unused", user: "unused" }],
    currentContext: "unused",
  });
  return config;
}
