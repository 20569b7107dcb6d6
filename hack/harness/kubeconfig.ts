import { readFile, writeFile } from "node:fs/promises";
import { stringify } from "yaml";

/** PEM material and address of a cluster user; PEM text, not paths. */
export interface KubeconfigInput {
  /** Names the cluster, user and context. */
  name: string;
  server: string;
  caCertPem: string;
  clientCertPem: string;
  clientKeyPem: string;
}

/**
 * A self-contained kubeconfig (certificates embedded as base64) with one cluster, one user
 * and one context, all named `name`, the context being current.
 */
export function renderKubeconfig(input: KubeconfigInput): string {
  const base64 = (pem: string): string => Buffer.from(pem, "utf8").toString("base64");
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      { name: input.name, cluster: { server: input.server, "certificate-authority-data": base64(input.caCertPem) } },
    ],
    users: [
      {
        name: input.name,
        user: {
          "client-certificate-data": base64(input.clientCertPem),
          "client-key-data": base64(input.clientKeyPem),
        },
      },
    ],
    contexts: [{ name: input.name, context: { cluster: input.name, user: input.name } }],
    "current-context": input.name,
  });
}

/** Paths of the PEM files to embed. */
export interface KubeconfigFiles {
  name: string;
  server: string;
  caCert: string;
  clientCert: string;
  clientKey: string;
}

/** Writes the kubeconfig of {@link renderKubeconfig} for the given PEM files to `path`. */
export async function writeKubeconfig(path: string, files: KubeconfigFiles): Promise<void> {
  const [caCertPem, clientCertPem, clientKeyPem] = await Promise.all([
    readFile(files.caCert, "utf8"),
    readFile(files.clientCert, "utf8"),
    readFile(files.clientKey, "utf8"),
  ]);
  await writeFile(path, renderKubeconfig({ name: files.name, server: files.server, caCertPem, clientCertPem, clientKeyPem }), {
    mode: 0o600,
  });
}
