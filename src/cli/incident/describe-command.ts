import { ExitCode, UsageError } from "../cli-errors.ts";
import type { CliCommand } from "../command.ts";
import { withCliSession } from "../cli-session.ts";
import { KUBE_FLAG_OPTIONS, KUBE_FLAGS_HELP, kubeFlagsOf } from "../kube-flags.ts";
import { HELP_OPTION, parseCommandArgs } from "../parse-command-args.ts";
import { describeIncident } from "./describe-incident.ts";

const USAGE = `Usage: kubectl soar describe INCIDENT... [flags]

Shows an Incident in readable sections: its state, severity, assignee and phase, the steps waiting
for a decision, the event (its data cut at 40 lines), the affected resources, observables, threat
intel when there is any, each playbook's steps with attempts, messages and outputs, the recorded
approvals, the conditions and the timeline.

Flags:
  -h, --help                help for this command
${KUBE_FLAGS_HELP}
`;

/** `kubectl soar describe INCIDENT...`: everything about an Incident, readable. */
export const describeCommand: CliCommand = {
  name: "describe",
  summary: "Show an Incident: event, resources, intel, steps, approvals, timeline",
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { ...HELP_OPTION, ...KUBE_FLAG_OPTIONS });
    if (values.help === true) {
      io.stdout(USAGE);
      return ExitCode.Ok;
    }
    if (positionals.length === 0) throw new UsageError("describe: name the Incident");
    const flags = kubeFlagsOf(values);
    if (flags.allNamespaces) throw new UsageError("-A: describe names Incidents of one namespace");
    return await withCliSession(flags, io, async (session) => {
      const incidents = await Promise.all(positionals.map((name) => session.incidents.get(session.namespace, name)));
      io.stdout(incidents.map((incident) => describeIncident(incident, new Date())).join("\n\n"));
      return ExitCode.Ok;
    });
  },
};
