import type { Incident, Severity } from "../../api/v1alpha1/types.generated.ts";
import type { CompiledEscalation, CompiledEscalationLevel, PlaybookCompiler } from "../../playbook/index.ts";
import { readinessOf, type PlaybookLookup } from "./triage.ts";

/** A Playbook the Incident matched, with its compiled escalation. */
export interface EscalationCandidate {
  readonly playbook: string;
  /** The Playbook's `dryRun`. */
  readonly dryRun: boolean;
  readonly escalation: CompiledEscalation;
}

/** The escalation that applies to an Incident: whose it is and its levels. */
export interface EscalationPolicy {
  readonly playbook: string;
  readonly dryRun: boolean;
  readonly levels: readonly CompiledEscalationLevel[];
}

/**
 * The escalation that applies to an Incident of `severity`, as a pure function of the
 * candidates: among those whose `severities` include it (or that set none), the one whose first
 * level comes soonest; on a tie, the Playbook whose name sorts first. Undefined when none applies.
 */
export function selectEscalationPolicy(candidates: readonly EscalationCandidate[], severity: Severity): EscalationPolicy | undefined {
  let chosen: { candidate: EscalationCandidate; first: number } | undefined;
  for (const candidate of candidates) {
    const { severities, levels } = candidate.escalation;
    const first = levels[0]?.afterMs;
    if (first === undefined || (severities !== undefined && !severities.has(severity))) continue;
    if (chosen === undefined || first < chosen.first || (first === chosen.first && candidate.playbook < chosen.candidate.playbook)) chosen = { candidate, first };
  }
  if (chosen === undefined) return undefined;
  const { playbook, dryRun, escalation } = chosen.candidate;
  return { playbook, dryRun, levels: escalation.levels };
}

/**
 * The Playbooks of `spec.playbooks` whose escalation may apply, from the cache: those that exist,
 * are not suspended, whose current generation is Ready, and that declare an escalation that
 * compiles. The escalation follows the current generation, not the one a run pinned.
 */
export function escalationCandidates(incident: Incident, playbooks: PlaybookLookup, compiler: PlaybookCompiler): EscalationCandidate[] {
  const namespace = incident.metadata.namespace ?? "";
  const candidates: EscalationCandidate[] = [];
  for (const name of new Set(incident.spec.playbooks ?? [])) {
    const playbook = playbooks(namespace, name);
    if (playbook?.spec.escalation === undefined || playbook.spec.suspend === true) continue;
    const compiled = compiler.compile(playbook);
    if (compiled.escalation === undefined || !readinessOf(playbook, compiled).ready) continue;
    candidates.push({ playbook: name, dryRun: compiled.dryRun, escalation: compiled.escalation });
  }
  return candidates;
}

/**
 * Level `level` of Playbook `name`'s escalation as the cache holds it now, Ready or not: what a
 * level recorded as due is carried out with. Undefined when the Playbook or the level is gone.
 */
export function recordedLevelOf(
  incident: Incident,
  playbooks: PlaybookLookup,
  compiler: PlaybookCompiler,
): (name: string, level: number) => CompiledEscalationLevel | undefined {
  const namespace = incident.metadata.namespace ?? "";
  return (name, level) => {
    const playbook = playbooks(namespace, name);
    if (playbook?.spec.escalation === undefined) return undefined;
    return compiler.compile(playbook).escalation?.levels.find((candidate) => candidate.level === level);
  };
}
