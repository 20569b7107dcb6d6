import type { CompiledEscalationLevel } from "../../playbook/index.ts";

/** What decides which escalation levels are due: times from the Incident's status and spec, and the clock. */
export interface EscalationDueInput {
  /** When the Incident was opened; undefined when unknown (nothing is ever due then). */
  readonly openedAt: Date | undefined;
  /** Whether someone acknowledged the Incident (see `isAcknowledged`). */
  readonly acknowledged: boolean;
  /** The levels of the escalation that applies, `afterMs` increasing; empty when none applies. */
  readonly levels: readonly CompiledEscalationLevel[];
  /** Levels the Incident's status already records, whatever their outcome. */
  readonly recorded: ReadonlySet<number>;
  readonly now: Date;
}

/** The levels to fire now, and when to look again. */
export interface EscalationDue {
  /** Levels due and not recorded, in level order. */
  readonly due: readonly CompiledEscalationLevel[];
  /** Milliseconds until the next level not recorded falls due; undefined when none will. */
  readonly nextInMs: number | undefined;
}

/**
 * Which escalation levels are due, as a pure function of status and clock: none once the
 * Incident is acknowledged or when its opening is unknown; otherwise every level not recorded
 * whose `after` since the opening has passed (several at once when the operator was away longer
 * than the gap between them), and the time until the earliest level still to come. A recorded
 * level is never due again.
 */
export function dueEscalationLevels(input: EscalationDueInput): EscalationDue {
  if (input.acknowledged || input.openedAt === undefined) return { due: [], nextInMs: undefined };
  const opened = input.openedAt.getTime();
  const now = input.now.getTime();
  const due: CompiledEscalationLevel[] = [];
  let nextInMs: number | undefined;
  for (const level of input.levels) {
    if (input.recorded.has(level.level)) continue;
    const remaining = opened + level.afterMs - now;
    if (remaining <= 0) due.push(level);
    else nextInMs = Math.min(nextInMs ?? remaining, remaining);
  }
  return { due, nextInMs };
}
