import { describe, expect, it } from "vitest";
import { CliFailure } from "../cli-errors.ts";
import { alertPayload } from "./alert-payload.ts";
import { falcoSample } from "./falco-sample.ts";
import { endpointUrl } from "./send-http.ts";

const bytes = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

describe("alertPayload", () => {
  it("sends a Falco alert to /falco or on its Falcosidekick subject", () => {
    const sample = falcoSample({ namespace: "shop", pod: "web-0" }, new Date("2026-03-01T12:00:00Z"), "11111111-2222-4333-8444-555555555555");
    expect(sample).toMatchObject({ uuid: "11111111-2222-4333-8444-555555555555", time: "2026-03-01T12:00:00.000Z", output_fields: { "k8s.ns.name": "shop", "k8s.pod.name": "web-0" } });
    expect(alertPayload(bytes(sample), "sample")).toMatchObject({
      format: "falco",
      path: "/falco",
      contentType: "application/json",
      subject: "falco.critical.detect_outbound_connections_to_common_miner_pool_ports",
      id: "11111111-2222-4333-8444-555555555555",
    });
  });

  it("sends a CloudEvent to /events or on soar.events.<type>, and an Alertmanager webhook over HTTP only", () => {
    expect(alertPayload(bytes({ specversion: "1.0", id: "e1", source: "s", type: "com.example.Thing happened" }), "ce")).toMatchObject({
      format: "cloudevent",
      path: "/events",
      contentType: "application/cloudevents+json",
      subject: "soar.events.com_example_thing_happened",
      id: "e1",
    });
    expect(alertPayload(bytes({ version: "4", alerts: [] }), "am")).toMatchObject({ format: "alertmanager", path: "/alertmanager", subject: undefined });
  });

  it.each([
    ["not JSON", Buffer.from("{"), "f: not JSON: "],
    ["not an object", bytes([1]), "f: expected a JSON object"],
    ["no known format", bytes({ hello: "world" }), "f: not an alert kube-soar reads"],
  ])("refuses %s, naming the file", (_case, given, message) => {
    expect(() => alertPayload(given, "f")).toThrow(CliFailure);
    expect(() => alertPayload(given, "f")).toThrow(message);
  });
});

describe("endpointUrl", () => {
  const payload = alertPayload(bytes({ version: "4", alerts: [] }), "am");

  it("adds the format's endpoint to a bare URL and keeps a URL with a path", () => {
    expect(endpointUrl("https://receiver.example:8080", payload).href).toBe("https://receiver.example:8080/alertmanager");
    expect(endpointUrl("http://127.0.0.1:8080/custom", payload).href).toBe("http://127.0.0.1:8080/custom");
  });

  it("refuses what is not an http(s) URL", () => {
    expect(() => endpointUrl("receiver:8080", payload)).toThrow("expected an http or https URL");
    expect(() => endpointUrl("::", payload)).toThrow("not a URL");
  });
});
