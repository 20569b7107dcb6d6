import { describe, expect, it } from "vitest";
import { TenancyPolicy } from "../api/v1alpha1/constants.ts";
import type { PlaybookSpec } from "../api/v1alpha1/types.generated.ts";
import {
  connectorPrivilegedFields,
  lastSpecWrite,
  playbookPrivilegedFields,
  POLICY_SETTLE_MS,
  threatFeedPrivilegedFields,
  verifyApprovals,
  verifyTenancy,
  type PolicyBindingState,
} from "./tenancy-verification.ts";

const installed = new Date("2026-03-01T10:00:00Z");
const bound: PolicyBindingState = { policy: TenancyPolicy.PlaybookJobs, since: installed };
const missing: PolicyBindingState = { policy: TenancyPolicy.PlaybookJobs, since: undefined };
const after = new Date(installed.getTime() + POLICY_SETTLE_MS);
const before = new Date(installed.getTime() - 60_000);
const tenant = (lastWrite: Date | undefined, privilegedFields = ["spec.steps[1].job"]) => ({ namespace: "shop", privilegedFields, lastWrite });

describe("lastSpecWrite", () => {
  it("is the latest time of the main resource's entries, status writes left out", () => {
    expect(
      lastSpecWrite([
        { time: "2026-03-01T10:00:00Z" },
        { time: "2026-03-01T11:00:00Z", subresource: "" },
        { time: "2026-03-01T12:00:00Z", subresource: "status" },
        { time: "not a time" },
        {},
      ]),
    ).toEqual(new Date("2026-03-01T11:00:00Z"));
  });

  it("is unknown without entries", () => {
    expect(lastSpecWrite(undefined)).toBeUndefined();
    expect(lastSpecWrite([{ subresource: "status", time: "2026-03-01T12:00:00Z" }])).toBeUndefined();
  });
});

describe("privileged fields", () => {
  it("are a Playbook's Job and action steps", () => {
    const spec: PlaybookSpec = {
      trigger: { types: ["t"] },
      steps: [{ name: "ask", approval: {} }, { name: "collect", job: { image: "busybox" } }, { name: "kill", action: { type: "deletePod" } }],
    };
    expect(playbookPrivilegedFields(spec)).toEqual(["spec.steps[1].job", "spec.steps[2].action"]);
  });

  it("are every Secret a Connector names", () => {
    expect(connectorPrivilegedFields({ type: "http", url: "https://x.example" })).toEqual([]);
    expect(
      connectorPrivilegedFields({
        type: "pagerduty",
        auth: { type: "bearer", secretRef: { name: "a", key: "k" } },
        urlSecretRef: { name: "u", key: "k" },
        tls: { caSecretRef: { name: "ca", key: "k" }, clientCertSecretRef: { name: "c" } },
        pagerduty: { routingKeySecretRef: { name: "p", key: "k" } },
      }),
    ).toEqual(["spec.auth.secretRef", "spec.urlSecretRef", "spec.tls.caSecretRef", "spec.tls.clientCertSecretRef", "spec.pagerduty.routingKeySecretRef"]);
  });

  it("are every ConfigMap and Secret a ThreatFeed names", () => {
    expect(threatFeedPrivilegedFields({ inline: [{ value: "203.0.113.5" }] })).toEqual([]);
    expect(threatFeedPrivilegedFields({ http: { url: "https://feeds.example/ips.txt" } })).toEqual([]);
    expect(threatFeedPrivilegedFields({ configMapRef: { name: "c", key: "k" } })).toEqual(["spec.configMapRef"]);
    expect(threatFeedPrivilegedFields({ secretRef: { name: "s", key: "k" } })).toEqual(["spec.secretRef"]);
    expect(
      threatFeedPrivilegedFields({
        http: { url: "https://feeds.example/ips.txt", caSecretRef: { name: "ca", key: "k" }, authHeader: { name: "Authorization", secretRef: { name: "t", key: "k" } } },
      }),
    ).toEqual(["spec.http.caSecretRef", "spec.http.authHeader.secretRef"]);
  });
});

describe("verifyTenancy", () => {
  it("trusts the operator's namespace and objects without privileged fields, even without the binding", () => {
    expect(verifyTenancy({ ...tenant(before), namespace: "soar-system" }, "soar-system", missing)).toEqual({ verified: true });
    expect(verifyTenancy(tenant(before, []), "soar-system", missing)).toEqual({ verified: true });
  });

  it("refuses a tenant's object when the binding is missing", () => {
    expect(verifyTenancy(tenant(after), "soar-system", missing)).toEqual({
      verified: false,
      reason: "TenancyUnverified",
      field: "spec.steps[1].job",
      message: "the admission policy binding kube-soar-playbook-jobs is missing, so the API server did not check this object's writer may use it; install config/admission",
    });
  });

  it("refuses an object last written before the binding was in force", () => {
    const verdict = verifyTenancy(tenant(before), "soar-system", bound);
    expect(verdict).toMatchObject({ verified: false, reason: "TenancyUnverified", field: "spec.steps[1].job" });
    expect(verdict.verified ? "" : verdict.message).toBe(
      "written at 2026-03-01T09:59:00.000Z, before the admission policy binding kube-soar-playbook-jobs was in force (since 2026-03-01T10:00:00.000Z); re-apply it with a change (an annotation will do) so the API server checks its writer may use it",
    );
    expect(verifyTenancy(tenant(new Date(after.getTime() - 1)), "soar-system", bound).verified).toBe(false);
    expect(verifyTenancy(tenant(undefined), "soar-system", bound).verified).toBe(false);
  });

  it("trusts an object written once the binding was in force", () => {
    expect(verifyTenancy(tenant(after), "soar-system", bound)).toEqual({ verified: true });
  });
});

describe("verifyApprovals", () => {
  const approvals: PolicyBindingState = { policy: TenancyPolicy.IncidentApprovals, since: installed };

  it("honours approvals in the operator's namespace whatever the binding", () => {
    expect(verifyApprovals({ namespace: "soar-system", createdAt: before }, "soar-system", { ...approvals, since: undefined })).toEqual({ verified: true });
  });

  it("honours a tenant's approvals only on Incidents created once the binding was in force", () => {
    expect(verifyApprovals({ namespace: "shop", createdAt: after }, "soar-system", approvals)).toEqual({ verified: true });
    expect(verifyApprovals({ namespace: "shop", createdAt: before }, "soar-system", approvals)).toMatchObject({ verified: false, reason: "TenancyUnverified", field: "spec.approvals" });
    expect(verifyApprovals({ namespace: "shop", createdAt: after }, "soar-system", { ...approvals, since: undefined })).toMatchObject({
      verified: false,
      message: expect.stringContaining("kube-soar-incident-approvals is missing") as unknown,
    });
  });
});
