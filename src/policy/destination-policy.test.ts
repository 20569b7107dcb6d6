import { describe, expect, it } from "vitest";
import { destinationPolicy, effectiveAddress, parseCidr, type Cidr, type DestinationPolicyConfig } from "./destination-policy.ts";

const OPERATOR = "soar-system";
const TENANT = "team-a";

function cidrs(...texts: string[]): Cidr[] {
  return texts.map((text) => {
    const cidr = parseCidr(text);
    if (typeof cidr === "string") throw new Error(cidr);
    return cidr;
  });
}

function policy(overrides: Partial<DestinationPolicyConfig> = {}): ReturnType<typeof destinationPolicy> {
  return destinationPolicy({
    operatorNamespace: OPERATOR,
    allowed: [],
    denied: [],
    protectedAddresses: { apiServer: ["10.96.0.1", "203.0.113.10"], operator: ["10.244.1.7", "fd12::7"] },
    ...overrides,
  });
}

describe("parseCidr", () => {
  it.each([
    ["10.0.0.0/8", { text: "10.0.0.0/8", prefix: 8, family: "ipv4" }],
    ["127.0.0.1", { text: "127.0.0.1/32", prefix: 32, family: "ipv4" }],
    ["fd00::/8", { text: "fd00::/8", prefix: 8, family: "ipv6" }],
    ["::1", { text: "::1/128", prefix: 128, family: "ipv6" }],
  ])("reads %s", (text, expected) => {
    expect(parseCidr(text)).toMatchObject(expected);
  });

  it.each([
    ["example.com", '"example.com" is not an IP address or CIDR block'],
    ["10.0.0.0/33", '"10.0.0.0/33": the prefix length must be a whole number from 0 to 32'],
    ["10.0.0.0/", '"10.0.0.0/": the prefix length must be a whole number from 0 to 32'],
    ["::/129", '"::/129": the prefix length must be a whole number from 0 to 128'],
    ["10.0.0.0/8/8", '"10.0.0.0/8/8" is not an IP address or CIDR block'],
  ])("refuses %s", (text, problem) => {
    expect(parseCidr(text)).toBe(problem);
  });
});

describe("effectiveAddress", () => {
  it.each([
    ["::ffff:127.0.0.1", "127.0.0.1"],
    ["::ffff:7f00:1", "127.0.0.1"],
    ["0:0:0:0:0:ffff:a9fe:a9fe", "169.254.169.254"],
    ["::ffff:0.0.0.0", "0.0.0.0"],
    ["64:ff9b::169.254.169.254", "169.254.169.254"],
    ["64:ff9b::a", "0.0.0.10"],
    ["fe80::1%eth0", "fe80::1"],
    ["2001:db8::1", "2001:db8::1"],
    ["93.184.216.34", "93.184.216.34"],
  ])("%s is judged as %s", (address, effective) => {
    expect(effectiveAddress(address)).toBe(effective);
  });
});

