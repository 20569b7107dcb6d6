import { TenancyPolicy } from "../api/v1alpha1/constants.ts";
import type { Connector, Incident, Playbook, ThreatFeed } from "../api/v1alpha1/types.generated.ts";
import type { OperatorOptions } from "../config/options.ts";
import {
  bindingStateFor,
  connectorPrivilegedFields,
  playbookPrivilegedFields,
  threatFeedPrivilegedFields,
  verifyApprovals,
  verifyTenancy,
  type ObservedBinding,
  type TenancyVerdict,
} from "../policy/index.ts";
import type { InformerFactory } from "../runtime/informer-factory.ts";
import { watchPolicyBindings, type PolicyBinding } from "./collections.ts";
import { specWriteOf } from "./spec-write-times.ts";

/**
 * Whether the operator may act on what only the tenancy admission policies vouch for, decided
 * from the current caches at each call (see `verifyTenancy` and `verifyApprovals`).
 */
export interface TenancyCheck {
  /** The Playbook's Job and action steps. */
  playbook(playbook: Playbook): TenancyVerdict;
  /** The Connector's Secrets. */
  connector(connector: Connector): TenancyVerdict;
  /** The ThreatFeed's ConfigMap and Secrets. */
  threatFeed(feed: ThreatFeed): TenancyVerdict;
  /** The Incident's `spec.approvals`. */
  approvals(incident: Incident): TenancyVerdict;
  /** The caches the verdicts read: wait for them before deciding. */
  readonly caches: readonly { hasSynced(): boolean; waitForSync(signal: AbortSignal): Promise<boolean> }[];
  /** Calls `listener` whenever a binding is added, changed or deleted; returns a function that unregisters it. */
  onBindingChange(listener: () => void): () => void;
}

const verified: TenancyVerdict = { verified: true };

/** Every verdict true: for clusters without config/admission, where the operator trusts every writer of its objects. */
const trustEveryWriter: TenancyCheck = {
  playbook: () => verified,
  connector: () => verified,
  threatFeed: () => verified,
  approvals: () => verified,
  caches: [],
  onBindingChange: () => () => undefined,
};

function observed(binding: PolicyBinding | undefined): ObservedBinding | undefined {
  if (binding === undefined) return undefined;
  const created = binding.metadata.creationTimestamp;
  const since = specWriteOf(binding) ?? (created === undefined ? undefined : new Date(created));
  return { ...binding.spec, since };
}

function dateOf(value: string | Date | undefined): Date | undefined {
  return value === undefined ? undefined : new Date(value);
}

/**
 * The tenancy check of one leadership term: with `verifyTenancy` on, verdicts from a cache of
 * the cluster's ValidatingAdmissionPolicyBindings (shared through `informers`) and the last
 * spec writes remembered by the Playbook, Connector and ThreatFeed caches; with it off, every verdict is
 * true and nothing is watched.
 */
export function tenancyCheck(informers: InformerFactory, options: Pick<OperatorOptions, "verifyTenancy" | "namespace">): TenancyCheck {
  if (!options.verifyTenancy) return trustEveryWriter;
  const bindings = watchPolicyBindings(informers);
  const state = (policy: TenancyPolicy, namespace: string) => bindingStateFor(policy, observed(bindings.get(policy)), namespace);
  const subject = (object: Playbook | Connector | ThreatFeed, privilegedFields: string[]) => {
    const namespace = object.metadata.namespace ?? "";
    return { namespace, privilegedFields, lastWrite: specWriteOf(object) };
  };
  return {
    playbook: (playbook) => {
      const checked = subject(playbook, playbookPrivilegedFields(playbook.spec));
      return verifyTenancy(checked, options.namespace, state(TenancyPolicy.PlaybookJobs, checked.namespace));
    },
    connector: (connector) => {
      const checked = subject(connector, connectorPrivilegedFields(connector.spec));
      return verifyTenancy(checked, options.namespace, state(TenancyPolicy.ConnectorSecrets, checked.namespace));
    },
    threatFeed: (feed) => {
      const checked = subject(feed, threatFeedPrivilegedFields(feed.spec));
      return verifyTenancy(checked, options.namespace, state(TenancyPolicy.ThreatFeedSources, checked.namespace));
    },
    approvals: (incident) => {
      const namespace = incident.metadata.namespace ?? "";
      const createdAt = dateOf(incident.metadata.creationTimestamp);
      return verifyApprovals({ namespace, createdAt }, options.namespace, state(TenancyPolicy.IncidentApprovals, namespace));
    },
    caches: [bindings],
    onBindingChange: (listener) => bindings.addEventHandler({ onAdd: listener, onUpdate: (old, current) => { if (old !== current) listener(); }, onDelete: listener }),
  };
}
