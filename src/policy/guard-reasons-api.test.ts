import { describe, expect, it } from "vitest";
import { Reason } from "../api/v1alpha1/reasons.ts";
import { GuardReason } from "./index.ts";

describe("guard reasons", () => {
  it.each(Object.values(GuardReason))("%s is one of the API's reasons", (reason) => {
    expect(Object.values(Reason)).toContain(reason);
  });
});
