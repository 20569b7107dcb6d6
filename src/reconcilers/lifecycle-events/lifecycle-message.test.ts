import { describe, expect, it } from "vitest";
import { decodeNatsMessage } from "../../ingest/decode/decode-nats-message.ts";
import { FIXED_NOW } from "../../testing/fixed-now.ts";
import { anIncident } from "../../testing/objects.ts";
import { lifecycleMessage, lifecycleSubject, subjectTokenOfName } from "./lifecycle-message.ts";
import { pendingLifecycleEvents, type LifecycleEvent } from "./pending-events.ts";

function openedOf(name: string): LifecycleEvent {
  const incident = anIncident({ metadata: { name, namespace: "shop" } });
  const [event] = pendingLifecycleEvents({ incident, status: { occurrences: 2, phase: "Running" }, now: FIXED_NOW, escalationLevel: 0 }).events;
  if (event === undefined) throw new Error("no opened event");
  return event;
}

describe("lifecycleMessage", () => {
  it("writes the CloudEvent in binary mode: ce-* headers, content-type and the data as JSON", () => {
    const event = openedOf("miner-7f3a");
    const message = lifecycleMessage("soar.incidents", "kube-soar/soar-system", event);
    expect(message.subject).toBe("soar.incidents.shop.miner-7f3a.incident.opened");
    expect(message.headers).toEqual({
      "content-type": "application/json",
      "ce-specversion": "1.0",
      "ce-id": "inc-uid/opened",
      "ce-source": "kube-soar/soar-system",
      "ce-type": "io.kube-soar.incident.opened",
      "ce-subject": "shop/miner-7f3a",
      "ce-time": FIXED_NOW.toISOString(),
    });
    expect(JSON.parse(new TextDecoder().decode(message.data))).toEqual(event.data);
  });

  it("is read back by a binary-mode CloudEvents decoder as the same event", () => {
    const event = openedOf("miner-7f3a");
    const message = lifecycleMessage("soar.incidents", "kube-soar/soar-system", event);
    const decoded = decodeNatsMessage({ subject: message.subject, headers: new Map(Object.entries(message.headers)), data: message.data });
    expect(decoded).toMatchObject({
      ok: true,
      value: { specversion: "1.0", id: event.id, source: "kube-soar/soar-system", type: event.type, subject: "shop/miner-7f3a", time: event.time, data: event.data },
    });
  });

  it("keeps every subject at the same depth: a dotted Incident name becomes one token", () => {
    expect(subjectTokenOfName("web.prod.v2")).toBe("web_prod_v2");
    const dotted = openedOf("web.prod.v2");
    expect(lifecycleSubject("soar.incidents", dotted)).toBe("soar.incidents.shop.web_prod_v2.incident.opened");
    expect(lifecycleSubject("soar.incidents", { ...dotted, type: "io.kube-soar.step.finished" })).toBe("soar.incidents.shop.web_prod_v2.step.finished");
  });

  it("refuses an event the CloudEvents schema refuses", () => {
    expect(() => lifecycleMessage("soar.incidents", "", openedOf("inc"))).toThrow();
  });
});
