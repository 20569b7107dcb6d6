import type { StepKind } from "../playbook/index.ts";

/**
 * The step kinds this version of kube-soar executes. Playbooks with other kinds (action,
 * connector, notify) are reported not Ready with reason StepKindUnavailable rather than
 * half-run.
 */
export const EXECUTABLE_STEP_KINDS: ReadonlySet<StepKind> = new Set<StepKind>(["job", "approval"]);
