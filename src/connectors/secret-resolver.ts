import type { CoreV1Api } from "@kubernetes/client-node";
import { Reason } from "../api/v1alpha1/reasons.ts";
import { classifyApiError } from "../runtime/errors.ts";
import { SecretValue } from "./secret-value.ts";

/** Why a Secret reference did not resolve. */
export type SecretProblem =
  | typeof Reason.SecretNotFound
  | "SecretKeyNotFound"
  | typeof Reason.SecretForbidden
  | typeof Reason.SecretUnavailable;

/** A Secret reference that did not resolve; the message names the Secret and key, never a value. */
export interface SecretLookupFailure {
  readonly ok: false;
  readonly problem: SecretProblem;
  readonly message: string;
}

/** One key of a Secret, resolved. */
export type SecretKeyLookup = { readonly ok: true; readonly value: SecretValue } | SecretLookupFailure;

/** A whole Secret, resolved: its type and its keys. */
export type SecretLookup =
  | { readonly ok: true; readonly type: string; readonly data: ReadonlyMap<string, SecretValue> }
  | SecretLookupFailure;

/**
 * Reads Secrets of one namespace at call time. Values are wrapped in {@link SecretValue}; no
 * value is ever copied into a message.
 */
export interface SecretResolver {
  /** The whole Secret `name`. */
  secret(name: string): Promise<SecretLookup>;
  /** The key `key` of Secret `name`. */
  key(ref: { readonly name: string; readonly key: string }): Promise<SecretKeyLookup>;
}

function failure(problem: SecretProblem, message: string): SecretLookupFailure {
  return { ok: false, problem, message };
}

/**
 * A resolver over the API server. Each call reads the Secret again (a rotated credential takes
 * effect on the next call); reads within one resolver are shared, so one connector call reads
 * each Secret once: create one resolver per call.
 */
export function createSecretResolver(core: CoreV1Api, namespace: string): SecretResolver {
  const reads = new Map<string, Promise<SecretLookup>>();
  const read = async (name: string): Promise<SecretLookup> => {
    try {
      const secret = await core.readNamespacedSecret({ name, namespace });
      const data = new Map<string, SecretValue>();
      for (const [key, base64] of Object.entries(secret.data ?? {})) data.set(key, new SecretValue(Buffer.from(base64, "base64")));
      return { ok: true, type: secret.type ?? "Opaque", data };
    } catch (error: unknown) {
      switch (classifyApiError(error)) {
        case "not-found":
          return failure(Reason.SecretNotFound, `Secret ${namespace}/${name} does not exist`);
        case "forbidden":
          return failure(Reason.SecretForbidden, `reading Secret ${namespace}/${name} is forbidden; grant the operator's ServiceAccount the rules of the ClusterRole kube-soar-manager (config/rbac)`);
        default:
          return failure(Reason.SecretUnavailable, `Secret ${namespace}/${name} could not be read (API server unavailable)`);
      }
    }
  };
  const secret = (name: string): Promise<SecretLookup> => {
    let pending = reads.get(name);
    if (pending === undefined) {
      pending = read(name);
      reads.set(name, pending);
    }
    return pending;
  };
  return {
    secret,
    async key(ref) {
      const lookup = await secret(ref.name);
      if (!lookup.ok) return lookup;
      const value = lookup.data.get(ref.key);
      if (value === undefined) return failure("SecretKeyNotFound", `Secret ${namespace}/${ref.name} has no key ${ref.key}`);
      return { ok: true, value };
    },
  };
}
