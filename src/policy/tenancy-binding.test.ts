import { describe, expect, it } from "vitest";
import { TenancyPolicy } from "../api/v1alpha1/constants.ts";
import { bindingStateFor, type ObservedBinding } from "./tenancy-binding.ts";

const since = new Date("2026-03-01T10:00:00Z");
const shipped: ObservedBinding = { policyName: TenancyPolicy.PlaybookJobs, validationActions: ["Deny"], since };
const onlyIn = (...names: string[]): ObservedBinding => ({
  ...shipped,
  matchResources: { namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: names }] } },
});

describe("bindingStateFor", () => {
  it("takes the shipped binding as in force everywhere, since it took its current form", () => {
    expect(bindingStateFor(TenancyPolicy.PlaybookJobs, shipped, "shop")).toEqual({ policy: TenancyPolicy.PlaybookJobs, since });
    expect(bindingStateFor(TenancyPolicy.PlaybookJobs, { ...shipped, matchResources: { namespaceSelector: {} } }, "shop").since).toEqual(since);
  });

  it("says why a binding is not in force: missing, another policy, no Deny", () => {
    expect(bindingStateFor(TenancyPolicy.PlaybookJobs, undefined, "shop")).toEqual({ policy: TenancyPolicy.PlaybookJobs, since: undefined, absence: "is missing" });
    expect(bindingStateFor(TenancyPolicy.PlaybookJobs, { ...shipped, policyName: "other" }, "shop").absence).toBe("binds policy other, not kube-soar-playbook-jobs");
    expect(bindingStateFor(TenancyPolicy.PlaybookJobs, { ...shipped, validationActions: ["Warn", "Audit"] }, "shop").absence).toBe("does not deny (validationActions lacks Deny)");
  });

  it("evaluates a namespace selector on the namespace's name label, and nothing else", () => {
    expect(bindingStateFor(TenancyPolicy.PlaybookJobs, onlyIn("shop", "web"), "shop").since).toEqual(since);
    expect(bindingStateFor(TenancyPolicy.PlaybookJobs, onlyIn("web"), "shop").absence).toBe("does not select namespace shop");
    const byLabel: ObservedBinding = { ...shipped, matchResources: { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "shop" } } } };
    expect(bindingStateFor(TenancyPolicy.PlaybookJobs, byLabel, "shop").since).toEqual(since);
    const team: ObservedBinding = { ...shipped, matchResources: { namespaceSelector: { matchLabels: { team: "a" } } } };
    expect(bindingStateFor(TenancyPolicy.PlaybookJobs, team, "shop").absence).toBe("has a namespaceSelector the operator cannot evaluate for namespace shop");
    const notIn: ObservedBinding = {
      ...shipped,
      matchResources: { namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "NotIn", values: ["kube-system"] }] } },
    };
    expect(bindingStateFor(TenancyPolicy.PlaybookJobs, notIn, "shop").since).toBeUndefined();
  });

  it("does not take a binding narrowed by object selector or resource rules as covering", () => {
    const narrowed: ObservedBinding = { ...shipped, matchResources: { objectSelector: { matchLabels: { checked: "yes" } } } };
    expect(bindingStateFor(TenancyPolicy.PlaybookJobs, narrowed, "shop").absence).toBe("is narrowed by matchResources (objectSelector or resource rules)");
    const excluded: ObservedBinding = { ...shipped, matchResources: { excludeResourceRules: [{ resources: ["playbooks"] }] } };
    expect(bindingStateFor(TenancyPolicy.PlaybookJobs, excluded, "shop").since).toBeUndefined();
  });
});
