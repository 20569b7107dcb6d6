import type { Logger } from "pino";
import { UNAUTHENTICATED_WARNING_INTERVAL_MS } from "../../config/receiver-authentication.ts";

const WARNING = "receiver accepts unauthenticated requests (--receiver-allow-unauthenticated): anyone who reaches it can open Incidents and start Playbooks";

/**
 * Logs a warning that the receiver runs without authentication now and then every `intervalMs`
 * until the returned function is called. The timer does not keep the process alive.
 */
export function warnWhileUnauthenticated(logger: Logger, intervalMs: number = UNAUTHENTICATED_WARNING_INTERVAL_MS): () => void {
  logger.warn(WARNING);
  const timer = setInterval(() => {
    logger.warn(WARNING);
  }, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
  };
}
