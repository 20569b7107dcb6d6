import { isIP } from "node:net";
import { networkInterfaces, type NetworkInterfaceInfo } from "node:os";
import { destinationPolicy, type DestinationPolicy, type DestinationPolicyConfig, type ProtectedAddresses } from "../policy/destination-policy.ts";
import { systemResolver, type Resolver } from "./checked-lookup.ts";

/** Where the operator learns its protected addresses; everything but the URL and environment defaults to the system's. */
export interface ProtectedAddressSources {
  /** The API server URL of the operator's kubeconfig. */
  readonly apiServerUrl: string | undefined;
  /** The process environment: `KUBERNETES_SERVICE_HOST` (in a Pod), `POD_IP` and `POD_IPS` (downward API, when set). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly interfaces?: NodeJS.Dict<NetworkInterfaceInfo[]>;
  readonly resolver?: Resolver;
}

async function addressesOf(host: string, resolve: Resolver): Promise<string[]> {
  const bare = host.replace(/^\[(.*)\]$/, "$1");
  if (isIP(bare) !== 0) return [bare];
  return (await resolve(host)).map(({ address }) => address);
}

/**
 * The API server's addresses (every address of the kubeconfig's server host, and of the
 * `kubernetes` Service named by `KUBERNETES_SERVICE_HOST` in a Pod) and the operator's own (the
 * non-internal addresses of its network interfaces, which in a Pod are the Pod's, plus
 * `POD_IP`/`POD_IPS` when set), found once at start. Rejects when a host name does not resolve:
 * the operator then cannot reach its API server either, and must not start with a policy that
 * lacks the API server.
 */
export async function discoverProtectedAddresses(sources: ProtectedAddressSources): Promise<ProtectedAddresses> {
  const resolve = sources.resolver ?? systemResolver;
  const apiServer = new Set<string>();
  const hosts = [sources.apiServerUrl === undefined ? undefined : new URL(sources.apiServerUrl).hostname, sources.env["KUBERNETES_SERVICE_HOST"]];
  for (const host of hosts) {
    if (host === undefined || host === "") continue;
    for (const address of await addressesOf(host, resolve)) apiServer.add(address);
  }
  const operator = new Set<string>();
  for (const entries of Object.values(sources.interfaces ?? networkInterfaces())) {
    for (const entry of entries ?? []) if (!entry.internal) operator.add(entry.address);
  }
  for (const value of [sources.env["POD_IP"], ...(sources.env["POD_IPS"] ?? "").split(",")]) {
    const address = value?.trim();
    if (address !== undefined && address !== "") operator.add(address);
  }
  return { apiServer: [...apiServer], operator: [...operator] };
}

/**
 * The operator's destination policy: its namespace and destination flags, with the protected
 * addresses found from `sources` (which it returns too, for the start log). Rejects as
 * {@link discoverProtectedAddresses} does.
 */
export async function operatorDestinationPolicy(
  settings: Omit<DestinationPolicyConfig, "protectedAddresses">,
  sources: ProtectedAddressSources,
): Promise<{ policy: DestinationPolicy; protectedAddresses: ProtectedAddresses }> {
  const protectedAddresses = await discoverProtectedAddresses(sources);
  return { policy: destinationPolicy({ ...settings, protectedAddresses }), protectedAddresses };
}
