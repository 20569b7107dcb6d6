import { classifyApiError } from "../runtime/errors.ts";
import type { ActionContext } from "./action-contract.ts";
import type { ActionDefinition } from "./action-definition.ts";
import { actionFailure, apiStatusMessage, failureFromApiError, type ActionOutcome } from "./action-outcome.ts";
import { tailLog } from "./log-tail.ts";
import { MAX_OUTPUT_VALUE_LENGTH } from "../api/v1alpha1/bounds.ts";
import { readParams } from "./params.ts";
import { targetRef } from "./target.ts";
import { quotedValue } from "./quoted-value.ts";

/** Most log lines captureLogs keeps. */
export const MAX_TAIL_LINES = 1000;

/** Most bytes requested from the API server, so a chatty container cannot flood the operator. */
export const LOG_REQUEST_LIMIT_BYTES = 64 * 1024;

const containerName = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function defaultContainer(context: ActionContext): string | undefined {
  const resources = context.incident.resources;
  return resources?.pod === context.target.name && resources.namespace === context.target.namespace ? resources.container : undefined;
}

async function run(context: ActionContext, options: { container: string | undefined; tailLines: number; previous: boolean }): Promise<ActionOutcome> {
  const { namespace, name } = context.target;
  if (namespace === undefined) return actionFailure("InvalidTarget", "captureLogs: target.namespace: required for a Pod");
  const ref = targetRef(context.target);
  let log: string;
  try {
    log = await context.clients.core.readNamespacedPodLog({
      name,
      namespace,
      tailLines: options.tailLines,
      limitBytes: LOG_REQUEST_LIMIT_BYTES,
      previous: options.previous,
      ...(options.container === undefined ? {} : { container: options.container }),
    });
  } catch (error: unknown) {
    const kind = classifyApiError(error);
    if (kind === "forbidden" || kind === "not-found") return failureFromApiError(error, { action: "captureLogs", operation: `read the log of pod ${ref}` });
    return actionFailure("LogsUnavailable", `captureLogs: the log of pod ${ref} is unavailable: ${apiStatusMessage(error)}`);
  }
  const tail = tailLog(log, { maxLines: options.tailLines, maxChars: MAX_OUTPUT_VALUE_LENGTH });
  context.logger.info({ action: "captureLogs", namespace, pod: name, container: options.container, lines: tail.lines, truncated: tail.truncated }, "pod log captured");
  return {
    ok: true,
    alreadyApplied: false,
    message: `captured ${tail.lines} log lines of pod ${ref}${tail.truncated ? " (truncated)" : ""}`,
    outputs: { logs: tail.text, lines: String(tail.lines), truncated: String(tail.truncated), container: options.container ?? "" },
  };
}

/**
 * `captureLogs`: the tail of a container's log into the step outputs (`logs`, at most 2048
 * characters and `tailLines` lines, control characters neutralised; `lines`; `truncated`).
 * Params: `container` (default: the Incident's container when it targets the Incident's Pod),
 * `tailLines` (1 to 1000, default 100), `previous` (the previous container instance). Reading
 * changes nothing, so dry-run reads too.
 */
export const captureLogsAction: ActionDefinition<"captureLogs"> = {
  type: "captureLogs",
  async execute(context) {
    const params = readParams("captureLogs", context.params, ["container", "tailLines", "previous"], (reader) => ({
      container: reader.string("container"),
      tailLines: reader.integer("tailLines", { min: 1, max: MAX_TAIL_LINES }, 100) ?? 100,
      previous: reader.boolean("previous", false),
    }));
    if (!params.ok) return params;
    const container = params.value.container ?? defaultContainer(context);
    if (container !== undefined && (container.length > 63 || !containerName.test(container))) {
      return actionFailure("InvalidParams", `captureLogs: params.container: not a container name: ${quotedValue(container)}`);
    }
    return run(context, { ...params.value, container });
  },
};
