import type { StepKind } from "../playbook/index.ts";

/**
 * The step kinds this version of kube-soar executes: every kind a Playbook may declare (Jobs,
 * approvals, built-in actions, connector calls and notifications). A Playbook with a kind
 * outside this set is reported not Ready with reason StepKindUnavailable rather than half-run.
 */
export const EXECUTABLE_STEP_KINDS: ReadonlySet<StepKind> = new Set<StepKind>(["job", "approval", "action", "connector", "notify"]);
