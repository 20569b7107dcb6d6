import { GROUP, Kind } from "../../api/v1alpha1/constants.ts";
import type { Incident } from "../../api/v1alpha1/types.generated.ts";
import { ExitCode, UsageError } from "../cli-errors.ts";
import type { CliCommand, CliIO } from "../command.ts";
import { withCliSession } from "../cli-session.ts";
import { ALL_NAMESPACES_HELP, KUBE_FLAG_OPTIONS, KUBE_FLAGS_HELP, kubeFlagsOf } from "../kube-flags.ts";
import { formatJson, formatYaml, OUTPUT_OPTION, outputFormatOf, withoutManagedFields, type OutputFormat } from "../output.ts";
import { HELP_OPTION, parseCommandArgs } from "../parse-command-args.ts";
import { incidentTable } from "./incident-table.ts";

const USAGE = `Usage: kubectl soar get [INCIDENT...] [flags]

Lists Incidents: NAME, SEVERITY, STATE, PHASE, PLAYBOOKS, OCCURRENCES and AGE; -o wide adds WAITING
(approval steps waiting for a decision), ASSIGNEE, LAST SEEN and TITLE.

Flags:
  -l, --selector SELECTOR   only Incidents with these labels, e.g. soar.kube-soar.io/state=Open,
                            soar.kube-soar.io/severity in (high,critical), playbook.soar.kube-soar.io/contain
  -o, --output FORMAT       wide, json, yaml or name
${ALL_NAMESPACES_HELP}
  -h, --help                help for this command
${KUBE_FLAGS_HELP}
`;

const OPTIONS = { ...HELP_OPTION, ...KUBE_FLAG_OPTIONS, ...OUTPUT_OPTION, selector: { type: "string", short: "l" } } as const;

/** The objects as `-o json|yaml` prints them: one object alone, else a List. */
function printed(incidents: readonly Incident[], single: boolean): unknown {
  const items = incidents.map(withoutManagedFields);
  if (single && items.length === 1) return items[0];
  return { apiVersion: "v1", kind: "List", metadata: { resourceVersion: "" }, items };
}

function print(io: CliIO, incidents: readonly Incident[], format: OutputFormat, context: { allNamespaces: boolean; single: boolean }): void {
  switch (format) {
    case "json":
      io.stdout(formatJson(printed(incidents, context.single)));
      return;
    case "yaml":
      io.stdout(formatYaml(printed(incidents, context.single)));
      return;
    case "name":
      for (const incident of incidents) io.stdout(`${Kind.Incident.toLowerCase()}.${GROUP}/${incident.metadata.name ?? ""}\n`);
      return;
    case "table":
    case "wide":
      io.stdout(incidentTable(incidents, { wide: format === "wide", allNamespaces: context.allNamespaces, now: new Date() }));
  }
}

/** `kubectl soar get`: Incidents in a table, or as JSON, YAML or names. */
export const getCommand: CliCommand = {
  name: "get",
  summary: "List Incidents with severity, state, phase, playbooks and occurrences",
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, OPTIONS);
    if (values.help === true) {
      io.stdout(USAGE);
      return ExitCode.Ok;
    }
    const format = outputFormatOf(values.output);
    const flags = kubeFlagsOf(values);
    if (positionals.length > 0 && flags.allNamespaces) throw new UsageError("-A lists every namespace: name no Incident with it");
    if (positionals.length > 0 && values.selector !== undefined) throw new UsageError("-l selects Incidents: name none with it");
    return await withCliSession(flags, io, async (session) => {
      const namespace = flags.allNamespaces ? undefined : session.namespace;
      const incidents =
        positionals.length > 0
          ? await Promise.all(positionals.map((name) => session.incidents.get(session.namespace, name)))
          : (await session.incidents.list(namespace, values.selector)).items;
      if (incidents.length === 0 && (format === "table" || format === "wide")) {
        io.stderr(namespace === undefined ? "No Incidents found.\n" : `No Incidents found in namespace ${namespace}.\n`);
        return ExitCode.Ok;
      }
      print(io, incidents, format, { allNamespaces: flags.allNamespaces, single: positionals.length === 1 });
      return ExitCode.Ok;
    });
  },
};
