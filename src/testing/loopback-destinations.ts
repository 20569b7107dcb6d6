import { destinationPolicy, parseCidr, type Cidr, type DestinationPolicy } from "../policy/destination-policy.ts";

function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (typeof parsed === "string") throw new Error(parsed);
  return parsed;
}

/**
 * The destination policy of tests whose endpoints are local servers: 127.0.0.1 and ::1 allowed
 * (what `--connector-allowed-destinations 127.0.0.1/32,::1/128` does), every other default
 * refusal kept, and no API server or operator addresses to protect (the tests' API server
 * listens on loopback too).
 */
export function loopbackDestinations(operatorNamespace = "kube-soar-system"): DestinationPolicy {
  return destinationPolicy({ operatorNamespace, allowed: [cidr("127.0.0.1/32"), cidr("::1/128")], denied: [], protectedAddresses: { apiServer: [], operator: [] } });
}
