import { describe, expect, it } from "vitest";
import { parseAlertmanagerAlert } from "../decode/alertmanager-alert.ts";
import { alertmanagerLabelsFingerprint } from "../identity/alertmanager-fingerprint.ts";
import { decodeAlertmanagerWebhook } from "../decode/decode-alertmanager-webhook.ts";
import { resolveDecodeLimits } from "../decode/decode-limits.ts";
import { RejectReason } from "../rejection.ts";

const alert = { status: "firing", labels: { alertname: "A", severity: "critical" }, annotations: {}, startsAt: "2026-11-24T09:12:30.512Z", endsAt: "0001-01-01T00:00:00Z" };
const webhook = (alerts: unknown[], extra: Record<string, unknown> = {}): Uint8Array =>
  Buffer.from(JSON.stringify({ version: "4", status: "firing", receiver: "kube-soar", externalURL: "http://am.example:9093", alerts, ...extra }));

describe("alertmanagerLabelsFingerprint", () => {
  it.each([
    [{}, 14695981039346656037n],
    [{ name: "garland, briggs", fear: "love is not enough" }, 5799056148416392346n],
    [{ "first-label": "first-label-value" }, 5146282821936882169n],
    [{ "first-label": "first-label-value", "second-label": "second-label-value" }, 3195800080984914717n],
  ])("matches Prometheus for %j", (labels, expected) => {
    expect(alertmanagerLabelsFingerprint(labels)).toBe(expected.toString(16).padStart(16, "0"));
  });
});

describe("decodeAlertmanagerWebhook", () => {
  it("makes one event per alert, with the id built from fingerprint, start and status", () => {
    const result = decodeAlertmanagerWebhook(webhook([alert, { ...alert, fingerprint: "ABCDEF0123456789", status: "resolved", endsAt: "2026-11-24T10:00:00Z" }], { groupKey: "{}:{}" }));
    expect(result).toEqual({
      ok: true,
      value: [
        {
          specversion: "1.0",
          id: `${alertmanagerLabelsFingerprint(alert.labels)}:2026-11-24T09:12:30.512Z:firing`,
          source: "http://am.example:9093",
          type: "io.prometheus.alertmanager.alert.v1",
          subject: "A",
          time: "2026-11-24T09:12:30.512Z",
          datacontenttype: "application/json",
          extensions: { receiver: "kube-soar", groupkey: "{}:{}" },
          data: alert,
        },
        expect.objectContaining({ id: "abcdef0123456789:2026-11-24T09:12:30.512Z:resolved", time: "2026-11-24T10:00:00Z" }),
      ],
    });
  });

  it("takes the source from the receiver when there is no externalURL and leaves out unusable extensions", () => {
    const result = decodeAlertmanagerWebhook(webhook([alert], { externalURL: "", receiver: "team a/b", groupKey: "bad\u0000key" }));
    expect(result).toMatchObject({ ok: true, value: [{ source: "urn:alertmanager:receiver:team%20a%2Fb", extensions: { receiver: "team a/b" } }] });
  });

  it.each([
    ["a body that is not an object", Buffer.from("[]"), "body"],
    ["a version other than 4", webhook([alert], { version: "3" }), "version"],
    ["no alerts", webhook([]), "alerts"],
    ["alerts that are not an array", webhook([], { alerts: {} }), "alerts"],
    ["a bad status", webhook([{ ...alert, status: "pending" }]), "alerts[0].status"],
    ["labels that are not strings", webhook([{ ...alert, labels: { a: 1 } }]), "alerts[0].labels.a"],
    ["no labels", webhook([{ ...alert, labels: undefined }]), "alerts[0].labels"],
    ["an empty label name", webhook([{ ...alert, labels: { "": "x" } }]), 'alerts[0].labels[""]'],
    ["annotations that are not strings", webhook([alert, { ...alert, annotations: { summary: [] } }]), "alerts[1].annotations.summary"],
    ["a bad startsAt", webhook([{ ...alert, startsAt: "now" }]), "alerts[0].startsAt"],
    ["a bad endsAt", webhook([{ ...alert, endsAt: 0 }]), "alerts[0].endsAt"],
    ["a fingerprint that is not hex", webhook([{ ...alert, fingerprint: "xyz" }]), "alerts[0].fingerprint"],
    ["a receiver that is not a string", webhook([alert], { receiver: 1 }), "receiver"],
    ["an externalURL that is not a URI", webhook([alert], { externalURL: "not a uri" }), "externalURL"],
  ])("rejects %s", (_name, body, field) => {
    const result = decodeAlertmanagerWebhook(body);
    expect(result).toMatchObject({ ok: false, reason: RejectReason.InvalidAlertmanager, field });
    if (!result.ok) expect(result.message).toContain(field);
  });

  it("enforces the alert count and allows two envelope levels above the alert", () => {
    const limits = resolveDecodeLimits({ maxBatchEvents: 1, maxDepth: 2 });
    expect(decodeAlertmanagerWebhook(webhook([alert, alert]), limits)).toMatchObject({ reason: RejectReason.TooLarge, field: "alerts" });
    expect(decodeAlertmanagerWebhook(webhook([alert]), limits).ok).toBe(true);
    expect(decodeAlertmanagerWebhook(webhook([{ ...alert, extra: { deeper: {} } }]), limits)).toMatchObject({ reason: RejectReason.TooDeep });
  });
});

describe("parseAlertmanagerAlert", () => {
  it("lower-cases the fingerprint and names fields under its path", () => {
    expect(parseAlertmanagerAlert({ ...alert, fingerprint: "ABC" }, "data")).toMatchObject({ ok: true, value: { fingerprint: "abc" } });
    expect(parseAlertmanagerAlert({ ...alert, status: 1 }, "data")).toMatchObject({ ok: false, field: "data.status" });
  });
});
