import { BlockList, isIP } from "node:net";

/** An address block, as written in a flag (`10.0.0.0/8`, `fd00::/8`; a bare address is one host). */
export interface Cidr {
  readonly text: string;
  readonly address: string;
  readonly prefix: number;
  readonly family: "ipv4" | "ipv6";
}

/**
 * Parses `text` as an IPv4 or IPv6 address block; a bare address means the single host (/32 or
 * /128). Returns the block, or a problem naming what is wrong with it.
 */
export function parseCidr(text: string): Cidr | string {
  const [address = "", prefixText, ...rest] = text.trim().split("/");
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return `${JSON.stringify(text)} is not an IP address or CIDR block`;
  const family = version === 4 ? "ipv4" : "ipv6";
  const bits = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText ?? "0") || prefix > bits) return `${JSON.stringify(text)}: the prefix length must be a whole number from 0 to ${bits}`;
  return { text: `${address}/${prefix}`, address, prefix, family };
}

/**
 * Who a built-in range is refused for: `every` Connector unless allowed; `tenant` Connectors
 * (outside the operator's namespace) unless allowed; `operator` ranges reach the operator's own
 * host or Pod, so they are refused to tenant Connectors whatever is allowed, and to the others
 * unless allowed.
 */
type Scope = "every" | "tenant" | "operator";

interface Range {
  readonly cidr: string;
  /** What the range is, as the refusal names it. */
  readonly what: string;
  readonly scope: Scope;
}

/**
 * The ranges refused by default: loopback and unspecified addresses (the operator's own Pod),
 * link-local, multicast, reserved and the cloud metadata addresses outside link-local for every
 * Connector; private and shared ranges for Connectors outside the operator's namespace.
 */
const BUILT_IN_RANGES: readonly Range[] = [
  { cidr: "0.0.0.0/8", what: "unspecified, reaches the operator itself", scope: "operator" },
  { cidr: "127.0.0.0/8", what: "loopback, the operator itself", scope: "operator" },
  { cidr: "169.254.0.0/16", what: "link-local, cloud metadata", scope: "every" },
  { cidr: "100.100.100.200/32", what: "cloud metadata", scope: "every" },
  { cidr: "224.0.0.0/4", what: "multicast", scope: "every" },
  { cidr: "240.0.0.0/4", what: "reserved and broadcast", scope: "every" },
  { cidr: "::/128", what: "unspecified, reaches the operator itself", scope: "operator" },
  { cidr: "::1/128", what: "loopback, the operator itself", scope: "operator" },
  { cidr: "fe80::/10", what: "link-local", scope: "every" },
  { cidr: "fd00:ec2::254/128", what: "cloud metadata", scope: "every" },
  { cidr: "ff00::/8", what: "multicast", scope: "every" },
  { cidr: "10.0.0.0/8", what: "private", scope: "tenant" },
  { cidr: "172.16.0.0/12", what: "private", scope: "tenant" },
  { cidr: "192.168.0.0/16", what: "private", scope: "tenant" },
  { cidr: "100.64.0.0/10", what: "shared address space, carrier-grade NAT", scope: "tenant" },
  { cidr: "fc00::/7", what: "unique local, private", scope: "tenant" },
];

/** The addresses the operator found at start that no tenant Connector may reach. */
export interface ProtectedAddresses {
  /** Every address of the Kubernetes API server (its kubeconfig host, the `kubernetes` Service). */
  readonly apiServer: readonly string[];
  /** The operator's own (pod) addresses. */
  readonly operator: readonly string[];
}

/** What a {@link DestinationPolicy} is built from: the flags, the operator's namespace and what it found at start. */
export interface DestinationPolicyConfig {
  readonly operatorNamespace: string;
  /** `--connector-allowed-destinations`: exceptions to the default refusals. */
  readonly allowed: readonly Cidr[];
  /** `--connector-denied-destinations`: refused for every Connector, whatever else says. */
  readonly denied: readonly Cidr[];
  readonly protectedAddresses: ProtectedAddresses;
}

/** Whether a Connector may connect to an address; a refusal names the address and the rule. */
export type DestinationDecision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/** Decides which addresses Connectors may connect to. */
export interface DestinationPolicy {
  /**
   * Judges `address` (an IP address) for a Connector in `namespace`. Pure. An IPv4-mapped or
   * NAT64 IPv6 address is judged as the IPv4 address it carries; anything that is not an IP
   * address is refused.
   */
  check(address: string, namespace: string): DestinationDecision;
}

