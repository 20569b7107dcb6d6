import { lookup as dnsLookup } from "node:dns/promises";
import { isIP, type LookupFunction } from "node:net";
import type { DestinationPolicy } from "../policy/destination-policy.ts";

/** One address a host name resolved to. */
export interface ResolvedAddress {
  readonly address: string;
  /** 4 or 6. */
  readonly family: number;
}

/** Resolves a host name to every address it has. */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** The system resolver (`getaddrinfo`, as Node connects by default), every address in the order it answered. */
export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, order: "verbatim" });

/** A connection refused by the destination policy; `message` names the address and the rule. */
export class DestinationRefusedError extends Error {
  override readonly name = "DestinationRefusedError";
  readonly code = "ERR_DESTINATION_REFUSED";
}

/** The host of `url` as an IP address when it is an IP literal (brackets of IPv6 removed). */
export function ipLiteralHost(url: URL): string | undefined {
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  return isIP(host) === 0 ? undefined : host;
}

/**
 * A `lookup` for the agents of a Connector in `namespace`: resolves the host name once, checks
 * every address it resolved to against `policy`, and hands the socket exactly the addresses it
 * checked, so nothing is resolved again between the check and the connection (no DNS
 * rebinding). One refused address refuses the name: the callback gets a
 * {@link DestinationRefusedError}. Node does not call it for IP-literal hosts; check those with
 * the policy before sending.
 */
export function checkedLookup(policy: DestinationPolicy, namespace: string, resolve: Resolver = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (resolved) => {
        for (const { address } of resolved) {
          const decision = policy.check(address, namespace);
          if (!decision.allowed) {
            callback(new DestinationRefusedError(`${hostname} resolves to ${address}: ${decision.reason}`), "", 0);
            return;
          }
        }
        const family = options.family === 4 || options.family === 6 ? options.family : undefined;
        const usable = resolved.filter((entry) => family === undefined || entry.family === family);
        const first = usable[0];
        if (first === undefined) {
          callback(Object.assign(new Error(`${hostname} has no address${family === undefined ? "" : ` of IPv${family}`}`), { code: "ENOTFOUND" }), "", 0);
        } else if (options.all === true) callback(null, usable.map(({ address, family: addressFamily }) => ({ address, family: addressFamily })));
        else callback(null, first.address, first.family);
      },
      (error: unknown) => {
        callback(error instanceof Error ? error : new Error(String(error)), "", 0);
      },
    );
  };
}
