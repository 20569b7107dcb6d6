import type { Playbook, PlaybookStep, Severity } from "../api/v1alpha1/types.generated.ts";
import type { CompiledExpression, CompiledTemplate } from "../expr/index.ts";
import type { FieldError } from "./field-error.ts";
import type { PlaybookReason, PlaybookWarningReason } from "./reasons.ts";
import type { StepGraph } from "./step-graph.ts";

/** The kinds of step a Playbook may declare; exactly one is set per step. */
export const STEP_KINDS = ["job", "action", "connector", "approval", "notify"] as const;

/** One of {@link STEP_KINDS}. */
export type StepKind = (typeof STEP_KINDS)[number];

/** A problem found while compiling a Playbook: the field, what is wrong, and the condition reason. */
export interface PlaybookProblem extends FieldError {
  readonly reason: PlaybookReason;
}

/** Something a Playbook allows but that is probably a mistake: the field, why, and the Event reason. */
export interface PlaybookWarning extends FieldError {
  readonly reason: PlaybookWarningReason;
}

/** The trigger, ready to match: absent criteria match everything. */
export interface CompiledTrigger {
  /** CloudEvent types that match; undefined when the trigger does not restrict types. */
  readonly types: ReadonlySet<string> | undefined;
  /** CloudEvent sources that match; undefined when the trigger does not restrict sources. */
  readonly sources: ReadonlySet<string> | undefined;
  readonly minSeverity: Severity | undefined;
  /** The `when` condition over `event`. */
  readonly when: CompiledExpression | undefined;
}

/** How matching events fold into one Incident. */
export interface CompiledDedup {
  /** CEL over `event` giving the key; undefined means the fingerprint computed at intake. */
  readonly key: CompiledExpression | undefined;
  readonly windowMs: number;
}

/** A referenced object of the Playbook's namespace and the field that references it. */
export interface PlaybookReference {
  readonly field: string;
  readonly name: string;
}

/** One step with its expressions compiled and its durations parsed. */
export interface CompiledStep {
  /** Position in `spec.steps`. */
  readonly index: number;
  readonly name: string;
  /** Undefined only when the step sets no kind or several (reported as a problem). */
  readonly kind: StepKind | undefined;
  readonly spec: PlaybookStep;
  readonly when: CompiledExpression | undefined;
  /** Longest time one attempt may take. */
  readonly timeoutMs: number | undefined;
  /** Retries after the first attempt. */
  readonly retryLimit: number;
  /** Wait before the first retry; doubles after each further failure. */
  readonly retryBackoffMs: number;
  readonly continueOnError: boolean;
  readonly safeToRetry: boolean;
  /** Compiled `${{ }}` templates by field path relative to the step, such as `job.args[0]`. */
  readonly templates: ReadonlyMap<string, CompiledTemplate>;
  /** For approval steps: how long to wait for a decision. */
  readonly approvalTimeoutMs: number | undefined;
}

/** One level of a Playbook's escalation, ready to fire. */
export interface CompiledEscalationLevel {
  /** 1 for the first level. */
  readonly level: number;
  /** The level's `after` as written, for messages. */
  readonly after: string;
  /** How long after the Incident's opening the level falls due. */
  readonly afterMs: number;
  /** Name of the Connector called, in the Playbook's namespace. */
  readonly connector: string;
  /** The message (the level's, or the default one), over `event` and `incident`. */
  readonly message: CompiledTemplate;
  readonly rawMarkup: boolean;
}

/** A Playbook's escalation: the severities it applies to and its levels, `afterMs` increasing. */
export interface CompiledEscalation {
  /** Undefined when it applies to every severity. */
  readonly severities: ReadonlySet<Severity> | undefined;
  readonly levels: readonly CompiledEscalationLevel[];
}

/**
 * A Playbook generation compiled once: everything intake needs to match events and everything
 * the reconcilers need to validate and run it. `problems` lists every compile error; when it is
 * not empty the parts that failed are absent (a step without its `when`, no graph) and the
 * Playbook must not run or match.
 */
export interface CompiledPlaybook {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  readonly generation: number;
  readonly trigger: CompiledTrigger;
  readonly dedup: CompiledDedup;
  readonly steps: readonly CompiledStep[];
  /** The validated step graph; undefined when the steps do not form one. */
  readonly graph: StepGraph | undefined;
  readonly dryRun: boolean;
  readonly suspend: boolean;
  readonly serviceAccountName: string | undefined;
  /** The escalation; undefined when the Playbook has none or it does not compile. */
  readonly escalation: CompiledEscalation | undefined;
  /** Connectors named by connector and notify steps and by escalation levels. */
  readonly connectorRefs: readonly PlaybookReference[];
  /** ServiceAccounts named by the Playbook and its job steps. */
  readonly serviceAccountRefs: readonly PlaybookReference[];
  readonly problems: readonly PlaybookProblem[];
  /**
   * What is allowed but probably a mistake, with the field it concerns (a `${{ }}` value run as
   * shell code): reported to the author, never a reason not to run.
   */
  readonly warnings: readonly PlaybookWarning[];
  /** The object this was compiled from; do not mutate. */
  readonly source: Playbook;
}
