import { describe, expect, it } from "vitest";
import { eventPayload } from "./event-input.ts";

const bytes = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

describe("eventPayload", () => {
  it.each([
    { value: { specversion: "1.0", id: "1" }, route: "events", contentType: "application/cloudevents+json" },
    { value: [{ specversion: "1.0", id: "1" }], route: "events", contentType: "application/cloudevents-batch+json" },
    { value: { version: "4", alerts: [] }, route: "alertmanager", contentType: "application/json" },
    { value: { rule: "r", output: "o", priority: "Critical" }, route: "falco", contentType: "application/json" },
  ])("sends $value to /$route as its producer would", ({ value, route, contentType }) => {
    const result = eventPayload(bytes(value), "auto");
    expect(result.ok && result.payload.route).toBe(route);
    expect(result.ok && result.payload.headers).toEqual({ "content-type": contentType });
  });

  it("takes the format it is given without looking", () => {
    const result = eventPayload(new TextEncoder().encode("not json"), "falco");
    expect(result.ok && result.payload.route).toBe("falco");
  });

  it("asks for --format when the shape says nothing", () => {
    expect(eventPayload(bytes({ hello: 1 }), "auto")).toEqual({ ok: false, message: "neither a CloudEvent (specversion), an Alertmanager webhook (alerts) nor a Falco alert (rule, output): give --format" });
    expect(eventPayload(new TextEncoder().encode("{"), "auto").ok).toBe(false);
  });
});
