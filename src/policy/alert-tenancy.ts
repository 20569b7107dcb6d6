/**
 * Whether a Playbook may see an alert at all, before its trigger is evaluated: a Playbook in
 * the operator's namespace sees every alert; any other Playbook only alerts whose affected
 * namespace is its own. An alert about no namespace (a Node, the cluster, or a namespace intake
 * could not read or validate) is the operator's alone. This keeps one tenant's alert data out
 * of another tenant's Incidents, the intake side of the tenancy guard (which keeps a tenant's
 * actions in its own namespace).
 */
export function playbookMaySeeAlert(playbookNamespace: string, alertNamespace: string | undefined, operatorNamespace: string): boolean {
  return playbookNamespace === operatorNamespace || (alertNamespace !== undefined && playbookNamespace === alertNamespace);
}

/**
 * Whether a suppression may silence an alert's Incident in `incidentNamespace`: a suppression in
 * the operator's namespace silences any; any other only the Incidents of its own namespace
 * (where its namespace's Playbooks would run). A tenant can thus quiet its own Playbooks, but never
 * keep an alert from the operator's namespace or from another tenant.
 */
export function suppressionMaySilence(suppressionNamespace: string, incidentNamespace: string, operatorNamespace: string): boolean {
  return suppressionNamespace === operatorNamespace || suppressionNamespace === incidentNamespace;
}
