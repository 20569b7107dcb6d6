import {
  Observable,
  V1Lease,
  V1LeaseSpec,
  V1MicroTime,
  V1ObjectMeta,
  type ConfigurationOptions,
  type CoordinationV1Api,
} from "@kubernetes/client-node";
import { isNotFound } from "./errors.ts";
import type { LeaseRecord } from "./lease-decision.ts";

/** A lease record with the resourceVersion it was read at. */
export interface VersionedLeaseRecord {
  record: LeaseRecord;
  resourceVersion: string;
}

/** Reads and writes one Lease with optimistic concurrency. */
export interface LeaseLock {
  /** `namespace/name` of the Lease, for logs. */
  readonly description: string;
  /** The current record, or undefined when the Lease does not exist. */
  get(signal: AbortSignal): Promise<VersionedLeaseRecord | undefined>;
  /** Creates the Lease; rejects with 409 when it already exists. */
  create(record: LeaseRecord, signal: AbortSignal): Promise<void>;
  /** Replaces the record if the Lease is still at `resourceVersion`; rejects with 409 otherwise. */
  update(record: LeaseRecord, resourceVersion: string, signal: AbortSignal): Promise<void>;
}

function abortable(signal: AbortSignal): ConfigurationOptions {
  return {
    middleware: [
      {
        pre: (context) => {
          context.setSignal(signal);
          return new Observable(Promise.resolve(context));
        },
        post: (response) => new Observable(Promise.resolve(response)),
      },
    ],
    middlewareMergeStrategy: "append",
  };
}

function toDate(value: Date | string | undefined): Date | undefined {
  // client-node leaves MicroTime fields as the wire's RFC 3339 strings despite their Date type.
  if (value === undefined) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function toMicroTime(value: Date | undefined): V1MicroTime | undefined {
  return value === undefined ? undefined : new V1MicroTime(value.getTime());
}

/** The leader-election record of a Lease; absent fields read as empty/zero. */
export function leaseRecordOf(lease: V1Lease): LeaseRecord {
  const spec = lease.spec;
  return {
    holderIdentity: spec?.holderIdentity ?? "",
    leaseDurationSeconds: spec?.leaseDurationSeconds ?? 0,
    acquireTime: toDate(spec?.acquireTime),
    renewTime: toDate(spec?.renewTime),
    leaseTransitions: spec?.leaseTransitions ?? 0,
  };
}

/** A Lease object holding `record`, at `resourceVersion` when given (for an update). */
export function leaseObject(namespace: string, name: string, record: LeaseRecord, resourceVersion?: string): V1Lease {
  const metadata = new V1ObjectMeta();
  metadata.name = name;
  metadata.namespace = namespace;
  if (resourceVersion !== undefined) metadata.resourceVersion = resourceVersion;
  const spec = new V1LeaseSpec();
  spec.holderIdentity = record.holderIdentity;
  spec.leaseDurationSeconds = record.leaseDurationSeconds;
  spec.leaseTransitions = record.leaseTransitions;
  const acquireTime = toMicroTime(record.acquireTime);
  if (acquireTime !== undefined) spec.acquireTime = acquireTime;
  const renewTime = toMicroTime(record.renewTime);
  if (renewTime !== undefined) spec.renewTime = renewTime;
  const lease = new V1Lease();
  lease.apiVersion = "coordination.k8s.io/v1";
  lease.kind = "Lease";
  lease.metadata = metadata;
  lease.spec = spec;
  return lease;
}

/** A {@link LeaseLock} on the Lease `namespace/name` through client-node's CoordinationV1Api. */
export function leaseLock(api: CoordinationV1Api, namespace: string, name: string): LeaseLock {
  return {
    description: `${namespace}/${name}`,
    async get(signal) {
      try {
        const lease = await api.readNamespacedLease({ name, namespace }, abortable(signal));
        return { record: leaseRecordOf(lease), resourceVersion: lease.metadata?.resourceVersion ?? "" };
      } catch (error: unknown) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    async create(record, signal) {
      await api.createNamespacedLease({ namespace, body: leaseObject(namespace, name, record) }, abortable(signal));
    },
    async update(record, resourceVersion, signal) {
      await api.replaceNamespacedLease(
        { name, namespace, body: leaseObject(namespace, name, record, resourceVersion) },
        abortable(signal),
      );
    },
  };
}