function blockOf(cidr: Cidr): BlockList {
  const list = new BlockList();
  list.addSubnet(cidr.address, cidr.prefix, cidr.family);
  return list;
}

function familyOf(address: string): "ipv4" | "ipv6" {
  return isIP(address) === 4 ? "ipv4" : "ipv6";
}

/** `a.b.c.d` from two 16-bit hex groups. */
function ipv4Of(high: string, low: string): string {
  const h = Number.parseInt(high, 16);
  const l = Number.parseInt(low, 16);
  return `${h >> 8}.${h & 0xff}.${l >> 8}.${l & 0xff}`;
}

/**
 * The IPv4 address an IPv6 address carries when a connection to it reaches that IPv4 address
 * (IPv4-mapped `::ffff:0:0/96`, NAT64 `64:ff9b::/96`); otherwise the address itself, without a
 * zone index.
 */
export function effectiveAddress(address: string): string {
  const bare = address.replace(/%.*$/, "");
  if (isIP(bare) !== 6) return bare;
  // The URL parser writes an IPv6 address in its one canonical form (RFC 5952, hex groups only).
  const canonical = new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  const embedded = /^(?:::ffff|64:ff9b:):(?:([0-9a-f]{1,4}):)?([0-9a-f]{1,4})$/.exec(canonical);
  if (embedded === null) return bare;
  return ipv4Of(embedded[1] ?? "0", embedded[2] ?? "0");
}

/**
 * The operator's destination policy, in this order: an address in `denied` is refused for
 * every Connector; an address of the API server or of the operator itself (its Pod's addresses,
 * loopback, unspecified) is refused for Connectors outside the operator's namespace whatever
 * `allowed` says, and for the others unless `allowed` covers it; then an address in `allowed` is
 * allowed; then the built-in ranges refuse link-local, multicast, reserved and metadata addresses
 * for every Connector and private ones for Connectors outside the operator's namespace; anything
 * else is allowed.
 */
export function destinationPolicy(config: DestinationPolicyConfig): DestinationPolicy {
  const denied = config.denied.map((cidr) => ({ cidr, list: blockOf(cidr) }));
  const allowed = config.allowed.map((cidr) => ({ cidr, list: blockOf(cidr) }));
  const builtIn = BUILT_IN_RANGES.map((range) => {
    const cidr = parseCidr(range.cidr);
    if (typeof cidr === "string") throw new Error(`built-in destination range ${cidr}`);
    return { range, list: blockOf(cidr) };
  });
  const protectedSets = [
    { what: "an address of the Kubernetes API server", addresses: new Set(config.protectedAddresses.apiServer.map(effectiveAddress)) },
    { what: "an address of the operator itself", addresses: new Set(config.protectedAddresses.operator.map(effectiveAddress)) },
  ];
  const tenants = `Connectors outside the operator's namespace ${config.operatorNamespace}`;

  return {
    check(address, namespace) {
      const effective = effectiveAddress(address);
      if (isIP(effective) === 0) return { allowed: false, reason: `${JSON.stringify(address)} is not an IP address` };
      const family = familyOf(effective);
      const named = effective === address ? address : `${address} (${effective})`;
      const tenant = namespace !== config.operatorNamespace;
      const inAllowed = allowed.some(({ list }) => list.check(effective, family));
      const unlessAllowed = "unless --connector-allowed-destinations covers it";

      const deny = denied.find(({ list }) => list.check(effective, family));
      if (deny !== undefined) return { allowed: false, reason: `${named} is in ${deny.cidr.text} (--connector-denied-destinations), refused for every Connector` };
      const match = builtIn.find(({ list }) => list.check(effective, family));
      const own = protectedSets.find(({ addresses }) => addresses.has(effective));
      const what = own?.what ?? (match?.range.scope === "operator" ? `in ${match.range.cidr} (${match.range.what})` : undefined);
      if (what !== undefined) {
        if (tenant) return { allowed: false, reason: `${named} is ${what}, refused for ${tenants} whatever --connector-allowed-destinations says` };
        return inAllowed ? { allowed: true } : { allowed: false, reason: `${named} is ${what}, refused ${unlessAllowed}` };
      }
      if (inAllowed || match === undefined || (match.range.scope === "tenant" && !tenant)) return { allowed: true };
      const who = match.range.scope === "every" ? "every Connector" : tenants;
      return { allowed: false, reason: `${named} is in ${match.range.cidr} (${match.range.what}), refused for ${who} ${unlessAllowed}` };
    },
  };
}
