import type { ApprovalDecision } from "../../api/v1alpha1/types.generated.ts";
import { ExitCode, UsageError } from "../cli-errors.ts";
import type { CliCommand } from "../command.ts";
import { KUBE_FLAG_OPTIONS, KUBE_FLAGS_HELP } from "../kube-flags.ts";
import { HELP_OPTION, parseCommandArgs } from "../parse-command-args.ts";
import { approvalChange } from "./approval-change.ts";
import { runChange } from "./lifecycle-commands.ts";

/** The RBAC that recording a decision needs. */
export const APPROVE_RBAC =
  "deciding an approval step needs the ClusterRole soar-approver: get and patch, and the verb approve, on incidents.soar.kube-soar.io";

const OPTIONS = { ...HELP_OPTION, ...KUBE_FLAG_OPTIONS, reason: { type: "string" } } as const;

function usageOf(name: string, decision: ApprovalDecision): string {
  const effect = decision === "approve" ? "the run goes on past the step" : "the step fails (and so the run, unless it continues on error)";
  return `Usage: kubectl soar ${name} INCIDENT [PLAYBOOK/]STEP [--reason TEXT] [flags]

Records your decision on an approval step that waits for one: ${effect}.
The decision is appended to the Incident's spec.approvals with your user name as the API server
knows it (with kube-soar's admission policies, the API server refuses any other name), the time
and the reason. The first decision recorded for a step counts and never changes. Name the playbook
too when steps of two playbooks share the name.

Flags:
      --reason TEXT         why, for the audit trail
  -h, --help                help for this command
${KUBE_FLAGS_HELP}
`;
}

function approvalCommand(name: string, decision: ApprovalDecision, summary: string): CliCommand {
  const usage = usageOf(name, decision);
  return {
    name,
    summary,
    usage,
    async run(args, io) {
      const { values, positionals } = parseCommandArgs(args, OPTIONS);
      if (values.help === true) {
        io.stdout(usage);
        return ExitCode.Ok;
      }
      const [incident, step, extra] = positionals;
      if (incident === undefined || step === undefined) throw new UsageError(`${name}: name the Incident and the step`);
      if (extra !== undefined) throw new UsageError(`${name}: unexpected argument ${JSON.stringify(extra)}`);
      const reason = values.reason;
      return await runChange(io, values, { name: incident, rbac: APPROVE_RBAC }, async (session) => {
        const by = await session.incidents.userName();
        return (read) => approvalChange(read, { step, decision, by, reason, now: new Date() });
      });
    },
  };
}

/** `kubectl soar approve INCIDENT STEP`: let the run go on. */
export const approveCommand: CliCommand = approvalCommand("approve", "approve", "Approve a step that waits for a decision");

/** `kubectl soar reject INCIDENT STEP`: fail the step. */
export const rejectCommand: CliCommand = approvalCommand("reject", "reject", "Reject a step that waits for a decision");