describe("destinationPolicy", () => {
  it.each([
    ["169.254.169.254", "169.254.169.254 is in 169.254.0.0/16 (link-local, cloud metadata), refused for every Connector"],
    ["100.100.100.200", "100.100.100.200 is in 100.100.100.200/32 (cloud metadata), refused for every Connector"],
    ["239.1.1.1", "239.1.1.1 is in 224.0.0.0/4 (multicast), refused for every Connector"],
    ["255.255.255.255", "255.255.255.255 is in 240.0.0.0/4 (reserved and broadcast), refused for every Connector"],
    ["fe80::1", "fe80::1 is in fe80::/10 (link-local), refused for every Connector"],
    ["fd00:ec2::254", "fd00:ec2::254 is in fd00:ec2::254/128 (cloud metadata), refused for every Connector"],
    ["ff02::1", "ff02::1 is in ff00::/8 (multicast), refused for every Connector"],
    ["::ffff:a9fe:a9fe", "::ffff:a9fe:a9fe (169.254.169.254) is in 169.254.0.0/16 (link-local, cloud metadata), refused for every Connector"],
    ["64:ff9b::a9fe:a9fe", "64:ff9b::a9fe:a9fe (169.254.169.254) is in 169.254.0.0/16 (link-local, cloud metadata), refused for every Connector"],
  ])("refuses %s for Connectors in any namespace", (address, reason) => {
    for (const namespace of [OPERATOR, TENANT]) {
      expect(policy().check(address, namespace)).toEqual({ allowed: false, reason: `${reason} unless --connector-allowed-destinations covers it` });
    }
  });

  it.each([
    ["127.0.0.1", "127.0.0.0/8 (loopback, the operator itself)"],
    ["127.8.9.10", "127.0.0.0/8 (loopback, the operator itself)"],
    ["0.0.0.0", "0.0.0.0/8 (unspecified, reaches the operator itself)"],
    ["::1", "::1/128 (loopback, the operator itself)"],
    ["::", "::/128 (unspecified, reaches the operator itself)"],
    ["::ffff:127.0.0.1", "127.0.0.0/8 (loopback, the operator itself)"],
  ])("refuses %s, the operator's own host, to every Connector by default and to tenant Connectors even when allowed", (address, what) => {
    const effective = address === "::ffff:127.0.0.1" ? "::ffff:127.0.0.1 (127.0.0.1)" : address;
    expect(policy().check(address, OPERATOR)).toEqual({ allowed: false, reason: `${effective} is in ${what}, refused unless --connector-allowed-destinations covers it` });
    const allowing = policy({ allowed: cidrs("0.0.0.0/0", "::/0") });
    expect(allowing.check(address, OPERATOR)).toEqual({ allowed: true });
    expect(allowing.check(address, TENANT)).toEqual({
      allowed: false,
      reason: `${effective} is in ${what}, refused for Connectors outside the operator's namespace soar-system whatever --connector-allowed-destinations says`,
    });
  });

  it.each([
    ["10.1.2.3", "10.0.0.0/8 (private)"],
    ["172.20.0.1", "172.16.0.0/12 (private)"],
    ["192.168.1.1", "192.168.0.0/16 (private)"],
    ["100.64.0.1", "100.64.0.0/10 (shared address space, carrier-grade NAT)"],
    ["fd12::1", "fc00::/7 (unique local, private)"],
    ["::ffff:10.1.2.3", "10.0.0.0/8 (private)"],
  ])("refuses the private address %s to tenant Connectors only", (address, what) => {
    const decision = policy().check(address, TENANT);
    expect(decision).toEqual({ allowed: false, reason: expect.stringContaining(`is in ${what}, refused for Connectors outside the operator's namespace soar-system`) as unknown });
    expect(policy().check(address, OPERATOR)).toEqual({ allowed: true });
  });

  it.each(["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "172.32.0.1", "::ffff:93.184.216.34"])("allows the public address %s", (address) => {
    expect(policy().check(address, TENANT)).toEqual({ allowed: true });
  });

  it("refuses what is not an IP address", () => {
    expect(policy().check("localhost", OPERATOR)).toEqual({ allowed: false, reason: '"localhost" is not an IP address' });
  });

  it("refuses the API server's and the operator's own addresses, even public ones, to every Connector by default", () => {
    expect(policy().check("203.0.113.10", OPERATOR)).toEqual({
      allowed: false,
      reason: "203.0.113.10 is an address of the Kubernetes API server, refused unless --connector-allowed-destinations covers it",
    });
    expect(policy().check("10.96.0.1", TENANT)).toEqual({
      allowed: false,
      reason: "10.96.0.1 is an address of the Kubernetes API server, refused for Connectors outside the operator's namespace soar-system whatever --connector-allowed-destinations says",
    });
    expect(policy().check("::ffff:10.244.1.7", OPERATOR)).toMatchObject({ allowed: false, reason: expect.stringContaining("(10.244.1.7) is an address of the operator itself") as unknown });
  });

  it("lets an allowed block carve exceptions out of the built-in ranges, for every namespace", () => {
    const allowing = policy({ allowed: cidrs("169.254.10.0/24", "10.20.0.0/16", "fe80::/10") });
    for (const namespace of [OPERATOR, TENANT]) {
      expect(allowing.check("169.254.10.1", namespace)).toEqual({ allowed: true });
      expect(allowing.check("::ffff:169.254.10.1", namespace)).toEqual({ allowed: true });
      expect(allowing.check("10.20.3.4", namespace)).toEqual({ allowed: true });
      expect(allowing.check("fe80::9", namespace)).toEqual({ allowed: true });
      expect(allowing.check("169.254.169.254", namespace)).toMatchObject({ allowed: false });
    }
    expect(allowing.check("10.21.0.1", TENANT)).toMatchObject({ allowed: false });
  });

  it("opens the API server's and the operator's own addresses to the operator's namespace only", () => {
    const allowing = policy({ allowed: cidrs("10.0.0.0/8", "203.0.113.10") });
    expect(allowing.check("10.96.0.1", OPERATOR)).toEqual({ allowed: true });
    expect(allowing.check("203.0.113.10", OPERATOR)).toEqual({ allowed: true });
    expect(allowing.check("10.96.0.1", TENANT)).toMatchObject({ allowed: false, reason: expect.stringContaining("Kubernetes API server") as unknown });
    expect(allowing.check("10.244.1.7", TENANT)).toMatchObject({ allowed: false, reason: expect.stringContaining("the operator itself") as unknown });
    expect(allowing.check("10.244.1.8", TENANT)).toEqual({ allowed: true });
  });

  it("refuses a denied block to every Connector, over the allowed ones", () => {
    const denying = policy({ allowed: cidrs("10.0.0.0/8"), denied: cidrs("10.9.0.0/16", "2001:db8::/32") });
    expect(denying.check("10.9.1.1", OPERATOR)).toEqual({ allowed: false, reason: "10.9.1.1 is in 10.9.0.0/16 (--connector-denied-destinations), refused for every Connector" });
    expect(denying.check("2001:db8::5", TENANT)).toMatchObject({ allowed: false });
    expect(denying.check("10.8.1.1", TENANT)).toEqual({ allowed: true });
  });
});
