import { AppsV1Api, CoreV1Api, NetworkingV1Api, PatchStrategy, setHeaderOptions, V1DeleteOptions, type KubeConfig } from "@kubernetes/client-node";
import type { ActionClients } from "./action-contract.ts";
import { makeApiClient } from "../runtime/kube-api-client.ts";

/** Request options that send a PATCH body as a JSON merge patch (RFC 7386). */
export const mergePatchOptions = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

/** Request options that send a PATCH body as a server-side apply configuration (JSON is YAML). */
export const serverSideApplyOptions = setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply);

/** The `dryRun` request parameter: `All` in dry-run mode (validated, not persisted), else absent. */
export function dryRunParameter(dryRun: boolean): { dryRun?: string } {
  return dryRun ? { dryRun: "All" } : {};
}

/**
 * The parameters of a DELETE in dry-run mode. The API server reads the options of a DELETE from
 * its body when there is one and ignores the query then, so dry-run goes in both.
 */
export function dryRunDelete(dryRun: boolean): { dryRun?: string; body?: V1DeleteOptions } {
  if (!dryRun) return {};
  const body = new V1DeleteOptions();
  body.dryRun = ["All"];
  return { dryRun: "All", body };
}

/** Field manager kube-soar's writes are recorded under in `managedFields`. */
export const FIELD_MANAGER = "kube-soar";

/** The API clients actions use, built from one KubeConfig (the operator's identity). */
export function createActionClients(kubeConfig: KubeConfig): ActionClients {
  return {
    core: makeApiClient(kubeConfig, CoreV1Api),
    apps: makeApiClient(kubeConfig, AppsV1Api),
    networking: makeApiClient(kubeConfig, NetworkingV1Api),
  };
}
