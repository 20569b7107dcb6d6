import type { Alert } from "./alert.ts";
import { alertFromNatsMessage, type AlertIntakeOptions } from "./alert-intake.ts";
import { accept, type Result } from "./rejection.ts";
import { RECEIVER_ROUTE_KINDS, type ReceiverRoutes, type RequestHeaders } from "./transport/http-receiver.ts";
import { receiverRoutes } from "./transport/http-routes.ts";
import { storedEventMessage } from "./transport/nats-publisher.ts";

/** A request as a producer sends it to the HTTP receiver. */
export interface ReceiverPayload {
  /** The endpoint, `/events`, `/alertmanager` or `/falco`, by its route name. */
  readonly route: keyof ReceiverRoutes;
  readonly headers: RequestHeaders;
  readonly body: Uint8Array;
}

/**
 * The alerts intake makes of a request to the receiver, through the same steps and functions as
 * a running operator, without NATS in between: the endpoint's decoder (`receiverRoutes`), the
 * message the receiver stores for each accepted event (`storedEventMessage`), and the
 * consumer's decoding, normalisation, redaction and bounds (`alertFromNatsMessage`).
 * `receivedAt` stands for the JetStream stored time (the alert time of events without one).
 * All alerts, or the first rejection. Pure.
 */
export function alertsFromReceiverPayload(payload: ReceiverPayload, receivedAt: Date, options: AlertIntakeOptions): Result<readonly Alert[]> {
  const events = receiverRoutes(options.limits)[payload.route](payload.headers, payload.body);
  if (!events.ok) return events;
  const alerts: Alert[] = [];
  for (const event of events.value) {
    const stored = storedEventMessage(RECEIVER_ROUTE_KINDS[payload.route], event);
    const alert = alertFromNatsMessage({ subject: stored.subject, headers: { "content-type": stored.contentType }, data: stored.data }, receivedAt, options);
    if (!alert.ok) return alert;
    alerts.push(alert.value);
  }
  return accept(alerts);
}
