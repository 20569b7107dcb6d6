import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseDuration } from "../../api/duration.ts";
import { parseTokenFile } from "../../ingest/transport/http-auth.ts";
import { CliFailure, ExitCode, UsageError } from "../cli-errors.ts";
import type { CliCommand } from "../command.ts";
import { HELP_OPTION, parseCommandArgs } from "../parse-command-args.ts";
import { alertPayload, FORMAT_NAMES, type AlertPayload } from "./alert-payload.ts";
import { falcoSample } from "./falco-sample.ts";
import { sendHttp } from "./send-http.ts";
import { sendNats } from "./send-nats.ts";

const USAGE = `Usage: kubectl soar send (--http URL [--token-file FILE] | --nats URL [--subject SUBJECT]) [--file FILE] [flags]

Sends a test alert to kube-soar's intake: by default the built-in Falco sample (an outbound
connection to a crypto-mining pool, with a fresh uuid and time, so each one is a new occurrence),
or the alert in --file, sent as it is: a Falco alert, a CloudEvent (structured JSON) or an
Alertmanager webhook.

Over HTTP the alert goes to the receiver's endpoint for its format (/falco, /events, /alertmanager)
unless the URL names a path; over NATS it is published with JetStream on the subject intake reads
it from (falco.<priority>.<rule>, soar.events.<type>) and the command waits until a stream stored it.

Flags:
      --http URL            the receiver, e.g. https://kube-soar-receiver.soar-system.svc:8080
      --token-file FILE     the receiver's bearer token (the first one of a file in the format of
                            the receiver's --receiver-token-file: one per line, # comments)
      --ca-file FILE        PEM certificates to trust for an https receiver
      --nats URL            NATS server(s), comma separated, e.g. nats://nats.nats.svc:4222
      --subject SUBJECT     publish on this subject instead
      --file FILE           the alert to send (JSON)
  -n, --namespace NAME      the built-in sample's namespace (k8s.ns.name; default batch)
      --pod NAME            the built-in sample's pod (k8s.pod.name; default report-gen-7f9c-kq2lz)
      --timeout DURATION    give up after this long (default 10s)
  -h, --help                help for this command
`;

const OPTIONS = {
  ...HELP_OPTION,
  http: { type: "string" },
  "token-file": { type: "string" },
  "ca-file": { type: "string" },
  nats: { type: "string" },
  subject: { type: "string" },
  file: { type: "string" },
  namespace: { type: "string", short: "n" },
  pod: { type: "string" },
  timeout: { type: "string" },
} as const;

async function readText(file: string, cwd: string, flag: string): Promise<Buffer> {
  try {
    return await readFile(path.resolve(cwd, file));
  } catch (error: unknown) {
    throw new CliFailure(`${flag} ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The token to send from a file in the receiver's token file format: its first token. */
function tokenOf(text: Buffer, file: string): string {
  const [token] = parseTokenFile(text.toString("utf8"));
  if (token === undefined) throw new CliFailure(`--token-file ${file}: no token in it`);
  return token;
}

function describePayload(payload: AlertPayload): string {
  return `${FORMAT_NAMES[payload.format]}${payload.id === undefined ? "" : ` ${payload.id}`}`;
}

/** `kubectl soar send`: a test alert over HTTP or NATS. */
export const sendCommand: CliCommand = {
  name: "send",
  summary: "Send a test alert (built-in Falco sample or a file) over HTTP or NATS",
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, OPTIONS);
    if (values.help === true) {
      io.stdout(USAGE);
      return ExitCode.Ok;
    }
    if (positionals.length > 0) throw new UsageError(`send: unexpected argument ${JSON.stringify(positionals[0])}`);
    if ((values.http === undefined) === (values.nats === undefined)) throw new UsageError("send: pass --http URL or --nats URL (one of them)");
    if (values.http !== undefined && values.subject !== undefined) throw new UsageError("--subject is for --nats");
    if (values.nats !== undefined && (values["token-file"] !== undefined || values["ca-file"] !== undefined)) throw new UsageError("--token-file and --ca-file are for --http");
    if (values.file !== undefined && (values.namespace !== undefined || values.pod !== undefined)) throw new UsageError("-n and --pod shape the built-in sample: the --file alert is sent as it is");
    const timeoutMs = parseDuration(values.timeout ?? "10s");
    if (timeoutMs === undefined || timeoutMs <= 0) throw new UsageError(`--timeout ${JSON.stringify(values.timeout)}: expected a duration such as 10s`);

    const payload =
      values.file === undefined
        ? alertPayload(Buffer.from(JSON.stringify(falcoSample({ namespace: values.namespace, pod: values.pod }, new Date()))), "the built-in sample")
        : alertPayload(await readText(values.file, io.cwd, "--file"), values.file);
    if (values.http !== undefined) {
      const tokenFile = values["token-file"];
      const caFile = values["ca-file"];
      const token = tokenFile === undefined ? undefined : tokenOf(await readText(tokenFile, io.cwd, "--token-file"), tokenFile);
      const ca = caFile === undefined ? undefined : await readText(caFile, io.cwd, "--ca-file");
      const sent = await sendHttp(payload, { url: values.http, token, ca, timeoutMs });
      io.stdout(`sent ${describePayload(payload)} to ${sent.url.href}: ${sent.status}\n`);
      return ExitCode.Ok;
    }
    const receipt = await sendNats(payload, { servers: values.nats ?? "", subject: values.subject, timeoutMs });
    const duplicate = receipt.duplicate ? " (a duplicate: the stream already had it)" : "";
    io.stdout(`sent ${describePayload(payload)} on ${receipt.subject}: stored in stream ${receipt.stream} as message ${String(receipt.sequence)}${duplicate}\n`);
    return ExitCode.Ok;
  },
};
