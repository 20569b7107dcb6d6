import type { ReceiverOptions } from "./options.ts";

/**
 * Why the HTTP receiver may not start with these options: it has neither a token file nor the
 * explicit choice to run unauthenticated. Undefined when it may start. The message names both flags.
 */
export function receiverAuthenticationProblem(receiver: Pick<ReceiverOptions, "tokenFile" | "allowUnauthenticated">): string | undefined {
  if (receiver.tokenFile !== undefined || receiver.allowUnauthenticated) return undefined;
  return "the HTTP receiver needs --receiver-token-file (accepted tokens, one per line); to serve it without authentication, set --receiver-allow-unauthenticated explicitly (or disable it with --receiver-enabled false)";
}
