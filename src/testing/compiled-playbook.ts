import type { ObjectMeta, PlaybookSpec, PlaybookStep } from "../api/v1alpha1/types.generated.ts";
import { createExpressionCompiler } from "../expr/index.ts";
import { compilePlaybook, type CompiledPlaybook } from "../playbook/index.ts";
import { aPlaybook } from "./objects.ts";

const expressions = createExpressionCompiler();

/**
 * {@link aPlaybook} with `steps` and the `extra` spec fields, compiled. Throws with the problems
 * when it does not compile, so a test never runs against a half-compiled Playbook.
 */
export function compiledPlaybook(steps: PlaybookStep[], extra: Partial<PlaybookSpec> = {}, metadata: Partial<ObjectMeta> = {}): CompiledPlaybook {
  const result = compilePlaybook(aPlaybook({ metadata, spec: { steps, ...extra } }), expressions);
  if (result.problems.length > 0) throw new Error(JSON.stringify(result.problems));
  return result;
}
