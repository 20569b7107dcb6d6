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
