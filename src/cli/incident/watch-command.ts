import { GROUP, Plural, VERSION } from "../../api/v1alpha1/constants.ts";
import { parseDuration } from "../../api/duration.ts";
import type { Incident } from "../../api/v1alpha1/types.generated.ts";
import { systemRuntimeClock } from "../../runtime/clock.ts";
import { InformerFactory } from "../../runtime/informer-factory.ts";
import { KubeHttpClient } from "../../runtime/kube-http.ts";
import { ExitCode, UsageError } from "../cli-errors.ts";
import { cliLogger } from "../cli-logger.ts";
import type { CliCommand, CliIO } from "../command.ts";
import { withCliSession, type CliSession } from "../cli-session.ts";
import { ALL_NAMESPACES_HELP, KUBE_FLAG_OPTIONS, KUBE_FLAGS_HELP, kubeFlagsOf } from "../kube-flags.ts";
import { HELP_OPTION, parseCommandArgs } from "../parse-command-args.ts";
import { printable } from "../terminal-text.ts";
import { newTimelineLines } from "./timeline-lines.ts";

const USAGE = `Usage: kubectl soar watch [INCIDENT] [flags]

Prints an Incident's timeline as it grows: what is there, then each new entry as the operator
records it. With an INCIDENT, ends when it is closed or deleted; without, follows every Incident of
the namespace (or of all with -A), names each, and says when one opens, until Ctrl-C.

Flags:
      --timeout DURATION    stop after this long, e.g. 30s, 10m (exit 0)
${ALL_NAMESPACES_HELP}
  -h, --help                help for this command
${KUBE_FLAGS_HELP}
`;

const OPTIONS = { ...HELP_OPTION, ...KUBE_FLAG_OPTIONS, timeout: { type: "string" } } as const;

interface WatchTarget {
  /** undefined: every namespace. */
  readonly namespace: string | undefined;
  /** undefined: every Incident of the namespace. */
  readonly name: string | undefined;
  readonly timeoutMs: number | undefined;
}

function collectionPath(namespace: string | undefined): string {
  const base = `/apis/${GROUP}/${VERSION}`;
  return namespace === undefined ? `${base}/${Plural.Incident}` : `${base}/namespaces/${encodeURIComponent(namespace)}/${Plural.Incident}`;
}

/** Follows the target with the operator's own informer (it relists and rewatches after any failure) until it ends. */
async function follow(session: CliSession, io: CliIO, target: WatchTarget): Promise<void> {
  const single = target.name !== undefined;
  const informers = new InformerFactory({ client: new KubeHttpClient(session.kubeConfig), clock: systemRuntimeClock, logger: cliLogger(io), resyncPeriodMs: 0 });
  const informer = informers.informerFor<Incident>({
    path: collectionPath(target.namespace),
    resource: Plural.Incident,
    ...(target.name === undefined ? {} : { fieldSelector: `metadata.name=${target.name}` }),
  });
  const abort = new AbortController();
  const shown = new Map<string, Set<string>>();
  let synced = false;
  const show = (incident: Incident): void => {
    for (const line of newTimelineLines(incident, shown, !single)) io.stdout(`${line}\n`);
    if (single && incident.spec.state === "Closed") {
      io.stdout(`incident/${printable(target.name, 253)} closed\n`);
      abort.abort();
    }
  };
  informer.addEventHandler({
    onAdd: (incident) => {
      if (synced && !single) io.stdout(`${new Date().toISOString()}  Normal   ${printable(incident.metadata.name ?? "", 253)}  Opened  ${incident.spec.severity}: ${printable(incident.spec.title)}\n`);
      show(incident);
    },
    onUpdate: (_old, incident) => { show(incident); },
    onDelete: (incident) => {
      io.stdout(`incident/${printable(incident.metadata.name ?? "", 253)} deleted\n`);
      if (single) abort.abort();
    },
  });
  const timer = target.timeoutMs === undefined ? undefined : setTimeout(() => {
    abort.abort();
  }, target.timeoutMs);
  informers.start(abort.signal);
  synced = await informer.waitForSync(abort.signal);
  if (!abort.signal.aborted) {
    await new Promise<void>((resolve) => {
      abort.signal.addEventListener("abort", () => { resolve(); }, { once: true });
    });
  }
  clearTimeout(timer);
  await informers.stopped();
}

/** `kubectl soar watch [INCIDENT]`: the timeline, live. */
export const watchCommand: CliCommand = {
  name: "watch",
  summary: "Follow the timeline of an Incident (or of a namespace's) live",
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, OPTIONS);
    if (values.help === true) {
      io.stdout(USAGE);
      return ExitCode.Ok;
    }
    const [name, extra] = positionals;
    if (extra !== undefined) throw new UsageError(`watch: unexpected argument ${JSON.stringify(extra)}`);
    const timeoutMs = values.timeout === undefined ? undefined : parseDuration(values.timeout);
    if (values.timeout !== undefined && (timeoutMs === undefined || timeoutMs <= 0)) throw new UsageError(`--timeout ${JSON.stringify(values.timeout)}: expected a duration such as 30s or 10m`);
    const flags = kubeFlagsOf(values);
    if (name !== undefined && flags.allNamespaces) throw new UsageError("-A follows every namespace: name no Incident with it");
    return await withCliSession(flags, io, async (session) => {
      const namespace = flags.allNamespaces ? undefined : session.namespace;
      // A first read says clearly when the Incident does not exist or may not be read.
      if (name === undefined) await session.incidents.list(namespace);
      else await session.incidents.get(session.namespace, name);
      await follow(session, io, { namespace, name, timeoutMs });
      return ExitCode.Ok;
    });
  },
};
