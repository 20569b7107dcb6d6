import type { GuardDecision, GuardInput } from "./guard-input.ts";
import { GuardReason } from "./guard-reasons.ts";

/**
 * Refuses when the Playbook's other runs that started within the last `windowMs` (up to `now`
 * inclusive) already number `runs` or more.
 */
export function rateLimitGuard(input: GuardInput, now: Date): GuardDecision {
  const limit = input.playbook.rateLimit;
  if (limit === undefined) return { allowed: true };
  const from = now.getTime() - limit.windowMs;
  const recent = input.history.otherRunStarts.filter((start) => start.getTime() > from && start.getTime() <= now.getTime()).length;
  if (recent < limit.runs) return { allowed: true };
  return {
    allowed: false,
    guard: "rateLimit",
    reason: GuardReason.RateLimited,
    message: `step ${input.step.name}: Playbook ${input.playbook.name} already started ${recent} runs within ${Math.round(limit.windowMs / 1000)}s (rateLimit.runs ${limit.runs})`,
  };
}
