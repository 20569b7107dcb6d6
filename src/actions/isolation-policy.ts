import { isIPv4, isIPv6 } from "node:net";
import { Label, MANAGED_BY, MANAGED_BY_LABEL } from "../api/v1alpha1/constants.ts";
import { isDnsLabel, lengthSafeName } from "../api/v1alpha1/kube-names.ts";
import { quotedValue } from "./quoted-value.ts";

/** Most allowed CIDRs plus namespaces an isolation may let through. */
export const MAX_ISOLATION_PEERS = 16;

/**
 * Name of the isolation NetworkPolicy of a Pod, also the value of its quarantine label: a
 * deterministic function of the Pod name, at most 63 characters.
 */
export function isolationName(pod: string): string {
  return lengthSafeName("soar-isolate-", pod, 63);
}

function addressBits(address: string): { bits: bigint; width: number } | undefined {
  if (isIPv4(address)) {
    const parts = address.split(".").map(Number);
    return { bits: parts.reduce((acc, part) => (acc << 8n) | BigInt(part), 0n), width: 32 };
  }
  if (!isIPv6(address) || address.includes(".")) return undefined;
  const [head = "", tail] = address.split("::");
  const groups = (text: string): string[] => (text === "" ? [] : text.split(":"));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
  return { bits: all.reduce((acc, group) => (acc << 16n) | BigInt(Number.parseInt(group, 16)), 0n), width: 128 };
}

/**
 * Checks an allowed CIDR: an IPv4 or IPv6 network address with a prefix length and no host bits
 * set (the API server refuses the ambiguous `10.0.0.1/8`). Returns the problem, or undefined.
 */
export function cidrProblem(cidr: string): string | undefined {
  const match = /^([0-9A-Fa-f:.]+)\/(\d{1,3})$/.exec(cidr);
  const address = match?.[1];
  const prefixText = match?.[2];
  if (address === undefined || prefixText === undefined) return "must look like 10.0.0.0/8 or fd00::/8";
  const parsed = addressBits(address);
  // node:net refuses IPv4 octets with leading zeros, which the API server also refuses.
  if (parsed === undefined) return "not an IPv4 or IPv6 address (IPv4-mapped IPv6 is not accepted)";
  const prefix = Number(prefixText);
  if (prefix > parsed.width) return `prefix length must be at most ${parsed.width}`;
  const hostMask = (1n << BigInt(parsed.width - prefix)) - 1n;
  if ((parsed.bits & hostMask) !== 0n) return "host bits are set; give the network address";
  return undefined;
}

/** What an isolation lets through, for forensics: peers allowed in both directions. */
export interface IsolationExceptions {
  readonly allowCIDRs: readonly string[];
  readonly allowNamespaces: readonly string[];
}

/** Checks the exceptions; returns a message naming the parameter, or undefined. */
export function isolationExceptionsProblem(exceptions: IsolationExceptions): string | undefined {
  for (const cidr of exceptions.allowCIDRs) {
    const problem = cidrProblem(cidr);
    if (problem !== undefined) return `params.allowCIDRs: ${quotedValue(cidr)}: ${problem}`;
  }
  for (const namespace of exceptions.allowNamespaces) {
    if (!isDnsLabel(namespace)) return `params.allowNamespaces: ${quotedValue(namespace)}: not a namespace name`;
  }
  if (exceptions.allowCIDRs.length + exceptions.allowNamespaces.length > MAX_ISOLATION_PEERS) {
    return `params.allowCIDRs, params.allowNamespaces: at most ${MAX_ISOLATION_PEERS} peers in total`;
  }
  return undefined;
}

/** A NetworkPolicy peer in its wire (JSON) form. */
export interface PolicyPeer {
  readonly ipBlock?: { readonly cidr: string };
  readonly namespaceSelector?: { readonly matchLabels: Readonly<Record<string, string>> };
}

/** The spec of an isolation NetworkPolicy in its wire form. */
export interface IsolationPolicySpec {
  readonly podSelector: { readonly matchLabels: Readonly<Record<string, string>> };
  readonly policyTypes: readonly ["Ingress", "Egress"];
  readonly ingress: readonly { readonly from: readonly PolicyPeer[] }[];
  readonly egress: readonly { readonly to: readonly PolicyPeer[] }[];
}

/** An isolation NetworkPolicy in its wire form, as sent with server-side apply. */
export interface IsolationPolicyManifest {
  readonly apiVersion: "networking.k8s.io/v1";
  readonly kind: "NetworkPolicy";
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
    readonly ownerReferences: readonly { readonly apiVersion: "v1"; readonly kind: "Pod"; readonly name: string; readonly uid: string }[];
  };
  readonly spec: IsolationPolicySpec;
}

function peers(exceptions: IsolationExceptions): PolicyPeer[] {
  return [
    ...exceptions.allowCIDRs.map((cidr) => ({ ipBlock: { cidr } })),
    ...exceptions.allowNamespaces.map((namespace) => ({
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": namespace } },
    })),
  ];
}

/**
 * The spec of an isolation NetworkPolicy: it selects the Pods carrying the quarantine label
 * with value `name`, and denies all ingress and egress except, in both directions, the allowed
 * CIDRs and namespaces (none by default: complete isolation).
 */
export function isolationPolicySpec(name: string, exceptions: IsolationExceptions): IsolationPolicySpec {
  const allowed = peers(exceptions);
  return {
    podSelector: { matchLabels: { [Label.Isolated]: name } },
    policyTypes: ["Ingress", "Egress"],
    ingress: allowed.length === 0 ? [] : [{ from: allowed }],
    egress: allowed.length === 0 ? [] : [{ to: allowed }],
  };
}

/** The isolation NetworkPolicy of a Pod, owned by the Pod so that it goes away with it. */
export function isolationPolicy(args: {
  pod: { namespace: string; name: string; uid: string };
  incident: { namespace: string; name: string };
  exceptions: IsolationExceptions;
}): IsolationPolicyManifest {
  const name = isolationName(args.pod.name);
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: {
      name,
      namespace: args.pod.namespace,
      labels: { [MANAGED_BY_LABEL]: MANAGED_BY },
      annotations: { [Label.Incident]: `${args.incident.namespace}/${args.incident.name}` },
      ownerReferences: [{ apiVersion: "v1", kind: "Pod", name: args.pod.name, uid: args.pod.uid }],
    },
    spec: isolationPolicySpec(name, args.exceptions),
  };
}
