import { destinationPolicy, parseCidr, type Cidr, type DestinationPolicy } from "../policy/destination-policy.ts";

function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (typeof parsed === "string") throw new Error(parsed);
  return parsed;
}

/**
 * The destination policy of tests whose endpoints are local servers: the operator's with
 * `--namespace <connectorNamespace> --connector-allowed-destinations 127.0.0.1/32,::1/128`, so
 * that the Connectors of `connectorNamespace` (the test's own) may reach 127.0.0.1 and ::1, and
 * every other default refusal stays. The tests' API server, on loopback too, is not singled out.
 */
export function loopbackDestinations(connectorNamespace: string): DestinationPolicy {
  return destinationPolicy({ operatorNamespace: connectorNamespace, allowed: [cidr("127.0.0.1/32"), cidr("::1/128")], denied: [], protectedAddresses: { apiServer: [], operator: [] } });
}
