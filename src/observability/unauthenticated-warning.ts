import type { Logger } from "pino";

/** How often a listener that serves without authentication says so again in its log. */
export const UNAUTHENTICATED_WARNING_INTERVAL_MS = 5 * 60_000;

/**
 * Logs `message` as a warning now and then every `intervalMs` until the returned function is
 * called: the one way a listener that serves without authentication (the HTTP receiver with
 * `--receiver-allow-unauthenticated`, `/metrics` with `--metrics-auth none`) keeps saying so.
 * The timer does not keep the process alive.
 */
export function warnWhileUnauthenticated(logger: Logger, message: string, intervalMs: number = UNAUTHENTICATED_WARNING_INTERVAL_MS): () => void {
  logger.warn(message);
  const timer = setInterval(() => {
    logger.warn(message);
  }, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
  };
}
