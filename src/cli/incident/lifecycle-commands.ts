import { CliFailure, ExitCode, UsageError } from "../cli-errors.ts";
import type { CliCommand, CliIO } from "../command.ts";
import { withCliSession, type CliSession } from "../cli-session.ts";
import { KUBE_FLAG_OPTIONS, KUBE_FLAGS_HELP, kubeFlagsOf } from "../kube-flags.ts";
import { HELP_OPTION, parseCommandArgs } from "../parse-command-args.ts";
import { changeIncident } from "./change-incident.ts";
import type { IncidentChange } from "./incident-change.ts";
import { assigneeChange, stateChange, type StateRequest } from "./state-change.ts";
import type { Incident } from "../../api/v1alpha1/types.generated.ts";

/** The RBAC that changing an Incident's state or assignee needs. */
export const CHANGE_INCIDENTS_RBAC =
  "changing an Incident needs get and patch on incidents.soar.kube-soar.io, which kube-soar aggregates into the edit role when its admission policies are installed";

/** One Incident named on the command line. */
function incidentName(positionals: readonly string[], command: string, extra = 0): string {
  const name = positionals[0];
  if (name === undefined) throw new UsageError(`${command}: name the Incident`);
  if (positionals.length > 1 + extra) throw new UsageError(`${command}: unexpected argument ${JSON.stringify(positionals[1 + extra])}`);
  return name;
}

/**
 * Runs a change of Incident `name` (see `changeIncident`), with the decision `decider` makes for
 * the session, and prints `incident/<name> <what was done>`.
 */
export async function runChange(
  io: CliIO,
  values: Parameters<typeof kubeFlagsOf>[0],
  target: { name: string; rbac: string },
  decider: (session: CliSession) => Promise<(incident: Incident) => IncidentChange>,
): Promise<number> {
  const flags = kubeFlagsOf(values);
  if (flags.allNamespaces) throw new UsageError("-A: a change names one Incident in one namespace");
  const done = await withCliSession(flags, io, async (session) =>
    changeIncident(session.incidents, { namespace: session.namespace, ...target }, await decider(session)),
  );
  io.stdout(`incident/${target.name} ${done}\n`);
  return ExitCode.Ok;
}

function stateCommand(name: string, summary: string, usage: string, request: (values: { revert?: boolean | undefined }) => StateRequest, withRevert: boolean): CliCommand {
  const options = { ...HELP_OPTION, ...KUBE_FLAG_OPTIONS, ...(withRevert ? { revert: { type: "boolean" as const } } : {}) };
  return {
    name,
    summary,
    usage,
    async run(args, io) {
      const { values, positionals } = parseCommandArgs(args, options);
      if (values.help === true) {
        io.stdout(usage);
        return ExitCode.Ok;
      }
      const incident = incidentName(positionals, name);
      const wanted = request(values as { revert?: boolean });
      return await runChange(io, values, { name: incident, rbac: CHANGE_INCIDENTS_RBAC }, () => Promise.resolve((read) => stateChange(read, wanted)));
    },
  };
}

const stateUsage = (line: string, what: string, flags = ""): string => `Usage: kubectl soar ${line} [flags]

${what}

Flags:
${flags}  -h, --help                help for this command
${KUBE_FLAGS_HELP}
`;

/** `kubectl soar ack INCIDENT`: someone is on it. */
export const ackCommand: CliCommand = stateCommand(
  "ack",
  "Acknowledge an Incident: someone is on it",
  stateUsage("ack INCIDENT", "Sets spec.state to Acknowledged (and the state label). Already acknowledged: nothing is written.\nA Resolved or Closed Incident is not acknowledged again."),
  () => ({ to: "Acknowledged" }),
  false,
);

/** `kubectl soar resolve INCIDENT [--revert]`: the threat is handled; optionally undo reversible actions. */
export const resolveCommand: CliCommand = stateCommand(
  "resolve",
  "Resolve an Incident, optionally undoing its reversible actions",
  stateUsage(
    "resolve INCIDENT",
    "Sets spec.state to Resolved: no new step starts. With --revert, spec.revert too: the operator undoes\nthe reversible actions taken (un-isolate, uncordon, scale back), latest first.",
    "      --revert              undo the reversible actions taken\n",
  ),
  (values) => ({ to: "Resolved", revert: values.revert === true }),
  true,
);

/** `kubectl soar close INCIDENT`: done with it. */
export const closeCommand: CliCommand = stateCommand(
  "close",
  "Close an Incident",
  stateUsage("close INCIDENT", "Sets spec.state to Closed: no new step starts and the Incident is done with."),
  () => ({ to: "Closed" }),
  false,
);

const assignUsage = stateUsage("assign INCIDENT (USER | --me)", "Sets spec.assignee: who handles the Incident. --me assigns it to you, by the user name the API\nserver knows you by.", "      --me                  assign to yourself\n");

/** `kubectl soar assign INCIDENT USER`: who handles it. */
export const assignCommand: CliCommand = {
  name: "assign",
  summary: "Assign an Incident to someone (or --me)",
  usage: assignUsage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { ...HELP_OPTION, ...KUBE_FLAG_OPTIONS, me: { type: "boolean" } });
    if (values.help === true) {
      io.stdout(assignUsage);
      return ExitCode.Ok;
    }
    const me = values.me === true;
    const name = incidentName(positionals, "assign", me ? 0 : 1);
    const given = positionals[1];
    if (me === (given !== undefined)) throw new UsageError("assign: name the assignee, or pass --me (not both)");
    if (given === "") throw new CliFailure("assign: the assignee is empty");
    return await runChange(io, values, { name, rbac: CHANGE_INCIDENTS_RBAC }, async (session) => {
      const assignee = given ?? (await session.incidents.userName());
      return (read) => assigneeChange(read, assignee);
    });
  },
};
